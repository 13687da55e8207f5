import { scenario } from '../harness/scenario';
import { KeyedUpserts } from '../support/keyed-upserts';

/** The grace period the config asks for (Kafka Connect's task.shutdown.graceful.timeout.ms). */
const GRACE_MS = 8_000;
/** Process teardown on top of the grace period (a busy machine, a JVM-free sink still needs a moment). */
const EXIT_MARGIN_MS = 3_000;

/**
 * SIGTERM while Databend is down and a write is being retried: the sink must stop within its
 * grace period and exit 0, without committing the records it could not write; after Databend is
 * back, a restarted sink writes them (nothing lost). Retries are set to outlast the grace period
 * many times over, so a sink that waits for its retries before stopping fails.
 */
scenario('shutdown.prompt', (s) => {
  s.it(
    'SIGTERM during a Databend outage: exit 0 within the grace period, nothing committed past what is durable, nothing lost after a restart',
    async () => {
      const stream = await KeyedUpserts.create(s, 'stream', 2, 50);
      const config = stream.config({ 'task.shutdown.graceful.timeout.ms': String(GRACE_MS), 'max.retries': '100', 'retry.backoff.ms': '1000' });
      const first = await s.start(config);
      await stream.produceRounds(1);
      await stream.waitForEveryKeyAt(1);
      await stream.expectCommittedToEnd(s.groupId(config), 60_000);
      const durable = await s.endOffsets(stream.topic);

      await s.faults.pause('databend');
      let stoppedIn: number;
      let code: number;
      try {
        await stream.produceRounds(1);
        // The round is fetched and its write fails and is retried meanwhile (the outage is the input: a fixed span).
        await new Promise((resolve) => setTimeout(resolve, 4_000));
        const begun = Date.now();
        code = await first.stop(60_000);
        stoppedIn = Date.now() - begun;
        // Nothing of the round Databend never got may be committed.
        expect(await s.committedOffsets(s.groupId(config), stream.topic)).toEqual(durable);
      } finally {
        await s.faults.resume('databend');
      }
      expect(code).toBe(0);
      expect(stoppedIn).toBeLessThan(GRACE_MS + EXIT_MARGIN_MS);

      await s.start(config);
      await stream.expectLastRoundWritten(120_000);
      await stream.expectCommittedToEnd(s.groupId(config), 60_000);
    },
    240_000,
  );
});
