import RequestQueue from 'kafkajs/src/network/requestQueue';
import { registerCompressionCodecs } from './compression-codecs';

/**
 * What every kafkajs client of the process needs before it is created; imported for its effect
 * by the record source and the dead-letter queue (and the conformance suite's own clients).
 *
 * 1. Codecs for snappy, lz4 and zstd batches (compression-codecs.ts).
 * 2. The request queue's idle re-check. kafkajs 2.2.4 schedules the next look at its pending
 *    requests at `throttledUntil - Date.now()` ms even when nothing is pending and no throttle is in
 *    force: `throttledUntil` starts at -1, so the delay is about minus the epoch in ms. Node runs
 *    such a timer after 1 ms, and the callback schedules the next one: every connection spins a 1 ms
 *    timer loop for nothing, and Node 24 prints a TimeoutNegativeWarning to stderr at the first one,
 *    in the middle of the JSON-lines log. Here the look is scheduled only when there is something to
 *    look at: pending requests (as kafkajs does) or a throttle still in force. A request that
 *    arrives later is sent by `push` or re-checked when an in-flight one completes, as before.
 */
const kafkajsSchedule = RequestQueue.prototype.scheduleCheckPendingRequests;
RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue): void {
  if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
  kafkajsSchedule.call(this);
};

registerCompressionCodecs();
