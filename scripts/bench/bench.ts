/**
 * The benchmark run: fills the topics once, then runs every scenario `runs` times against the same
 * services — converter CPU, the two ceilings (consume-only, direct load) and convert + load between
 * them, end-to-end append and upsert, schema evolution, produce→visible latency — and builds the
 * report with the targets.
 * `runBench` takes started services, so the conformance suite can run the smoke size in-process
 * against its own environment; `main.ts` starts them for `npm run bench`.
 */
import * as os from 'node:os';
import type { Endpoints } from '../../conformance/environments/environment';
import type { DatabendConnectionConfig } from '../../src/databend/connection-options';
import type { BenchOptions, ScenarioName } from './bench-options';
import type { CeilingResult } from './ceilings';
import type { ConverterCpuRun } from './converter-cpu';
import { drainWithSink, type BenchContext, type DrainRun } from './end-to-end';
import { latencyRun, type LatencyRun } from './latency';
import { produceTopic, type ProducedTopic } from './produce';
import { machine, metric, target, type BenchReport, type Metric } from './report';
import { reportedVersion, sinkCommand, type SinkCommand } from './sink-process';
import { runWorker } from './worker-process';

export interface BenchServices {
  name: string;
  endpoints: Endpoints;
  versions: Record<string, string>;
}

export const GOALS = {
  appendVsCeiling: 0.8,
  appendAbsolute: 50_000,
  upsertVsAppend: 0.5,
  evolutionSeconds: 1,
  converterAbsolute: 200_000,
  converterVsAvsc: 0.5,
  rssMb: 300,
  latencyP99Ms: 2_000,
} as const;

function connectionConfig(endpoints: Endpoints): DatabendConnectionConfig {
  const d = endpoints.databend;
  const ssl = d.sslmode === 'enable';
  return {
    dsn: d.dsn,
    host: d.host,
    port: d.port,
    user: d.user,
    password: d.password,
    database: 'default',
    ssl,
    params: {},
    attempts: 3,
    backoffMs: 1000,
  };
}

export async function runBench(options: BenchOptions, services: BenchServices, log: (message: string) => void, sink?: SinkCommand): Promise<BenchReport> {
  const runId = Date.now().toString(36);
  const wants = (s: ScenarioName) => options.only.includes(s);
  const sinkCmd = sink ?? (await sinkCommand(options.sink, { skipBuild: options.skipBuild }));
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    size: options.size,
    options: { ...options },
    machine: machine(),
    environment: { name: services.name, versions: services.versions },
    sink: { launch: sinkCmd.launch, description: sinkCmd.description, version: reportedVersion(sinkCmd) },
    data: {},
    metrics: [],
    targets: [],
    runs: {},
    errors: [],
  };
  const ctx: BenchContext = {
    endpoints: services.endpoints,
    sink: sinkCmd,
    settings: { tasksMax: options.tasksMax, batchSize: options.batchSize, lingerMs: options.lingerMs },
    runId,
    cpuProfileDir: options.cpuProfileDir ?? undefined,
    log,
  };
  const metrics = new Map<string, Metric>();
  const addMetric = (name: string, unit: string, values: number[]) => {
    const m = metric(name, unit, values);
    metrics.set(name, m);
    report.metrics.push(m);
    return m.summary.median;
  };
  const attempt = async (scenario: string, body: () => Promise<void>) => {
    const t0 = Date.now();
    log(`${scenario}: running`);
    try {
      await body();
      log(`${scenario}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      report.errors.push({ scenario, error });
      log(`${scenario}: FAILED ${error}`);
    }
  };
  const times = <T>(n: number, f: (i: number) => Promise<T>) => Array.from({ length: n }, (_, i) => i).reduce<Promise<T[]>>(async (acc, i) => [...(await acc), await f(i)], Promise.resolve([]));

  // ---- data
  let main: ProducedTopic | null = null;
  let evolution: { base: ProducedTopic; evolved: ProducedTopic } | null = null;
  const needsMain = wants('ceilings') || wants('append') || wants('append-exactly-once') || wants('upsert');
  await attempt('produce', async () => {
    if (needsMain) {
      main = await produceTopic(ctx.endpoints, { topic: `bench-main-${runId}`, count: options.records, partitions: options.partitions, keyCardinality: options.keys, seed: options.seed });
      log(`produce: ${main.count} records (${(main.bytes / 1e6).toFixed(1)} MB, ${main.distinctKeys} keys) in ${(main.produceMs / 1000).toFixed(1)} s`);
    }
    if (wants('evolution')) {
      const spec = { count: options.evolutionRecords, partitions: options.partitions, keyCardinality: options.keys, seed: options.seed + 1 };
      const base = await produceTopic(ctx.endpoints, { ...spec, topic: `bench-evo-base-${runId}` });
      const evolved = await produceTopic(ctx.endpoints, { ...spec, topic: `bench-evo-${runId}`, evolveAt: Math.floor(spec.count / 2) });
      evolution = { base, evolved };
    }
  });
  report.data = { main, evolution };

  // ---- converter CPU
  if (wants('converter')) {
    await attempt('converter', async () => {
      const runs = await runWorker<ConverterCpuRun[]>('converter-cpu', { count: options.converterRecords, keyCardinality: options.keys, seed: options.seed, batchSize: options.batchSize, runs: options.runs });
      report.runs.converter = runs;
      const raw = addMetric('converter: raw avsc decode', 'rec/cpu-s', runs.map((r) => r.rawAvscPerCpuSecond));
      addMetric('converter: sink decode (record model)', 'rec/cpu-s', runs.map((r) => r.decodePerCpuSecond));
      const sinkRate = addMetric('converter: sink decode + row encoding', 'rec/cpu-s', runs.map((r) => r.decodeAndRowsPerCpuSecond));
      addMetric('converter: … + CSV bytes', 'rec/cpu-s', runs.map((r) => r.withCsvPerCpuSecond));
      addMetric('converter: raw protobufjs decode (Protobuf Order)', 'rec/cpu-s', runs.map((r) => r.rawProtobufjsPerCpuSecond));
      addMetric('converter: sink Protobuf decode (record model)', 'rec/cpu-s', runs.map((r) => r.protobufDecodePerCpuSecond));
      report.targets.push(target('converter CPU, one core', sinkRate, '>=', GOALS.converterAbsolute, 'absolute', 'rec/cpu-s'));
      report.targets.push(target('converter CPU vs raw avsc', sinkRate, '>=', GOALS.converterVsAvsc * raw, `${GOALS.converterVsAvsc} × raw avsc decode`, 'rec/cpu-s'));
    });
  }

  // ---- ceilings
  let consumeRate = NaN;
  let loadRate = NaN;
  let directRuns: CeilingResult[] = [];
  let replaceRuns: CeilingResult[] = [];
  if (wants('ceilings') && main) {
    const topic: ProducedTopic = main;
    await attempt('ceiling: consume-only', async () => {
      const runs = await times(options.runs, (i) =>
        runWorker<CeilingResult>('consume-only', {
          endpoints: ctx.endpoints,
          topic: topic.topic,
          count: topic.count,
          schemaIds: topic.schemaIds,
          concurrency: options.tasksMax,
          batchSize: options.batchSize,
          lingerMs: options.lingerMs,
          groupId: `bench-consume-only-${runId}-${i}`,
        }),
      );
      report.runs['consume-only'] = runs;
      consumeRate = addMetric('ceiling: consume-only (kafkajs + avsc)', 'rec/s', runs.map((r) => r.rate));
      addMetric('ceiling: consume-only CPU per record', 'µs', runs.map((r) => (r.cpuSeconds * 1e6) / r.records));
      addMetric('ceiling: consume-only, machine CPU busy', '%', runs.map((r) => r.machineBusy * 100));
    });
    const loadRuns = (convertTimed: boolean, mode: 'insert' | 'upsert' = 'insert') =>
      runWorker<CeilingResult[]>('direct-load', {
        connection: connectionConfig(ctx.endpoints),
        count: topic.count,
        keyCardinality: topic.keyCardinality,
        seed: topic.seed,
        concurrency: options.tasksMax,
        batchSize: options.batchSize,
        convertTimed,
        mode,
        tablePrefix: `bench_${convertTimed ? 'convert_load' : `direct_${mode}`}_${runId}`,
        runs: options.runs,
      });
    await attempt('ceiling: direct load', async () => {
      const runs = await loadRuns(false);
      directRuns = runs;
      report.runs['direct-load'] = runs;
      loadRate = addMetric('ceiling: direct load (CSV + loadFile)', 'rec/s', runs.map((r) => r.rate));
      addMetric('ceiling: direct load, machine CPU busy', '%', runs.map((r) => r.machineBusy * 100));
      addMetric('ceiling: direct load, machine CPU per record', 'µs', runs.map(machineCpuPerRecord));
    });
    await attempt('convert + load', async () => {
      const runs = await loadRuns(true);
      report.runs['convert-load'] = runs;
      addMetric('convert + load, no Kafka (sink converters, planner, CSV)', 'rec/s', runs.map((r) => r.rate));
      addMetric('convert + load: machine CPU busy', '%', runs.map((r) => r.machineBusy * 100));
      addMetric('convert + load: machine CPU per record', 'µs', runs.map(machineCpuPerRecord));
    });
    if (wants('upsert')) {
      await attempt('ceiling: direct upsert', async () => {
        const runs = await loadRuns(false, 'upsert');
        replaceRuns = runs;
        report.runs['direct-upsert'] = runs;
        addMetric('ceiling: direct upsert (CSV + loadFile, REPLACE)', 'rec/s', runs.map((r) => r.rate));
        addMetric('ceiling: direct upsert, machine CPU per record', 'µs', runs.map(machineCpuPerRecord));
      });
    }
  }

  // ---- end to end
  let appendRate = NaN;
  if (wants('append') && main) {
    const topic: ProducedTopic = main;
    await attempt('append', async () => {
      const runs = await times(options.runs, (i) => drainWithSink(ctx, { scenario: 'append', index: i, topic: topic.topic, mode: 'insert', expectRows: topic.count, timeoutMs: timeoutFor(topic.count) }));
      report.runs.append = runs;
      appendRate = addMetric('e2e append (Avro)', 'rec/s', runs.map((r) => r.rate));
      addMetric('e2e append: drain time from process start', 's', runs.map((r) => r.drainMs / 1000));
      addMetric('e2e append: sink CPU per record', 'µs', runs.map((r) => r.cpuUsPerRecord));
      addMetric('e2e append: machine CPU busy', '%', runs.map((r) => r.machineBusy * 100));
      addMetric('e2e append: machine CPU per record', 'µs', runs.map(machineCpuPerRecord));
      addMetric('e2e append: rate with every core busy (CPU bound)', 'rec/s', runs.map((r) => r.rate / r.machineBusy));
      const rss = addMetric(`sink peak RSS draining ${topic.count.toLocaleString('en-US')} records`, 'MB', runs.map((r) => Math.max(r.peakRssMb, r.hwmMb)));
      const ceiling = Math.min(consumeRate, loadRate);
      report.targets.push(target('e2e append vs ceiling', appendRate, '>=', GOALS.appendVsCeiling * ceiling, `${GOALS.appendVsCeiling} × min(consume-only, direct load)`, 'rec/s'));
      report.targets.push(target('e2e append absolute', appendRate, '>=', GOALS.appendAbsolute, 'absolute, 2 cores', 'rec/s'));
      report.targets.push(target(`sink peak RSS (${topic.count.toLocaleString('en-US')} backlog)`, rss, '<=', GOALS.rssMb, 'absolute (VmHWM / sampled RSS)', 'MB'));
    });
  }
  if (wants('append-exactly-once') && main) {
    const topic: ProducedTopic = main;
    await attempt('append, exactly-once', async () => {
      const runs = await times(options.runs, (i) =>
        drainWithSink(ctx, {
          scenario: 'append-eo',
          index: i,
          topic: topic.topic,
          mode: 'insert',
          overrides: { 'exactly.once.enabled': 'true', 'exactly.once.offsets.table': `bench_offsets_${runId}_${i}` },
          expectRows: topic.count,
          timeoutMs: timeoutFor(topic.count),
        }),
      );
      report.runs['append-exactly-once'] = runs;
      addMetric('e2e append, exactly-once (Avro; rows and offsets in one transaction per batch)', 'rec/s', runs.map((r) => r.rate));
      addMetric('e2e append, exactly-once: sink CPU per record', 'µs', runs.map((r) => r.cpuUsPerRecord));
      addMetric('e2e append, exactly-once: machine CPU per record', 'µs', runs.map(machineCpuPerRecord));
      // Paired with the plain append runs just before it: what the transactions cost.
      const plain = report.runs.append as DrainRun[] | undefined;
      if (plain?.length === runs.length) addMetric('e2e append: exactly-once ÷ plain (paired runs)', '×', runs.map((r, i) => r.rate / plain[i].rate));
    });
  }
  if (wants('upsert') && main) {
    const topic: ProducedTopic = main;
    await attempt('upsert', async () => {
      const runs = await times(options.runs, (i) => drainWithSink(ctx, { scenario: 'upsert', index: i, topic: topic.topic, mode: 'upsert', expectRows: topic.distinctKeys, timeoutMs: timeoutFor(topic.count) * 2 }));
      report.runs.upsert = runs;
      const upsertRate = addMetric('e2e upsert (Avro, REPLACE)', 'rec/s', runs.map((r) => r.rate));
      addMetric('e2e upsert: sink CPU per record', 'µs', runs.map((r) => r.cpuUsPerRecord));
      addMetric('e2e upsert: machine CPU busy', '%', runs.map((r) => r.machineBusy * 100));
      addMetric('e2e upsert: machine CPU per record', 'µs', runs.map(machineCpuPerRecord));
      report.targets.push(target('e2e upsert vs append', upsertRate, '>=', GOALS.upsertVsAppend * appendRate, `${GOALS.upsertVsAppend} × e2e append`, 'rec/s'));
      // Paired runs of the two ceilings: what REPLACE costs Databend itself, with no sink involved.
      if (replaceRuns.length > 0 && replaceRuns.length === directRuns.length) addMetric('Databend alone: direct upsert ÷ direct load', '×', replaceRuns.map((r, i) => r.rate / directRuns[i].rate));
    });
  }
  if (wants('evolution') && evolution) {
    const { base, evolved } = evolution as { base: ProducedTopic; evolved: ProducedTopic };
    await attempt('evolution', async () => {
      const baseRuns: DrainRun[] = [];
      const evolvedRuns: DrainRun[] = [];
      for (let i = 0; i < options.runs; i++) {
        baseRuns.push(await drainWithSink(ctx, { scenario: 'evo-base', index: i, topic: base.topic, mode: 'insert', expectRows: base.count, timeoutMs: timeoutFor(base.count) }));
        evolvedRuns.push(await drainWithSink(ctx, { scenario: 'evo', index: i, topic: evolved.topic, mode: 'insert', expectRows: evolved.count, timeoutMs: timeoutFor(evolved.count) }));
      }
      report.runs.evolution = { base: baseRuns, evolved: evolvedRuns } as unknown as unknown[];
      // Time for the whole topic at each run's steady rate: start-up is left out of both.
      const secondsFor = (r: DrainRun) => r.records / r.rate;
      const baseS = addMetric('evolution: v1 only, time for the topic', 's', baseRuns.map(secondsFor));
      const evoS = addMetric('evolution: one v1→v2 change, time for the topic', 's', evolvedRuns.map(secondsFor));
      const deltas = evolvedRuns.map((r, i) => secondsFor(r) - secondsFor(baseRuns[i]));
      addMetric('evolution: added time (paired runs)', 's', deltas);
      report.targets.push(target('one schema-evolution event adds', evoS - baseS, '<', GOALS.evolutionSeconds, 'median(evolved) − median(v1 only)', 's'));
    });
  }

  // ---- latency
  if (wants('latency')) {
    await attempt('latency', async () => {
      const runs: LatencyRun[] = await times(options.runs, (i) => latencyRun(ctx, { index: i, rate: options.latencyRate, durationS: options.latencySeconds, partitions: options.partitions }));
      report.runs.latency = runs;
      addMetric('latency: produced rate', 'rec/s', runs.map((r) => r.producedPerSecond));
      addMetric('latency: p50 produce→visible', 'ms', runs.map((r) => r.p50Ms));
      const p99 = addMetric('latency: p99 produce→visible', 'ms', runs.map((r) => r.p99Ms));
      addMetric('latency: max produce→visible', 'ms', runs.map((r) => r.maxMs));
      report.targets.push(target(`latency p99 at ${options.latencyRate.toLocaleString('en-US')} rec/s`, p99, '<=', GOALS.latencyP99Ms, 'absolute', 'ms'));
    });
  }

  report.finishedAt = new Date().toISOString();
  report.machine.loadAverage.end = os.loadavg()[0];
  return report;
}

/**
 * Microseconds of CPU time of the whole machine (all cores: sink, Kafka, Databend, anything else)
 * per record in a measured window: `cores / this` is the most records per second the machine could
 * take at the same cost per record with every core busy.
 */
function machineCpuPerRecord(r: { machineBusy: number; rate: number }): number {
  return (r.machineBusy * os.cpus().length * 1e6) / r.rate;
}

/** Generous: a drain slower than 2,000 records/s (+ a minute) is a failure, not a measurement. */
function timeoutFor(records: number): number {
  return 60_000 + (records / 2_000) * 1000;
}
