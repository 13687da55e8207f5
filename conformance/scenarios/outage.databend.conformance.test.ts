import { scenario } from '../harness/scenario';
import { KeyedUpserts } from '../support/keyed-upserts';

/** How long Databend stays away (the catalogue's 20 s): longer than one write's own retries. */
const OUTAGE_MS = 20_000;

/**
 * Databend becomes unavailable for 20 s while upserts keep arriving in Kafka (the environment's
 * fault hook; on `local` the front stops serving its port and comes back with its catalog, as a
 * restarted server does). With max.retries × retry.backoff.ms longer than the outage, the sink
 * must retry, resume and write everything: still running, each key once at its last value, the
 * group committed to the end.
 */
scenario('outage.databend', (s) => {
  s.it(
    'Databend is away for 20 s mid-stream: the sink retries and resumes, nothing lost, each key once',
    async () => {
      const stream = await KeyedUpserts.create(s, 'stream', 2, 100);
      const config = stream.config({ 'max.retries': '40', 'retry.backoff.ms': '1000' });
      // The outage is the scenario's input, a fixed span by definition; nothing is polled here.
      await stream.throughDatabendOutage(config, 100, () => new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)));
    },
    240_000,
  );
});
