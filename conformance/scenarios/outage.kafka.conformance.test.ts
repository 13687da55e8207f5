import { scenario } from '../harness/scenario';
import { exitWatch, KeyedUpserts } from '../support/keyed-upserts';

const BACKLOG_ROUNDS = 30;

/**
 * The Kafka broker restarts (the environment's fault hook: stopped, then started with its data)
 * while the sink works through a backlog of upserts in small batches, so the restart hits fetches,
 * writes and commits in flight. The sink must ride it out on its retries: still running afterwards,
 * every record written (each key once, at its last value), the group committed to the end.
 */
scenario('outage.kafka', (s) => {
  s.it(
    'the broker restarts mid-stream: the sink resumes, nothing lost, each key once',
    async () => {
      const stream = await KeyedUpserts.create(s, 'stream', 2, 100);
      await stream.produceRounds(BACKLOG_ROUNDS);
      // Retries for well beyond a broker restart (a stop, then a JVM start: 5–20 s locally).
      const config = stream.config({ 'batch.size': '100', 'max.retries': '60', 'retry.backoff.ms': '1000' });
      const sinkExit = exitWatch(await s.start(config));
      await stream.waitForEveryKeyAt(1);
      const [[written]] = await s.query(`SELECT min(seq)::String FROM ${stream.topic}`);
      expect(Number(written)).toBeLessThan(BACKLOG_ROUNDS); // the premise: the backlog is not through yet

      await s.faults.pause('kafka');
      await s.faults.resume('kafka');
      await stream.produceRounds(3);

      await stream.expectLastRoundWritten(120_000);
      await stream.expectCommittedToEnd(s.groupId(config), 60_000);
      expect(sinkExit()).toBeUndefined();
    },
    240_000,
  );
});
