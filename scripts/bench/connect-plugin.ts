/**
 * Our Kafka Connect plugin (docs/connect-plugin.md) per task, beside the Java connector and our
 * standalone sink, on one Avro topic of the bench's orders (the seed's kind of data), one task each:
 *
 * - our standalone sink (`tasks.max=1`), as every e2e run: its own process;
 * - the Java connector, and our plugin twice — a worker with no JVM flags (GraalJS interpreted,
 *   what Confluent Cloud's custom connectors allow) and a worker with the optimizing runtime
 *   (JVMCI and the GraalVM compiler: optimizing-runtime.ts) — each in a real Kafka Connect worker
 *   of the conformance suite's `connect` adapter, the Avro converter its Apicurio one.
 *
 * A worker is started once per run and kept for `passes` connectors in a row (each a new name, so a
 * new consumer group reading the topic from the start, into a new table): the first pass is the
 * cold start (the JVM and GraalJS compiling), the last the warm worker. Both are reported, each
 * with the worker's CPU per record over the pass. The `com.databend` loggers run at WARN in both
 * Connect sinks (the Java connector logs two INFO lines per record), and the consumer's
 * `max.poll.records` is `batch.size` (both load each `put`; Connect's default hands them 500).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCapabilities } from '../../conformance/sink-under-test/capabilities';
import { prepareConnectSink, probeConnectSink } from '../../conformance/sink-under-test/connect/connect-plugin';
import { ConnectSink } from '../../conformance/sink-under-test/connect/connect-sink';
import type { SinkSpec } from '../../conformance/sink-under-test/select-sink';
import { type BenchContext, connectorConfig, type DrainRun, measureDrain } from './end-to-end';
import { bootLayerDuplicates, compilationsIn, graalVersionOf, installGraalCompiler, optimizingJvmOptions } from './optimizing-runtime';
import { JAVA_CAPABILITIES, JAVA_PLUGIN_ZIP, peersDir } from './peers';
import { REPO_ROOT, UsageSampler } from './sink-process';

const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** Our plugin's zip, as `npm run package-plugin` writes it. */
export const SINK_CONNECT_ZIP = path.join(REPO_ROOT, 'dist', `bendsink-databend-kafka-sink-connect-${VERSION}.zip`);
const SINK_CONNECT_CAPABILITIES = path.join(REPO_ROOT, 'connect-plugin', 'databend-kafka-sink-connect.capabilities.json');
const BUILD_SINK_CONNECT = 'npm run package-plugin -- --only connect --force';
/** Both Connect sinks log at this level (what a deployer sets for a busy connector). */
const CONNECTOR_LOGGERS = { 'com.databend': 'WARN' };

/** One Connect plugin in workers of one kind. */
export interface WorkerVariant {
  /** Short key (metric names, connector names). */
  key: 'java' | 'plugin' | 'plugin-opt';
  label: string;
  /** Why it cannot run here, or null. */
  unavailable(): string | null;
  zip: string;
  capabilities: string;
  /** Its workers run GraalJS's optimizing runtime (optimizing-runtime.ts). */
  optimizing: boolean;
}

function sinkConnectMissing(): string | null {
  return fs.existsSync(SINK_CONNECT_ZIP) ? null : `no ${path.relative(REPO_ROOT, SINK_CONNECT_ZIP)} (${BUILD_SINK_CONNECT})`;
}

export const WORKER_VARIANTS: readonly WorkerVariant[] = [
  {
    key: 'java',
    label: 'Java connector (Kafka Connect)',
    unavailable() {
      const jar = path.join(peersDir(), 'databend-kafka-connect', 'databend-kafka-connect-0.0.4.jar');
      if (!fs.existsSync(jar)) return `no ${path.relative(REPO_ROOT, jar)}`;
      if (!fs.existsSync(JAVA_PLUGIN_ZIP)) return `no ${path.relative(REPO_ROOT, JAVA_PLUGIN_ZIP)} (npm run package-plugin -- --connect scripts/vendor-example/databend-kafka-connect.plugin.json)`;
      return null;
    },
    zip: JAVA_PLUGIN_ZIP,
    capabilities: JAVA_CAPABILITIES,
    optimizing: false,
  },
  { key: 'plugin', label: 'our Connect plugin, no JVM flags', unavailable: sinkConnectMissing, zip: SINK_CONNECT_ZIP, capabilities: SINK_CONNECT_CAPABILITIES, optimizing: false },
  { key: 'plugin-opt', label: 'our Connect plugin, optimizing runtime', unavailable: sinkConnectMissing, zip: SINK_CONNECT_ZIP, capabilities: SINK_CONNECT_CAPABILITIES, optimizing: true },
];

/** A variant's adapter setup, made once per bench run. */
export interface PreparedVariant {
  variant: WorkerVariant;
  sink: ConnectSink;
  jvmOptions: string[];
  /** The Truffle log whose compilations prove that the optimizing runtime ran (null when not optimizing). */
  truffleLog: string | null;
  description: string;
}

export async function prepareVariant(ctx: BenchContext, variant: WorkerVariant): Promise<PreparedVariant> {
  const env = { ...process.env, CONFORMANCE_CONNECT_PLUGIN: variant.zip, CONFORMANCE_SINK_CAPABILITIES: variant.capabilities };
  const prepared = await prepareConnectSink(env, ctx.log);
  const folder = prepared.archive?.folder;
  if (!folder || !prepared.connect) throw new Error(`${variant.zip}: the connect adapter prepared no plugin folder`);
  let jvmOptions: string[] = [];
  let truffleLog: string | null = null;
  if (variant.optimizing) {
    const lib = path.join(folder, 'lib');
    const jars = await installGraalCompiler(graalVersionOf(fs.readdirSync(lib)), ctx.log);
    const moved = bootLayerDuplicates(fs.readdirSync(lib), jars);
    for (const jar of moved) fs.rmSync(path.join(lib, jar));
    ctx.log(`connect-plugin: optimizing runtime: ${moved.join(', ')} taken out of the worker's copy of the plugin (in the boot layer with the compiler)`);
    truffleLog = path.join(prepared.connect.runDir, 'truffle-compilations.log');
    // Every finished compilation is a line of this log: the proof that the runtime compiled.
    jvmOptions = [...optimizingJvmOptions(jars), '-Dpolyglot.engine.TraceCompilation=true', `-Dpolyglot.log.file=${truffleLog}`];
  }
  const spec: SinkSpec = await probeConnectSink({ ...prepared, connect: { ...prepared.connect, jvmOptions } }, ctx.endpoints, ctx.log);
  if (!spec.connect) throw new Error('the connect adapter probed no plugin');
  if (!spec.connect.converters.includes('avro')) throw new Error(`the Kafka Connect setup offers no Avro converter for ${variant.label} (Apicurio's needs an Apicurio registry)`);
  const sink = new ConnectSink(spec.connect, loadCapabilities(variant.capabilities), spec.description, ctx.environment, { reuseWorkers: true, loggers: CONNECTOR_LOGGERS });
  return { variant, sink, jvmOptions, truffleLog, description: spec.description };
}

export interface PassesSpec {
  topic: string;
  /** Run index: part of the connector and table names. */
  index: number;
  passes: number;
  expectRows: number;
  timeoutMs: number;
  /** The consumer's `max.poll.records`: records per `put` at most. */
  maxPollRecords: number;
}

/** One worker's passes over the topic, and the Truffle compilations counted meanwhile (NaN when not traced). */
export interface WorkerPasses {
  passes: DrainRun[];
  compilations: number;
}

/**
 * `passes` connectors in a row on one worker (started by the first, stopped after the last), one
 * task each, Avro values and string keys, `insert`. CPU per pass is the worker's process tree over
 * the pass (from the connector's creation to its last commit).
 */
export async function drainPasses(ctx: BenchContext, prepared: PreparedVariant, spec: PassesSpec): Promise<WorkerPasses> {
  const { variant, sink, truffleLog } = prepared;
  const compiledBefore = truffleLog ? compilationsIn(readOr(truffleLog)) : NaN;
  const samplers = new Map<number, UsageSampler>();
  const oneTask: BenchContext = { ...ctx, settings: { ...ctx.settings, tasksMax: 1 } };
  const passes: DrainRun[] = [];
  try {
    for (let pass = 0; pass < spec.passes; pass++) {
      const name = `bench-${variant.key}-${ctx.runId}-${spec.index}-${pass}`;
      const table = `bench_${variant.key.replace(/-/g, '_')}_${ctx.runId}_${spec.index}_${pass}`;
      // Connect hands a task at most max.poll.records (500 by default) per put, and the Java connector
      // loads each put: by default the polls are raised to batch.size, so that its loads hold what
      // batch.size says (our plugin gathers puts up to batch.size either way).
      const config = connectorConfig(oneTask, name, spec.topic, table, { 'pk.mode': 'none', 'consumer.override.max.poll.records': String(spec.maxPollRecords) });
      passes.push(
        await measureDrain(ctx, { what: `${variant.label} (pass ${pass + 1})`, topic: spec.topic, groupId: `connect-${name}`, table, expectRows: spec.expectRows, timeoutMs: spec.timeoutMs }, async () => {
          const running = await sink.start(config);
          if (running.pid === undefined) throw new Error('the Kafka Connect worker has no process id');
          const sampler = samplers.get(running.pid) ?? new UsageSampler(running.pid);
          samplers.set(running.pid, sampler);
          const before = sampler.read().cpuSeconds;
          return {
            usage: {
              read: () => {
                const usage = sampler.read();
                return { ...usage, cpuSeconds: usage.cpuSeconds - before };
              },
            },
            exited: running.exited,
            logs: () => running.logs(),
            stop: (ms?: number) => running.stop(ms),
          };
        }),
      );
    }
  } finally {
    await sink.close();
    for (const sampler of samplers.values()) sampler.stop();
  }
  const compilations = truffleLog ? compilationsIn(readOr(truffleLog)) - compiledBefore : NaN;
  if (truffleLog && !(compilations > 0)) {
    throw new Error(`${variant.label}: Truffle compiled nothing (no "opt done" in ${truffleLog}), so the worker ran interpreted; JVM options: ${prepared.jvmOptions.join(' ')}`);
  }
  return { passes, compilations };
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Paired ratios: run i of `ours` ÷ run i of `theirs` (NaN where either is missing). */
export function pairedRatios(ours: readonly number[], theirs: readonly number[]): number[] {
  return ours.map((rate, i) => (i < theirs.length && theirs[i] > 0 ? rate / theirs[i] : NaN)).filter((r) => Number.isFinite(r));
}
