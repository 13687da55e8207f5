/**
 * `node:diagnostics_channel` in the Kafka Connect plugin's bundle (GraalJS has none): channels
 * nobody subscribes to. The worker reports a task's state and metrics itself; the sink's events
 * (events/sink-events.ts) publish nothing there.
 */
const silent = { hasSubscribers: false, publish(): void {}, subscribe(): void {}, unsubscribe(): boolean { return false; } };

export function channel(): typeof silent {
  return silent;
}

export default { channel };
