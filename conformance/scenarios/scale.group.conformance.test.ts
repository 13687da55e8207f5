import { scenario } from '../harness/scenario';
import { eventually } from '../support/eventually';
import { exitWatch, KeyedUpserts } from '../support/keyed-upserts';

/**
 * Two sinks with the same config name share one consumer group. While upserts stream into a
 * 4-partition topic, the second joins (rebalance: partitions move to it) and later the first
 * leaves (rebalance: all partitions back to the second). Neither move may lose a record, leave a
 * key twice, or let a stale batch overwrite a newer value; the group commits to the end.
 */
scenario('scale.group', (s) => {
  s.it('a sink joins and another leaves mid-stream: every key once, at its last value', async () => {
    const stream = await KeyedUpserts.create(s, 'stream', 4, 100);
    const config = stream.config();
    const group = s.groupId(config);
    const membersAre = (n: number) => eventually(async () => expect(await s.groupMembers(group)).toHaveLength(n), `${n} member(s) in ${group}`, 60_000);

    const first = await s.start(config);
    const producing = stream.startProducing(100);
    try {
      await stream.waitForEveryKeyAt(1);

      const secondExit = exitWatch(await s.start(config));
      await membersAre(2);
      // Both members consume: every partition moves on after the rebalance.
      await stream.waitForEveryKeyAt(stream.lastRound);

      expect(await first.stop()).toBe(0);
      await membersAre(1);
      await stream.waitForEveryKeyAt(stream.lastRound);
      expect(secondExit()).toBeUndefined();
    } finally {
      await producing.stop();
    }
    await stream.expectLastRoundWritten();
    await stream.expectCommittedToEnd(group);
  });
});
