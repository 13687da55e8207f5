import type { StartedEnvironment } from '../environments/environment';
import { selectEnvironment } from '../environments/select-environment';
import { clearMeasurements } from '../report/measurements';
import { prepareArchiveSink } from '../sink-under-test/archive-sink';
import { prepareConnectSink, probeConnectSink } from '../sink-under-test/connect/connect-plugin';
import { plainSinkSpec, selectedSinkKind, SINK_SPEC_VARIABLE, type SinkSpec } from '../sink-under-test/select-sink';
import { startFaultControlServer, type FaultControlServer } from './fault-control-server';
import { RUN_ENVIRONMENT_VARIABLE, RunEnvironment } from './run-environment';

declare global {
  var conformanceEnvironment: StartedEnvironment | undefined;
  var conformanceFaultControl: FaultControlServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  clearMeasurements();
  // The sink is chosen first: a wrong CONFORMANCE_SINK should fail before services start.
  let sink = await prepareSink();
  const environment = await selectEnvironment();
  const started = await environment.start();
  globalThis.conformanceEnvironment = started;
  // A Kafka Connect plugin is loaded once by a worker, which needs the services, before any scenario.
  if (sink.kind === 'connect') sink = await probeConnectSink(sink, started.endpoints);
  process.env[SINK_SPEC_VARIABLE] = JSON.stringify(sink);
  globalThis.conformanceFaultControl = await startFaultControlServer(started);
  const run: RunEnvironment = {
    name: started.name,
    endpoints: started.endpoints,
    versions: started.versions,
    timings: started.timings,
    supportsFaults: started.supportsFaults,
    faultControlUrl: globalThis.conformanceFaultControl.url,
  };
  process.env[RUN_ENVIRONMENT_VARIABLE] = JSON.stringify(run);
  // Lets a single service's own tests reuse the shared services instead of starting their own.
  process.env.CONFORMANCE_KAFKA_BOOTSTRAP = started.endpoints.kafka.bootstrapServers.join(',');
  process.env.CONFORMANCE_SCHEMA_REGISTRY_URL = started.endpoints.schemaRegistry.url;
  process.env.CONFORMANCE_DATABEND_DSN = started.endpoints.databend.dsn;
  process.stderr.write(`\n${describeStart(started)}\n  sink under test: ${sink.description} (${sink.version})\n`);
}

async function prepareSink(): Promise<SinkSpec> {
  const kind = selectedSinkKind();
  if (kind === 'archive') return prepareArchiveSink();
  if (kind === 'connect') return prepareConnectSink();
  return plainSinkSpec(kind);
}

function describeStart(env: StartedEnvironment): string {
  const lines = [`conformance environment: ${env.name}`];
  for (const t of env.timings) {
    const install = t.cold ? `cold install ${(t.installMs / 1000).toFixed(1)} s` : `warm (cache check ${(t.installMs / 1000).toFixed(1)} s)`;
    lines.push(`  ${t.service.padEnd(16)} ${env.versions[t.service].padEnd(28)} ${install}, start ${(t.startMs / 1000).toFixed(1)} s`);
  }
  return lines.join('\n');
}
