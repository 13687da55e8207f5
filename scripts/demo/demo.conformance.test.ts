import { randomUUID } from 'node:crypto';
import { runDemo } from './demo';
import { holdSharedServices } from '../../conformance/harness/environment-faults';
import { runEnvironment } from '../../conformance/jest/run-environment';
import { sinkSpec, sinkUnderTest } from '../../conformance/sink-under-test/select-sink';
import { V1_ROWS, V2_ROWS } from '../../conformance/support/confluent-cloud-walkthrough';
import { databendConnection } from '../../conformance/clients/databend';

/**
 * `npm run demo` (scripts/demo/) on the suite's services, with the sink under test: what the demo
 * shows stays true. (The demo itself starts its own services and runs the packaged archive.) A test
 * of this project's demo, which reads our sink's progress lines: it runs only when the sink under
 * test is ours (the archive, or src/).
 */
describe('demo: the Confluent Cloud walk-through (npm run demo)', () => {
  const run = runEnvironment();
  const { endpoints } = run;
  holdSharedServices(run);
  const suffix = randomUUID().slice(0, 8);
  const database = `demo_${suffix}`;
  jest.setTimeout(180_000);

  afterAll(async () => {
    const db = await databendConnection(endpoints.databend);
    await db.exec(`DROP DATABASE IF EXISTS ${database}`);
    await db.close();
  });

  // The walk-through's API key needs the environment's SASL_SSL listener, as config.confluent-cloud does.
  const ours = ['archive', 'source', 'inprocess'].includes(sinkSpec().kind);
  (endpoints.kafkaSecured && ours ? it : it.skip)('runs to the end: rows exact after the records and after the evolution, progress printed, clean stop', async () => {
    let told = '';
    const result = await runDemo({ endpoints, sink: sinkUnderTest(), topic: `topic_avrob_${suffix}`, database, name: `demo-${suffix}`, print: (t) => (told += t) });
    expect(result.v1Rows).toEqual(V1_ROWS);
    expect(result.v2Rows).toEqual(V2_ROWS);
    expect(result.progress.some((l) => l.written === V1_ROWS.length + 1 + 2)).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(told).toContain(`${database}.topic_avrob_${suffix} after the evolution:`);
    expect(told).toMatch(/written 7, failed 0, lag 0/);
  });
});
