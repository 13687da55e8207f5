/**
 * End-to-end runs: the sink (its own process) drains a topic that is already full — a backlog —
 * into a fresh table, with its own consumer group. Progress is read from Kafka: the sink commits a
 * partition's offsets only after the rows are durable, so "all offsets committed" is "all rows
 * written". The row count is checked afterwards.
 *
 * Reported per run: the steady rate (records committed between the first observed commit and the
 * last, over that time: start-up — process start, group join, table creation — is left out), the
 * drain time from process start, the sink's peak RSS (sampled every 100 ms over its process tree,
 * and the kernel's VmHWM) and its CPU time per record.
 */
import type { Admin } from 'kafkajs';
import { databendConnection, queryStrings, type DatabendConnection } from '../../conformance/clients/databend';
import { kafkaClient } from '../../conformance/clients/kafka';
import type { Endpoints } from '../../conformance/environments/environment';
import type { RunEnvironment } from '../../conformance/jest/run-environment';
import type { ConnectorConfig } from '../../conformance/sink-under-test/sink-under-test';
import { servedRequests } from '../../conformance/support/protocol-path';
import { busyShare, machineTicks, type ProcessUsage, startSink, type SinkCommand } from './sink-process';
import { rate } from './stats';

export interface SinkSettings {
  tasksMax: number;
  batchSize: number;
  lingerMs: number;
}

export interface BenchContext {
  endpoints: Endpoints;
  /** The run's services as the conformance suite's adapters take them (the Kafka Connect worker). */
  environment: RunEnvironment;
  sink: SinkCommand;
  settings: SinkSettings;
  /** Unique per bench run: names of groups and tables. */
  runId: string;
  /** When set, the sink runs with --cpu-prof into this folder. */
  cpuProfileDir?: string;
  log: (message: string) => void;
}

export function connectorConfig(ctx: BenchContext, name: string, topic: string, table: string, overrides: Record<string, string> = {}): ConnectorConfig {
  const { kafka, schemaRegistry, databend } = ctx.endpoints;
  const registry: Record<string, string> = { 'value.converter.schema.registry.url': schemaRegistry.url };
  if (schemaRegistry.basicAuthUserInfo) {
    registry['value.converter.basic.auth.credentials.source'] = 'USER_INFO';
    registry['value.converter.basic.auth.user.info'] = schemaRegistry.basicAuthUserInfo;
  }
  return {
    name,
    config: {
      'connector.class': 'com.databend.kafka.connect.DatabendSinkConnector',
      topics: topic,
      'connection.url': `jdbc:databend://${databend.host}:${databend.port}${databend.sslmode === 'enable' ? '?ssl=true' : ''}`,
      'connection.user': databend.user,
      'connection.password': databend.password,
      'connection.database': 'default',
      'table.name.format': table,
      'auto.create': 'true',
      'auto.evolve': 'true',
      'insert.mode': 'insert',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      ...registry,
      'bootstrap.servers': kafka.bootstrapServers.join(','),
      ...kafka.clientSettings,
      'tasks.max': String(ctx.settings.tasksMax),
      'batch.size': String(ctx.settings.batchSize),
      'linger.ms': String(ctx.settings.lingerMs),
      ...overrides,
    },
  };
}

export interface DrainRun {
  records: number;
  /** Process start → every offset committed. */
  drainMs: number;
  steadyRecords: number;
  steadyMs: number;
  /** Steady records per second (the drain rate when the whole topic came in one step). */
  rate: number;
  peakRssMb: number;
  hwmMb: number;
  cpuSeconds: number;
  cpuUsPerRecord: number;
  /** Share of all cores busy (anything on the machine) during the steady window. */
  machineBusy: number;
  rows: number;
  /** Statements that wrote rows into the table (the Databend front's request log; NaN without one). */
  loads: number;
  /** Records per partition of the topic drained. */
  partitionRecords: number[];
}

/** Sum of committed offsets of a group on a topic (partitions start at offset 0). */
export async function committedCount(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return entry.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

export async function endCount(admin: Admin, topic: string): Promise<number> {
  return (await partitionCounts(admin, topic)).reduce((sum, n) => sum + n, 0);
}

/** Records held by each partition of a topic. */
export async function partitionCounts(admin: Admin, topic: string): Promise<number[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.map((p) => Number(p.high) - Number(p.low));
}

/** The fewest loads a sink can make of a topic when a load holds at most `batchSize` records of one partition. */
export function fewestLoads(perPartition: readonly number[], batchSize: number): number {
  return perPartition.reduce((sum, n) => sum + Math.ceil(n / batchSize), 0);
}

export interface DrainSpec {
  /** Scenario name: part of the connector name, group and table. */
  scenario: string;
  index: number;
  topic: string;
  mode: 'insert' | 'upsert';
  /** Connector config keys beside the scenario's: the variant's (exactly-once), the JSON converter. */
  overrides?: Record<string, string>;
  /** Rows the table must hold when done. */
  expectRows: number;
  timeoutMs: number;
  /** Makes the table before the sink starts (else the sink creates it). */
  prepare?: (db: DatabendConnection, table: string) => Promise<void>;
}

export async function drainWithSink(ctx: BenchContext, spec: DrainSpec): Promise<DrainRun> {
  const name = `bench-${spec.scenario}-${ctx.runId}-${spec.index}`;
  const table = `bench_${spec.scenario.replace(/-/g, '_')}_${ctx.runId}_${spec.index}`;
  const overrides: Record<string, string> = { 'insert.mode': spec.mode };
  if (spec.mode === 'upsert') Object.assign(overrides, { 'pk.mode': 'record_value', 'pk.fields': 'id' });
  Object.assign(overrides, spec.overrides);
  const config = connectorConfig(ctx, name, spec.topic, table, overrides);
  const nodeArgs = ctx.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${ctx.cpuProfileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const offsetsTable = overrides['exactly.once.offsets.table'];
  const target: DrainTarget = { what: 'the sink', topic: spec.topic, groupId: `connect-${name}`, table, expectRows: spec.expectRows, timeoutMs: spec.timeoutMs, prepare: spec.prepare, alsoDrop: offsetsTable ? [offsetsTable] : [] };
  return measureDrain(ctx, target, () => startSink(ctx.sink, config, { nodeArgs }));
}

/** A process that drains a topic into a table: the sink under benchmark, or a peer. */
export interface DrainProcess {
  readonly usage: { read(): ProcessUsage };
  readonly exited: Promise<number>;
  logs(): string;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number>;
}

export interface DrainTarget {
  /** Names the process in errors. */
  what: string;
  topic: string;
  /** The consumer group whose committed offsets show the progress. */
  groupId: string;
  /** The table in the default database (`bench_…`, no quoting needed). */
  table: string;
  expectRows: number;
  timeoutMs: number;
  prepare?: (db: DatabendConnection, table: string) => Promise<void>;
  /** Other tables the run leaves behind, dropped with the table (exactly-once's offsets table). */
  alsoDrop?: string[];
  /** Whether a non-zero exit on SIGTERM is an error (a peer's own shutdown is not ours to judge). */
  tolerateExitCode?: boolean;
}

/**
 * Starts `start()` against a topic that is already full and measures the drain: progress read from
 * the group's committed offsets every 100 ms (a sink commits after the rows are durable), the steady
 * rate between the first observed commit and the last, CPU and memory of the process tree, the
 * loads it made, and the row count once done. The table is dropped afterwards.
 */
export async function measureDrain(ctx: BenchContext, target: DrainTarget, start: () => DrainProcess | Promise<DrainProcess>): Promise<DrainRun> {
  const kafka = kafkaClient(ctx.endpoints.kafka, 'bench-watch');
  const admin = kafka.admin();
  await admin.connect();
  const db = await databendConnection(ctx.endpoints.databend);
  try {
    await dropTable(db, target.table);
    if (target.prepare) await target.prepare(db, target.table);
    const partitionRecords = await partitionCounts(admin, target.topic);
    const total = partitionRecords.reduce((sum, n) => sum + n, 0);
    const requestLog = ctx.endpoints.databend.requestLog;
    const requestsBefore = requestLog ? servedRequests(requestLog).length : 0;
    const t0 = Date.now();
    const running = await start();
    let exitCode: number | null = null;
    void running.exited.then((code) => (exitCode = code));
    let firstAt = 0;
    let firstCount = 0;
    let doneAt = 0;
    let firstTicks = machineTicks();
    /** The last failed progress read: a busy broker may not answer one poll (kafkajs gives up finding the coordinator); the timeout bounds the retries. */
    let pollError: unknown = null;
    try {
      for (;;) {
        if (exitCode !== null) throw new Error(`${target.what} exited with ${exitCode} before draining ${target.topic}:\n${running.logs().slice(-3000)}`);
        if (Date.now() - t0 > target.timeoutMs) {
          const lastError = pollError === null ? '' : ` (last progress read failed: ${pollError instanceof Error ? pollError.message : String(pollError)})`;
          throw new Error(`${target.what} did not drain ${target.topic} within ${target.timeoutMs / 1000} s${lastError}:\n${running.logs().slice(-3000)}`);
        }
        let committed: number;
        try {
          committed = await committedCount(admin, target.groupId, target.topic);
          pollError = null;
        } catch (err) {
          pollError = err;
          await sleep(1000);
          continue;
        }
        const now = Date.now();
        if (committed > 0 && firstAt === 0) {
          firstAt = now;
          firstCount = committed;
          firstTicks = machineTicks();
        }
        if (committed >= total) {
          doneAt = now;
          break;
        }
        await sleep(100);
      }
    } catch (err) {
      await running.stop(10_000);
      throw err;
    }
    const machineBusy = busyShare(firstTicks, machineTicks());
    const usage = running.usage.read();
    const code = await running.stop();
    if (code !== 0 && !target.tolerateExitCode) throw new Error(`${target.what} exited with ${code} on SIGTERM:\n${running.logs().slice(-3000)}`);
    const rows = Number((await queryStrings(db, `SELECT count(*) FROM "${target.table}"`))[0][0]);
    if (rows !== target.expectRows) throw new Error(`${target.table} holds ${rows} rows after ${target.what} drained ${target.topic}, expected ${target.expectRows}`);
    const loads = requestLog ? servedRequests(requestLog).slice(requestsBefore).filter((r) => writesInto(r.sql, target.table)).length : NaN;
    for (const table of [target.table, ...(target.alsoDrop ?? [])]) await dropTable(db, table);
    const steadyRecords = total - firstCount;
    const steadyMs = doneAt - firstAt;
    const drainMs = doneAt - t0;
    return {
      records: total,
      drainMs,
      steadyRecords,
      steadyMs,
      rate: steadyRecords > 0 && steadyMs > 0 ? rate(steadyRecords, steadyMs) : rate(total, drainMs),
      peakRssMb: usage.peakRssMb,
      hwmMb: usage.hwmMb,
      cpuSeconds: usage.cpuSeconds,
      cpuUsPerRecord: (usage.cpuSeconds * 1e6) / total,
      machineBusy,
      rows,
      loads,
      partitionRecords,
    };
  } finally {
    await admin.disconnect();
    await db.close().catch(() => undefined);
  }
}

/** Whether a statement writes rows into `table` (INSERT, REPLACE or COPY INTO it, quoted or with its database). */
export function writesInto(sql: string | undefined, table: string): boolean {
  if (sql === undefined) return false;
  const m = /^\s*(?:INSERT|REPLACE|COPY)\s+INTO\s+((?:"[^"]+"|[\w]+)(?:\.(?:"[^"]+"|[\w]+))?)/i.exec(sql);
  if (!m) return false;
  const parts = m[1].split('.').map((p) => p.replace(/^"|"$/g, ''));
  return parts[parts.length - 1] === table;
}

export async function dropTable(db: DatabendConnection, table: string): Promise<void> {
  await db.exec(`DROP TABLE IF EXISTS "${table}"`).catch(() => undefined);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
