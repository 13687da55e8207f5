/**
 * The benchmark run: fills the topics once, then runs every scenario `runs` times against the same
 * services — converter CPU, the two ceilings (consume-only, direct load) and convert + load between
 * them, end-to-end append and upsert, the JSON topics side by side with the peers (peers.ts),
 * schema evolution, produce→visible latency — and builds the report with the targets.
 * `runBench` takes started services, so the conformance suite can run the smoke size in-process
 * against its own environment; `main.ts` starts them for `npm run bench`.
 */
import * as os from 'node:os';
import type { Endpoints, EnvironmentName, ServiceVersions } from '../../conformance/environments/environment';
import type { DatabendConnectionConfig } from '../../src/databend/connection-options';
import type { BenchOptions, ScenarioName } from './bench-options';
import type { CeilingResult } from './ceilings';
import type { ConverterCpuRun } from './converter-cpu';
import { drainPasses, pairedRatios, prepareVariant, type PreparedVariant, WORKER_VARIANTS, type WorkerPasses, type WorkerVariant } from './connect-plugin';
import { drainWithSink, fewestLoads, type BenchContext, type DrainRun } from './end-to-end';
import { latencyRun, type LatencyRun } from './latency';
import { type JsonShape, produceJsonTopic, type ProducedJsonTopic, produceTopic, type ProducedTopic } from './produce';
import { jsonOrdersTableSql, PEERS, type Peer } from './peers';
import { machine, metric, target, unavailableTarget, type BenchReport, type Metric } from './report';
import { reportedVersion, sinkCommand, type SinkCommand } from './sink-process';
import { median } from './stats';
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
  jsonVsBendIngest: 1.5,
  jsonCpuUsPerRecord: 5,
  loadsPer500k: 60,
  aheadOfJava: 1,
} as const;

/** The JSON topics: schemaless dense and sparse beside bend-ingest-kafka, Connect JSON beside the Java connector. */
const JSON_SHAPES: readonly JsonShape[] = ['dense', 'sparse', 'connect'];
/** The Connect JSON topic's records are ~1.2 KB (the schema travels with each): at most this many. */
const CONNECT_JSON_RECORDS = 200_000;

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
    unavailable: [],
    errors: [],
  };
  const ctx: BenchContext = {
    endpoints: services.endpoints,
    environment: { name: services.name as EnvironmentName, endpoints: services.endpoints, versions: services.versions as ServiceVersions, timings: [], supportsFaults: false },
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
  /** Loads per LOADS_PER records, where the Databend front counted them (its request log); NaN and no metric elsewhere. */
  const loadsMetric = (prefix: string, runs: readonly DrainRun[]): number =>
    runs.every((r) => Number.isFinite(r.loads)) ? addMetric(`${prefix} loads per ${LOADS_PER.toLocaleString('en-US')} records`, '', runs.map((r) => (r.loads * LOADS_PER) / r.records)) : NaN;
  const times = <T>(n: number, f: (i: number) => Promise<T>) => Array.from({ length: n }, (_, i) => i).reduce<Promise<T[]>>(async (acc, i) => [...(await acc), await f(i)], Promise.resolve([]));

  // ---- data
  let main: ProducedTopic | null = null;
  let evolution: { base: ProducedTopic; evolved: ProducedTopic } | null = null;
  let connectTopic: ProducedTopic | null = null;
  const needsMain = wants('ceilings') || wants('append') || wants('append-exactly-once') || wants('upsert');
  const jsonTopics = new Map<JsonShape, ProducedJsonTopic>();
  await attempt('produce', async () => {
    if (needsMain) {
      main = await produceTopic(ctx.endpoints, { topic: `bench-main-${runId}`, count: options.records, partitions: options.partitions, keyCardinality: options.keys, seed: options.seed });
      log(`produce: ${main.count} records (${(main.bytes / 1e6).toFixed(1)} MB, ${main.distinctKeys} keys) in ${(main.produceMs / 1000).toFixed(1)} s`);
    }
    if (wants('connect-plugin')) {
      connectTopic = await produceTopic(ctx.endpoints, { topic: `bench-connect-${runId}`, count: options.connectRecords, partitions: options.partitions, keyCardinality: Math.min(options.keys, options.connectRecords), seed: options.seed });
      log(`produce: ${connectTopic.count} Avro records for the Connect plugin's runs in ${(connectTopic.produceMs / 1000).toFixed(1)} s`);
    }
    if (wants('evolution')) {
      const spec = { count: options.evolutionRecords, partitions: options.partitions, keyCardinality: options.keys, seed: options.seed + 1 };
      const base = await produceTopic(ctx.endpoints, { ...spec, topic: `bench-evo-base-${runId}` });
      const evolved = await produceTopic(ctx.endpoints, { ...spec, topic: `bench-evo-${runId}`, evolveAt: Math.floor(spec.count / 2) });
      evolution = { base, evolved };
    }
    if (wants('json')) {
      for (const shape of JSON_SHAPES) {
        const count = shape === 'connect' ? Math.min(options.jsonRecords, CONNECT_JSON_RECORDS) : options.jsonRecords;
        const produced = await produceJsonTopic(ctx.endpoints, { topic: `bench-json-${shape}-${runId}`, shape, count, partitions: options.partitions, keyCardinality: options.keys, seed: options.seed });
        log(`produce: ${produced.count} JSON ${shape} records (${(produced.bytes / 1e6).toFixed(1)} MB) in ${(produced.produceMs / 1000).toFixed(1)} s`);
        jsonTopics.set(shape, produced);
      }
    }
  });
  report.data = { main, evolution, json: Object.fromEntries(jsonTopics), connect: connectTopic };

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
      const cpuBound = addMetric('e2e append: rate with every core busy (CPU bound)', 'rec/s', runs.map((r) => r.rate / r.machineBusy));
      loadsMetric('e2e append:', runs);
      const rss = addMetric(`sink peak RSS draining ${topic.count.toLocaleString('en-US')} records`, 'MB', runs.map((r) => Math.max(r.peakRssMb, r.hwmMb)));
      const ceiling = Math.min(consumeRate, loadRate);
      report.targets.push(target('e2e append vs ceiling', appendRate, '>=', GOALS.appendVsCeiling * ceiling, `${GOALS.appendVsCeiling} × min(consume-only, direct load); limit: ${Math.round(cpuBound).toLocaleString('en-US')} rec/s with every core busy`, 'rec/s'));
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
      // Paired runs of the two ceilings: what REPLACE costs Databend itself, with no sink involved.
      const engine = replaceRuns.length > 0 && replaceRuns.length === directRuns.length ? addMetric('Databend alone: direct upsert ÷ direct load', '×', replaceRuns.map((r, i) => r.rate / directRuns[i].rate)) : NaN;
      const limit = Number.isFinite(engine) ? `; limit: Databend alone upserts at ${engine.toFixed(2)} × its load rate` : '';
      report.targets.push(target('e2e upsert vs append', upsertRate, '>=', GOALS.upsertVsAppend * appendRate, `${GOALS.upsertVsAppend} × e2e append${limit}`, 'rec/s'));
    });
  }
  // ---- JSON, side by side with the peers: runs interleaved (ours, then each peer, per run), every peer figure a ratio to ours of the same run
  for (const [shape, topic] of jsonTopics) {
    await attempt(`json ${shape}`, async () => {
      const label = `e2e JSON ${shape === 'connect' ? 'Connect (schema + payload)' : `${shape} (schemaless)`}`;
      // The least CPU per record a sink on kafkajs pays for these records: fetch, decode, JSON.parse.
      const floor = await times(options.runs, (i) =>
        runWorker<CeilingResult>('consume-only', {
          endpoints: ctx.endpoints,
          topic: topic.topic,
          count: topic.count,
          schemaIds: { v1: 0, v2: 0 },
          concurrency: options.tasksMax,
          batchSize: options.batchSize,
          lingerMs: options.lingerMs,
          groupId: `bench-consume-json-${shape}-${runId}-${i}`,
          format: 'json',
        }),
      );
      addMetric(`${label}: consume-only (kafkajs + JSON.parse)`, 'rec/s', floor.map((r) => r.rate));
      const floorCpu = addMetric(`${label}: consume-only CPU per record`, 'µs', floor.map((r) => (r.cpuSeconds * 1e6) / r.records));
      const peers = PEERS.map((peer) => ({ peer, reason: peer.unavailable(shape) }));
      const running = peers.filter((p): p is { peer: Peer; reason: null } => p.reason === null).map((p) => p.peer);
      for (const { peer, reason } of peers) if (reason !== null) report.unavailable.push({ name: `${label}: ${peer.name}`, reason });
      const ours: DrainRun[] = [];
      const theirs = new Map<Peer, DrainRun[]>(running.map((peer) => [peer, []]));
      const scenario = `json-${shape}`;
      const timeoutMs = timeoutFor(topic.count);
      for (let i = 0; i < options.runs; i++) {
        ours.push(
          await drainWithSink(ctx, {
            scenario,
            index: i,
            topic: topic.topic,
            mode: 'insert',
            expectRows: topic.count,
            timeoutMs,
            overrides: { 'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': String(shape === 'connect') },
            // Into an existing table, as the peers write (bend-ingest-kafka creates none).
            prepare: (db, table) => db.exec(jsonOrdersTableSql(table)).then(() => undefined),
          }),
        );
        for (const peer of running) theirs.get(peer)!.push(await peer.drain(ctx, { topic: topic.topic, shape, scenario, index: i, expectRows: topic.count, timeoutMs: timeoutMs * 3 }));
      }
      report.runs[scenario] = [{ consumeOnly: floor, ours, peers: Object.fromEntries([...theirs].map(([peer, runs]) => [peer.name, runs])) }];
      const rate = addMetric(`${label}: ours`, 'rec/s', ours.map((r) => r.rate));
      const cpu = addMetric(`${label}: sink CPU per record`, 'µs', ours.map((r) => r.cpuUsPerRecord));
      addMetric(`${label}: machine CPU per record`, 'µs', ours.map(machineCpuPerRecord));
      const cpuBound = addMetric(`${label}: rate with every core busy (CPU bound)`, 'rec/s', ours.map((r) => r.rate / r.machineBusy));
      const loads = loadsMetric(`${label}:`, ours);
      const rss = addMetric(`${label}: sink peak RSS`, 'MB', ours.map((r) => Math.max(r.peakRssMb, r.hwmMb)));
      for (const [peer, runs] of theirs) {
        addMetric(`${label}: ${peer.name}`, 'rec/s', runs.map((r) => r.rate));
        addMetric(`${label}: ${peer.name} CPU per record`, 'µs', runs.map((r) => r.cpuUsPerRecord));
        addMetric(`${label}: ${peer.name} machine CPU per record`, 'µs', runs.map(machineCpuPerRecord));
        loadsMetric(`${label}: ${peer.name}`, runs);
        addMetric(`${label}: ${peer.name} peak RSS`, 'MB', runs.map((r) => Math.max(r.peakRssMb, r.hwmMb)));
        // Paired: run i of ours against run i of the peer, one right after the other.
        addMetric(`${label}: ours ÷ ${peer.name} (paired runs)`, '×', runs.map((r, i) => ours[i].rate / r.rate));
      }
      const bendIngest = PEERS[0];
      if (shape !== 'connect') {
        const theirRate = metrics.get(`${label}: ${bendIngest.name}`)?.summary.median ?? NaN;
        const reason = bendIngest.unavailable(shape);
        report.targets.push(
          reason === null
            ? target(`${label}: ours vs ${bendIngest.name}`, rate, '>=', GOALS.jsonVsBendIngest * theirRate, `${GOALS.jsonVsBendIngest} × ${bendIngest.name}, same run; limit: ours ${Math.round(cpuBound).toLocaleString('en-US')} rec/s with every core busy`, 'rec/s')
            : unavailableTarget(`${label}: ours vs ${bendIngest.name}`, '>=', NaN, `${GOALS.jsonVsBendIngest} × ${bendIngest.name}, same run`, 'rec/s', reason),
        );
        report.targets.push(target(`${label}: sink CPU per record`, cpu, '<=', GOALS.jsonCpuUsPerRecord, `absolute (consume-only alone: ${floorCpu.toFixed(2)} µs)`, 'µs'));
      } else {
        const java = PEERS[1];
        const reason = java.unavailable(shape);
        const theirRate = metrics.get(`${label}: ${java.name}`)?.summary.median ?? NaN;
        report.targets.push(
          reason === null
            ? target(`${label}: ours vs ${java.name}`, rate, '>=', GOALS.aheadOfJava * theirRate, `ahead of ${java.name}, same run`, 'rec/s')
            : unavailableTarget(`${label}: ours vs ${java.name}`, '>=', NaN, `ahead of ${java.name}, same run`, 'rec/s', reason),
        );
      }
      const loadsTarget = `${label}: loads per ${LOADS_PER.toLocaleString('en-US')} records`;
      report.targets.push(
        Number.isFinite(loads)
          ? target(loadsTarget, loads, '<=', GOALS.loadsPer500k, `absolute (the Databend front’s request log); limit: ≥ ${((fewestLoads(ours[0].partitionRecords, options.batchSize) * LOADS_PER) / ours[0].records).toFixed(1)} at ${options.batchSize.toLocaleString('en-US')} records of a partition per load`, '')
          : unavailableTarget(loadsTarget, '<=', GOALS.loadsPer500k, 'absolute', '', 'the services have no request log (only the local Databend front keeps one)'),
      );
      report.targets.push(target(`sink peak RSS (${label}, ${topic.count.toLocaleString('en-US')} backlog)`, rss, '<=', GOALS.rssMb, 'absolute (VmHWM / sampled RSS)', 'MB'));
    });
  }

  if (wants('connect-plugin') && connectTopic) {
    const topic: ProducedTopic = connectTopic;
    await attempt('connect-plugin', async () => {
      const label = 'Connect plugin (Avro, 1 task)';
      const timeoutMs = timeoutFor(topic.count) * 2;
      const prepared: PreparedVariant[] = [];
      const failed = new Set<string>();
      // One sink's failure is reported as such (its error in FAILED below); the others still run and are compared.
      const failure = (variant: WorkerVariant, err: unknown) => {
        const error = err instanceof Error ? err.message : String(err);
        report.errors.push({ scenario: `connect-plugin: ${variant.label}`, error });
        log(`connect-plugin: FAILED ${variant.label}: ${error}`);
        failed.add(variant.key);
      };
      for (const variant of WORKER_VARIANTS) {
        const reason = variant.unavailable();
        if (reason !== null) {
          report.unavailable.push({ name: `${label}: ${variant.label}`, reason });
          log(`connect-plugin: SKIPPED ${variant.label}: ${reason}`);
          continue;
        }
        try {
          prepared.push(await prepareVariant(ctx, variant));
        } catch (err) {
          failure(variant, err);
        }
      }
      const oneTask: BenchContext = { ...ctx, settings: { ...ctx.settings, tasksMax: 1 } };
      const standalone: DrainRun[] = [];
      const workers = new Map<string, WorkerPasses[]>(prepared.map((p) => [p.variant.key, []]));
      for (let i = 0; i < options.connectRuns; i++) {
        const own = await drainWithSink(oneTask, { scenario: 'connect-standalone', index: i, topic: topic.topic, mode: 'insert', expectRows: topic.count, timeoutMs });
        standalone.push(own);
        log(`connect-plugin: our standalone sink (tasks.max=1), run ${i + 1}: ${Math.round(own.rate)} rec/s, ${own.cpuUsPerRecord.toFixed(1)} µs CPU/record`);
        for (const p of prepared.filter((x) => !failed.has(x.variant.key))) {
          try {
            const run = await drainPasses(ctx, p, { topic: topic.topic, index: i, passes: options.connectPasses, expectRows: topic.count, timeoutMs, maxPollRecords: options.connectMaxPollRecords || options.batchSize });
            workers.get(p.variant.key)!.push(run);
            log(`connect-plugin: ${p.variant.label}, run ${i + 1}: ${run.passes.map((r, n) => `pass ${n + 1} ${Math.round(r.rate)} rec/s, ${r.cpuUsPerRecord.toFixed(1)} µs CPU/record`).join('; ')}`);
          } catch (err) {
            failure(p.variant, err);
            workers.delete(p.variant.key);
          }
        }
      }
      const measured = prepared.filter((p) => workers.has(p.variant.key));
      report.runs['connect-plugin'] = [{ standalone, workers: Object.fromEntries(measured.map((p) => [p.variant.label, { jvmOptions: p.jvmOptions, description: p.description, runs: workers.get(p.variant.key) }])) }];
      const standaloneRates = standalone.map((r) => r.rate);
      addMetric(`${label}: our standalone sink`, 'rec/s', standaloneRates);
      addMetric(`${label}: our standalone sink CPU per record`, 'µs', standalone.map((r) => r.cpuUsPerRecord));
      addMetric(`${label}: our standalone sink machine CPU per record`, 'µs', standalone.map(machineCpuPerRecord));
      const warmRates = new Map<string, number[]>();
      for (const p of measured) {
        const runs = workers.get(p.variant.key)!;
        const first = runs.map((r) => r.passes[0]);
        const warm = runs.map((r) => r.passes[r.passes.length - 1]);
        const name = `${label}: ${p.variant.label}`;
        addMetric(`${name}, first pass (cold worker)`, 'rec/s', first.map((r) => r.rate));
        addMetric(`${name}, first pass: drain time from worker start`, 's', first.map((r) => r.drainMs / 1000));
        addMetric(`${name}, first pass: worker CPU per record`, 'µs', first.map((r) => r.cpuUsPerRecord));
        addMetric(`${name}, warm (pass ${options.connectPasses})`, 'rec/s', warm.map((r) => r.rate));
        addMetric(`${name}, warm: worker CPU per record`, 'µs', warm.map((r) => r.cpuUsPerRecord));
        addMetric(`${name}, warm: machine CPU per record`, 'µs', warm.map(machineCpuPerRecord));
        addMetric(`${name}: worker peak RSS`, 'MB', runs.map((r) => Math.max(...r.passes.map((x) => Math.max(x.peakRssMb, x.hwmMb)))));
        if (p.truffleLog) addMetric(`${name}: Truffle compilations`, '', runs.map((r) => r.compilations));
        warmRates.set(p.variant.key, warm.map((r) => r.rate));
      }
      const java = warmRates.get('java');
      for (const p of measured.filter((x) => x.variant.key !== 'java')) {
        const ours = warmRates.get(p.variant.key)!;
        if (java) addMetric(`${label}: ${p.variant.label} ÷ Java connector, warm (paired runs)`, '×', pairedRatios(ours, java));
        addMetric(`${label}: ${p.variant.label} ÷ our standalone sink, warm (paired runs)`, '×', pairedRatios(ours, standaloneRates));
      }
      const goal = `${label}: our plugin without JVM flags vs the Java connector, per task`;
      const noFlags = warmRates.get('plugin');
      const missing = WORKER_VARIANTS.filter((v) => v.key === 'plugin' || v.key === 'java').map((v) => v.unavailable() ?? (failed.has(v.key) ? `${v.label} failed (FAILED below)` : null)).filter((r): r is string => r !== null);
      report.targets.push(
        noFlags && java
          ? target(goal, median(noFlags), '>=', GOALS.aheadOfJava * median(java), 'the Java connector’s warm rate per task, same run', 'rec/s')
          : unavailableTarget(goal, '>=', NaN, 'the Java connector’s warm rate per task, same run', 'rec/s', missing.join('; ')),
      );
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

/** Loads are counted per this many records (the issue's unit: bend-ingest-kafka makes ~53 per 500,000). */
const LOADS_PER = 500_000;

/** Generous: a drain slower than 2,000 records/s (+ a minute) is a failure, not a measurement. */
function timeoutFor(records: number): number {
  return 60_000 + (records / 2_000) * 1000;
}
