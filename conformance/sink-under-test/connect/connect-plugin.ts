import * as fs from 'node:fs';
import * as path from 'node:path';
import { kafkaClient } from '../../clients/kafka';
import type { Endpoints } from '../../environments/environment';
import { isAlive } from '../../environments/local/managed-process';
import { RUNTIMES_DIR } from '../../environments/select-environment';
import { unpackComponentArchive } from '../../support/component-archive';
import { loadCapabilities, type Converter } from '../capabilities';
import type { SinkSpec } from '../select-sink';
import { installConnectRuntime } from './connect-runtime';
import type { ConnectSpec } from './connect-sink';
import { ConnectWorker } from './connect-worker';
import { APICURIO_AVRO_CONVERTER, apicurioNativeUrl } from './connector-config';

/** The class the suite's configs name: Databend's Java connector's, whose keys they use. */
export const SUITE_CONNECTOR_CLASS = 'com.databend.kafka.connect.DatabendSinkConnector';
/** Kafka's own converters, which every worker has. */
const KAFKA_CONVERTERS: Converter[] = ['json-envelope', 'json-schemaless', 'string'];
const RUNS_KEPT = 5;

/**
 * `CONFORMANCE_SINK=connect`, before the services start: the plugin (`CONFORMANCE_CONNECT_PLUGIN`,
 * a component zip — unpacked with the suite's own checks — or a plugin folder), the capability
 * declaration (`CONFORMANCE_SINK_CAPABILITIES`) and the worker runtime from Maven Central. Every
 * problem is named before anything starts.
 */
export async function prepareConnectSink(env: NodeJS.ProcessEnv = process.env, progress: (message: string) => void = (m) => process.stderr.write(`[connect] ${m}\n`)): Promise<SinkSpec> {
  const missing = ['CONFORMANCE_CONNECT_PLUGIN', 'CONFORMANCE_SINK_CAPABILITIES'].filter((v) => !env[v]);
  if (missing.length > 0) throw new Error(`CONFORMANCE_SINK=connect needs ${missing.join(' and ')} (see the README's vendor guide)`);
  const plugin = path.resolve(env.CONFORMANCE_CONNECT_PLUGIN as string);
  const capabilitiesFile = path.resolve(env.CONFORMANCE_SINK_CAPABILITIES as string);
  loadCapabilities(capabilitiesFile);
  const runDir = newRunDir();
  const pluginPath = path.join(runDir, 'plugins');
  fs.mkdirSync(pluginPath, { recursive: true });
  let manifestVersion: string | undefined;
  if (fs.existsSync(plugin) && fs.statSync(plugin).isDirectory()) {
    // plugin.path entries hold plugin folders: the given folder is copied in as one.
    fs.cpSync(plugin, path.join(pluginPath, path.basename(plugin)), { recursive: true });
  } else if (fs.existsSync(plugin) && plugin.endsWith('.zip')) {
    const folder = await unpackComponentArchive(plugin, pluginPath);
    manifestVersion = (JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as { version?: string }).version;
  } else {
    throw new Error(`CONFORMANCE_CONNECT_PLUGIN=${env.CONFORMANCE_CONNECT_PLUGIN}: ${fs.existsSync(plugin) ? 'is neither a .zip component archive nor a plugin folder' : 'does not exist'}`);
  }
  const runtime = await installConnectRuntime(progress);
  const connect: ConnectSpec = {
    plugin,
    pluginPath,
    runtime,
    connectorClass: env.CONFORMANCE_CONNECT_CLASS ?? SUITE_CONNECTOR_CLASS,
    replaceClass: env.CONFORMANCE_CONNECT_CLASS !== undefined,
    reportedVersion: 'not probed yet',
    converters: KAFKA_CONVERTERS,
    replicationFactor: 1,
    jvmOptions: jvmOptionsOf(env.CONFORMANCE_CONNECT_JVM_OPTS),
    runDir,
    pidDir: path.join(RUNTIMES_DIR, 'pids'),
  };
  return {
    kind: 'connect',
    description: `${path.basename(plugin)} in Kafka Connect ${runtime.version}`,
    version: manifestVersion ?? 'not declared (a plugin folder has no manifest)',
    capabilitiesFile,
    configFormat: 'json',
    connect,
    ...(plugin.endsWith('.zip') ? { archive: { zip: plugin, folder: path.join(pluginPath, fs.readdirSync(pluginPath)[0]) } } : {}),
  };
}

/**
 * Once the services run: one worker loads the plugin, and its REST API says what the setup offers.
 * A plugin that does not load, a connector class it does not have, or a worker that does not start
 * end the run here, in bounded time, naming the plugin, the class or the worker's log.
 */
export async function probeConnectSink(spec: SinkSpec, endpoints: Endpoints, progress: (message: string) => void = (m) => process.stderr.write(`[connect] ${m}\n`)): Promise<SinkSpec> {
  const connect = spec.connect as ConnectSpec;
  const replicationFactor = await clusterReplicationFactor(endpoints);
  const nativeRegistry = apicurioNativeUrl(endpoints.schemaRegistry.url);
  const registryAnswers = nativeRegistry !== undefined && !endpoints.schemaRegistry.basicAuthUserInfo && (await answers(`${nativeRegistry}/system/info`));
  progress(`starting a Kafka Connect ${connect.runtime.version} worker to load ${connect.plugin}`);
  const worker = await ConnectWorker.start({
    runtime: connect.runtime,
    pluginPath: [connect.pluginPath, connect.runtime.convertersPath],
    kafka: endpoints.kafka,
    replicationFactor,
    runDir: connect.runDir,
    pidDir: connect.pidDir,
    jvmOptions: connect.jvmOptions,
  });
  try {
    const listed = await worker.request('GET', '/connector-plugins?connectorsOnly=false');
    if (listed.status !== 200) throw new Error(`the Kafka Connect worker answered GET /connector-plugins with ${listed.status}: ${listed.text}; its log: ${worker.logFile}`);
    const plugins = listed.body as { class: string; type: string; version?: string }[];
    const connectors = plugins.filter((p) => p.type === 'sink' || p.type === 'source');
    if (connectors.length === 0) {
      const complaints = pluginComplaints(worker.log(), connect.pluginPath);
      throw new Error(
        `the plugin ${connect.plugin} did not load: the Kafka Connect worker found no connector in it. Its log: ${worker.logFile}${complaints.length > 0 ? `\n  ${complaints.join('\n  ')}` : ''}`,
      );
    }
    const found = connectors.find((p) => p.class === connect.connectorClass);
    if (!found) {
      throw new Error(
        `connector class ${connect.connectorClass} is not in the plugin ${connect.plugin}; the worker found ${connectors.map((c) => `${c.class} (${c.type})`).join(', ')}` +
          `${connect.replaceClass ? '' : '. Set CONFORMANCE_CONNECT_CLASS to the class to test'}`,
      );
    }
    if (found.type !== 'sink') throw new Error(`connector class ${found.class} in ${connect.plugin} is a ${found.type} connector, not a sink`);
    const avro = registryAnswers && plugins.some((p) => p.class === APICURIO_AVRO_CONVERTER && p.type === 'converter');
    const probed: ConnectSpec = {
      ...connect,
      replicationFactor,
      reportedVersion: found.version ?? 'not reported',
      converters: avro ? [...KAFKA_CONVERTERS, 'avro'] : KAFKA_CONVERTERS,
      ...(avro ? { apicurioRegistryUrl: nativeRegistry } : {}),
    };
    return { ...spec, connect: probed, description: `${spec.description}: ${found.class} (reports version ${probed.reportedVersion})` };
  } finally {
    await worker.stop();
    await worker.removeInternalTopics();
  }
}

/**
 * `CONFORMANCE_CONNECT_JVM_OPTS` as the worker's JVM options: split on whitespace, as
 * `kafka-run-class.sh` splits `KAFKA_OPTS` (no quoting: an option with a space cannot be given).
 */
export function jvmOptionsOf(text: string | undefined): string[] {
  return (text ?? '').split(/\s+/).filter((option) => option !== '');
}

/** The brokers of the cluster, at most 3: Connect's default replication factor, which a one-broker cluster cannot give. */
async function clusterReplicationFactor(endpoints: Endpoints): Promise<number> {
  const admin = kafkaClient(endpoints.kafka, 'conformance-connect-probe').admin();
  await admin.connect();
  try {
    return Math.min(3, (await admin.describeCluster()).brokers.length);
  } finally {
    await admin.disconnect();
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5000) })).status === 200;
  } catch {
    return false;
  }
}

/** The worker's WARN and ERROR lines about the plugin's folder: why its classes did not load. */
function pluginComplaints(log: string, pluginPath: string): string[] {
  return log
    .split('\n')
    .filter((line) => /\] (WARN|ERROR) /.test(line) && line.includes(pluginPath))
    .slice(0, 20);
}

/** `.runtimes/connect-runs/<time>-<pid>`, removing older runs' folders beyond the last few (never a live run's). */
export function newRunDir(): string {
  const runs = path.join(RUNTIMES_DIR, 'connect-runs');
  fs.mkdirSync(runs, { recursive: true });
  const existing = fs.readdirSync(runs).sort();
  for (const old of existing.slice(0, Math.max(0, existing.length - RUNS_KEPT))) {
    const owner = /-(\d+)$/.exec(old)?.[1];
    if (owner === undefined || !isAlive(Number(owner))) fs.rmSync(path.join(runs, old), { recursive: true, force: true });
  }
  const dir = path.join(runs, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
