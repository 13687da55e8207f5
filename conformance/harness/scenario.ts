import { catalogueEntry } from '../catalogue/scenario-catalogue';
import { databendLoadPath } from '../clients/databend-load-path';
import { runEnvironment, type RunEnvironment } from '../jest/run-environment';
import { notApplicableReason, unmetRequirements, type Requirement, type RunFacts } from '../sink-under-test/capabilities';
import { connectAvroLimits } from '../sink-under-test/connect/avro-converter-limits';
import { sinkSpec, sinkUnderTest, type SinkSpec } from '../sink-under-test/select-sink';
import type { SinkUnderTest } from '../sink-under-test/sink-under-test';
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
  gatedDescribe(id, entry.requires, body);
}

/**
 * A check outside the catalogue (the README walk-through, the tombstone/DLQ/update walk), gated by
 * what it needs exactly like a scenario; the report lists it under "Other checks".
 */
export function check(name: string, requires: Requirement[], body: (s: ScenarioContext) => void): void {
  gatedDescribe(name, requires, body);
}

/** What the run offers besides the sink's declaration: how it is launched and what the environment can do. */
export function runFacts(spec: SinkSpec, sink: SinkUnderTest, run: RunEnvironment): RunFacts {
  return {
    hardKill: sink.isProcess,
    archive: spec.archive !== undefined,
    environmentFaults: run.supportsFaults,
    environmentAuth: run.endpoints.kafkaSecured !== undefined && run.endpoints.schemaRegistrySecured !== undefined,
    databendLoadPath: databendLoadPath(run.versions.databend),
    databendRequestLog: run.endpoints.databend.requestLog !== undefined,
    kafkaTools: run.endpoints.kafka.tools !== undefined,
    converters: spec.connect?.converters,
    kafkaClientInConfig: spec.kind !== 'connect',
    registryClientInConfig: spec.kind !== 'connect',
    avroLimits: spec.connect ? connectAvroLimits(spec.connect) : {},
  };
}

function gatedDescribe(name: string, requires: readonly Requirement[], body: (s: ScenarioContext) => void): void {
  // jest reads `testTimeout` only from the root config, not from a project's: without this every
  // scenario test would get jest's default of 5 s.
  jest.setTimeout(SCENARIO_TEST_TIMEOUT_MS);
  describe(name, () => {
    const run = runEnvironment();
    const spec = sinkSpec();
    const sink = sinkUnderTest(spec);
    const facts = runFacts(spec, sink, run);
    const reason = notApplicableReason(unmetRequirements(requires, sink.capabilities, facts), sink.description, facts);
    if (reason) {
      it.skip(`${NOT_APPLICABLE} ${reason}`, () => undefined);
      return;
    }
    const context = new ScenarioContext(name, run, spec, sink, facts);
    let lease: EnvironmentLease | undefined;
    beforeAll(async () => {
      // A scenario that stops services runs alone; all others share the services.
      lease = await acquireLease(run, requires.includes('environment-faults') ? 'exclusive' : 'shared');
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
