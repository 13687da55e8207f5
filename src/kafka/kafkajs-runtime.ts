import ConsumerGroup from 'kafkajs/src/consumer/consumerGroup';
import RequestQueue from 'kafkajs/src/network/requestQueue';
import { registerCompressionCodecs } from './compression-codecs';
import type { FetchSizes } from './kafka-client-settings';

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
 * 3. Fetch limits that follow the records (kafka-client-settings.ts, `FetchSizing`): kafkajs takes
 *    `maxBytesPerPartition` and `maxBytes` once, when the consumer is made; a consumer group whose
 *    limits are registered here (`sizeFetches`, by group id) gets them anew before every fetch.
 */
const kafkajsSchedule = RequestQueue.prototype.scheduleCheckPendingRequests;
RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue): void {
  if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
  kafkajsSchedule.call(this);
};

registerCompressionCodecs();

const fetchLimits = new Map<string, () => FetchSizes>();

/** Sizes every fetch of the consumers of `groupId` in this process by `limits`; returns the function that stops it. */
export function sizeFetches(groupId: string, limits: () => FetchSizes): () => void {
  fetchLimits.set(groupId, limits);
  return () => {
    if (fetchLimits.get(groupId) === limits) fetchLimits.delete(groupId);
  };
}

const kafkajsFetch = ConsumerGroup.prototype.fetch;
ConsumerGroup.prototype.fetch = function fetch(this: ConsumerGroup, nodeId: string): Promise<unknown[]> {
  const limits = fetchLimits.get(this.groupId)?.();
  if (limits) {
    this.maxBytesPerPartition = limits.maxBytesPerPartition;
    this.maxBytes = limits.maxBytes;
  }
  return kafkajsFetch.call(this, nodeId);
};
