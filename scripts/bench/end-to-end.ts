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
import type { ConnectorConfig } from '../../conformance/sink-under-test/sink-under-test';
import { busyShare, machineTicks, startSink, type SinkCommand } from './sink-process';
import { rate } from './stats';

export interface SinkSettings {
  tasksMax: number;
  batchSize: number;
  lingerMs: number;
}

export interface BenchContext {
  endpoints: Endpoints;
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
}

/** Sum of committed offsets of a group on a topic (partitions start at offset 0). */
export async function committedCount(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return entry.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

export async function endCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

export interface DrainSpec {
  /** Scenario name: part of the connector name, group and table. */
  scenario: string;
  index: number;
  topic: string;
  mode: 'insert' | 'upsert';
  /** Config keys of the variant (exactly-once). */
  overrides?: Record<string, string>;
  /** Rows the table must hold when done. */
  expectRows: number;
  timeoutMs: number;
}

export async function drainWithSink(ctx: BenchContext, spec: DrainSpec): Promise<DrainRun> {
  const name = `bench-${spec.scenario}-${ctx.runId}-${spec.index}`;
  const table = `bench_${spec.scenario.replace(/-/g, '_')}_${ctx.runId}_${spec.index}`;
  const overrides: Record<string, string> = { 'insert.mode': spec.mode };
  if (spec.mode === 'upsert') Object.assign(overrides, { 'pk.mode': 'record_value', 'pk.fields': 'id' });
  Object.assign(overrides, spec.overrides);
  const config = connectorConfig(ctx, name, spec.topic, table, overrides);
  const groupId = `connect-${name}`;
  const kafka = kafkaClient(ctx.endpoints.kafka, 'bench-watch');
  const admin = kafka.admin();
  await admin.connect();
  const db = await databendConnection(ctx.endpoints.databend);
  try {
    const total = await endCount(admin, spec.topic);
    const nodeArgs = ctx.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${ctx.cpuProfileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
    const t0 = Date.now();
    const sink = startSink(ctx.sink, config, { nodeArgs });
    let exitCode: number | null = null;
    void sink.exited.then((code) => (exitCode = code));
    let firstAt = 0;
    let firstCount = 0;
    let doneAt = 0;
    let firstTicks = machineTicks();
    try {
      for (;;) {
        if (exitCode !== null) throw new Error(`the sink exited with ${exitCode} before draining ${spec.topic}:\n${sink.logs().slice(-3000)}`);
        if (Date.now() - t0 > spec.timeoutMs) throw new Error(`the sink did not drain ${spec.topic} within ${spec.timeoutMs / 1000} s:\n${sink.logs().slice(-3000)}`);
        const committed = await committedCount(admin, groupId, spec.topic);
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
      await sink.stop(10_000);
      throw err;
    }
    const machineBusy = busyShare(firstTicks, machineTicks());
    const usage = sink.usage.read();
    const code = await sink.stop();
    if (code !== 0) throw new Error(`the sink exited with ${code} on SIGTERM:\n${sink.logs().slice(-3000)}`);
    const rows = Number((await queryStrings(db, `SELECT count(*) FROM "${table}"`))[0][0]);
    if (rows !== spec.expectRows) throw new Error(`${table} holds ${rows} rows after ${spec.scenario}, expected ${spec.expectRows}`);
    await dropTable(db, table);
    const offsetsTable = overrides['exactly.once.offsets.table'];
    if (offsetsTable) await dropTable(db, offsetsTable);
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
    };
  } finally {
    await admin.disconnect();
    await db.close().catch(() => undefined);
  }
}

export async function dropTable(db: DatabendConnection, table: string): Promise<void> {
  await db.exec(`DROP TABLE IF EXISTS "${table}"`).catch(() => undefined);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
