import { catalogueEntry } from '../catalogue/scenario-catalogue';
import { databendLoadPath } from '../clients/databend-load-path';
import { runEnvironment } from '../jest/run-environment';
import { isRunRequirement, unmetRequirements, type RunFacts } from '../sink-under-test/capabilities';
import { sinkSpec, sinkUnderTest } from '../sink-under-test/select-sink';
import { NOT_APPLICABLE } from '../report/scenario-results';
import { acquireLease, LEASE_WAIT_MS, type EnvironmentLease } from './environment-faults';
import { ScenarioContext } from './scenario-context';

const SCENARIO_TEST_TIMEOUT_MS = 180_000;

/**
 * Declares one catalogue scenario. The jest `describe` is named exactly by the scenario id, so the
 * report can map results back to the catalogue. When the sink or the run lacks what the catalogue
 * says the scenario needs, it is reported as not applicable and never run.
 */
export function scenario(id: string, body: (s: ScenarioContext) => void): void {
  const entry = catalogueEntry(id);
  // jest reads `testTimeout` only from the root config, not from a project's: without this every
  // scenario test would get jest's default of 5 s.
  jest.setTimeout(SCENARIO_TEST_TIMEOUT_MS);
  describe(id, () => {
    const run = runEnvironment();
    const spec = sinkSpec();
    const sink = sinkUnderTest(spec);
    const facts: RunFacts = {
      hardKill: sink.isProcess,
      archive: spec.archive !== undefined,
      environmentFaults: run.supportsFaults,
      environmentAuth: run.endpoints.kafkaSecured !== undefined && run.endpoints.schemaRegistrySecured !== undefined,
      databendLoadPath: databendLoadPath(run.versions.databend),
      databendRequestLog: run.endpoints.databend.requestLog !== undefined,
      kafkaTools: run.endpoints.kafka.tools !== undefined,
    };
    const unmet = unmetRequirements(entry.requires, sink.capabilities, facts);
    if (unmet.length > 0) {
      const ofRun = unmet.filter(isRunRequirement);
      const ofSink = unmet.filter((r) => !isRunRequirement(r));
      const reasons = [
        ...(ofSink.length > 0 ? [`${sink.description} does not declare ${ofSink.join(', ')}`] : []),
        ...(ofRun.length > 0 ? [`this run does not offer ${ofRun.join(', ')}`] : []),
      ];
      it.skip(`${NOT_APPLICABLE} ${reasons.join('; ')}`, () => undefined);
      return;
    }
    const context = new ScenarioContext(id, run, spec, sink);
    let lease: EnvironmentLease | undefined;
    beforeAll(async () => {
      // A scenario that stops services runs alone; all others share the services.
      lease = await acquireLease(run, entry.requires.includes('environment-faults') ? 'exclusive' : 'shared');
      await context.open();
    }, LEASE_WAIT_MS);
    afterAll(async () => {
      try {
        await context.close();
      } finally {
        lease?.release();
      }
    });
    body(context);
  });
}
