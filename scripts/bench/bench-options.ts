/**
 * `npm run bench -- [options]`: sizes and switches (pure; flags override the size's defaults, and
 * BENCH_* environment variables override both where noted).
 */
import type { SinkLaunch } from './sink-process';

export const SCENARIOS = ['converter', 'ceilings', 'append', 'append-exactly-once', 'upsert', 'json', 'connect-plugin', 'evolution', 'latency'] as const;
/** The smoke size leaves out the Kafka Connect workers' passes (minutes of JVM start and warm-up); `--only connect-plugin` runs them. */
const NOT_IN_SMOKE: readonly ScenarioName[] = ['connect-plugin'];
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  size: 'smoke' | 'full';
  /** Backlog for the ceilings, append and upsert (and the RSS figure). */
  records: number;
  partitions: number;
  /** Distinct keys in the backlog (upsert collapses to these). */
  keys: number;
  /** Records of each evolution topic (the v2 schema starts in the middle of one of them). */
  evolutionRecords: number;
  /** Records of each schemaless JSON topic (dense, sparse) run side by side with the peers; the Connect JSON topic has at most 200,000. */
  jsonRecords: number;
  converterRecords: number;
  /** Records of the Avro topic that our Connect plugin, the Java connector and our standalone sink drain, one task each. */
  connectRecords: number;
  /** Connectors in a row on one Kafka Connect worker: the first is the cold start, the last the warm worker. */
  connectPasses: number;
  /** Repetitions of the Connect plugin's scenario (each: the standalone sink, then every worker's passes); not `runs`, for time. */
  connectRuns: number;
  /** The Connect sinks' `consumer.override.max.poll.records`; 0: `batch.size` (Connect's own default is 500). */
  connectMaxPollRecords: number;
  latencyRate: number;
  latencySeconds: number;
  runs: number;
  tasksMax: number;
  batchSize: number;
  lingerMs: number;
  seed: number;
  sink: SinkLaunch;
  skipBuild: boolean;
  only: ScenarioName[];
  /** Sink CPU profiles (--cpu-prof) go here when set. */
  cpuProfileDir: string | null;
  out: string;
}

const SIZES: Record<BenchOptions['size'], Omit<BenchOptions, 'size' | 'sink' | 'skipBuild' | 'only' | 'cpuProfileDir' | 'out'>> = {
  full: {
    records: 1_000_000,
    partitions: 4,
    keys: 100_000,
    evolutionRecords: 200_000,
    jsonRecords: 500_000,
    converterRecords: 200_000,
    connectRecords: 200_000,
    connectPasses: 3,
    connectRuns: 1,
    connectMaxPollRecords: 0,
    latencyRate: 5_000,
    latencySeconds: 30,
    runs: 3,
    tasksMax: 2,
    batchSize: 10_000,
    lingerMs: 1_000,
    seed: 42,
  },
  smoke: {
    records: 20_000,
    partitions: 4,
    keys: 5_000,
    evolutionRecords: 10_000,
    jsonRecords: 20_000,
    converterRecords: 20_000,
    connectRecords: 20_000,
    connectPasses: 2,
    connectRuns: 1,
    connectMaxPollRecords: 0,
    latencyRate: 5_000,
    latencySeconds: 4,
    runs: 3,
    tasksMax: 2,
    batchSize: 10_000,
    lingerMs: 1_000,
    seed: 42,
  },
};

const NUMERIC: Record<string, keyof BenchOptions> = {
  '--records': 'records',
  '--partitions': 'partitions',
  '--keys': 'keys',
  '--evolution-records': 'evolutionRecords',
  '--json-records': 'jsonRecords',
  '--converter-records': 'converterRecords',
  '--connect-records': 'connectRecords',
  '--connect-passes': 'connectPasses',
  '--connect-runs': 'connectRuns',
  '--connect-max-poll-records': 'connectMaxPollRecords',
  '--latency-rate': 'latencyRate',
  '--latency-seconds': 'latencySeconds',
  '--runs': 'runs',
  '--tasks-max': 'tasksMax',
  '--batch-size': 'batchSize',
  '--linger-ms': 'lingerMs',
  '--seed': 'seed',
};

export const USAGE = `npm run bench -- [options]

  --size smoke|full        preset sizes (default full; BENCH_SIZE)
  --records N              backlog for ceilings, append, upsert and RSS (full: 1000000)
  --partitions N           topic partitions (4)            --keys N         distinct keys (full: 100000)
  --evolution-records N    records per evolution topic     --converter-records N
  --json-records N         records per JSON topic, run beside the peers (full: 500000)
  --connect-records N      Avro records drained by our Connect plugin (no JVM flags; optimizing
                           runtime), the Java connector and our standalone sink, one task each (full: 200000)
  --connect-passes N       connectors in a row per Kafka Connect worker: first = cold, last = warm (full: 3)
  --connect-runs N         repetitions of that scenario (1: 3–12 minutes on a busy 2-core VM)
  --connect-max-poll-records N   the Connect sinks' consumer max.poll.records (0, default: batch.size;
                           Connect's own default is 500)
  --latency-rate N         records/s (5000)                --latency-seconds N
  --runs N                 repetitions of every scenario (3; at least 3 for a median and spread)
  --tasks-max N  --batch-size N  --linger-ms N             sink settings (2, 10000, 1000)
  --sink auto|archive|build|source   how the sink runs (auto: dist/*.zip if present, else build/)
  --no-build               use build/ as it is
  --only a,b               scenarios: ${SCENARIOS.join(', ')}
                           (default all; smoke leaves out ${NOT_IN_SMOKE.join(', ')})
  --cpu-prof DIR           write the sink's CPU profiles (node --cpu-prof) to DIR
  --out FILE               JSON report (reports/bench.json)
Services: CONFORMANCE_ENV=local|testcontainers|external (+ KAFKA_BOOTSTRAP, SCHEMA_REGISTRY_URL,
DATABEND_DSN for external), as for the conformance suite.`;

export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv = {}): BenchOptions {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    if (at >= 0) {
      const v = argv[at + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    }
    const inline = argv.find((a) => a.startsWith(`${flag}=`));
    return inline?.slice(flag.length + 1);
  };
  const known = new Set(['--size', '--sink', '--only', '--cpu-prof', '--out', '--no-build', '--help', ...Object.keys(NUMERIC)]);
  for (const a of argv) {
    if (a.startsWith('--') && !known.has(a.split('=')[0])) throw new Error(`unknown option ${a}\n\n${USAGE}`);
  }
  const size = (value('--size') ?? env.BENCH_SIZE ?? 'full') as BenchOptions['size'];
  if (size !== 'smoke' && size !== 'full') throw new Error(`--size ${size}: allowed values are smoke, full`);
  const sink = (value('--sink') ?? env.BENCH_SINK ?? 'auto') as SinkLaunch;
  if (!['auto', 'archive', 'build', 'source'].includes(sink)) throw new Error(`--sink ${sink}: allowed values are auto, archive, build, source`);
  const onlyText = value('--only');
  const only = onlyText ? onlyText.split(',').map((s) => s.trim()) : SCENARIOS.filter((s) => size === 'full' || !NOT_IN_SMOKE.includes(s));
  const unknown = only.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`--only ${unknown.join(',')}: scenarios are ${SCENARIOS.join(', ')}`);
  const options: BenchOptions = {
    size,
    ...SIZES[size],
    sink,
    skipBuild: argv.includes('--no-build'),
    only: only as ScenarioName[],
    cpuProfileDir: value('--cpu-prof') ?? null,
    out: value('--out') ?? 'reports/bench.json',
  };
  for (const [flag, key] of Object.entries(NUMERIC)) {
    const v = value(flag);
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} ${v}: expected a positive integer`);
    (options as unknown as Record<string, number>)[key] = n;
  }
  if (options.connectPasses < 2) throw new Error(`--connect-passes ${options.connectPasses}: at least 2 (the first pass is the cold start, the last the warm worker)`);
  if (options.keys > options.records) throw new Error(`--keys ${options.keys} is larger than --records ${options.records}`);
  return options;
}
