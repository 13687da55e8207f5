/**
 * The two ceilings the end-to-end throughput is measured against, on the same data in the same run
 * (each runs in its own worker process, as the sink does):
 *
 * - consume-only: kafkajs with the sink's consumer settings (fetch sizes, `linger.ms`, partitions
 *   consumed concurrently = `tasks.max`), every value decoded with plain avsc (JSON topics: UTF-8
 *   text and JSON.parse), then discarded; no commits, no Databend. Its CPU per record is the
 *   least any sink on kafkajs pays.
 * - direct load: the rows of the same records, as the CSV the sink writes (produced untimed by the
 *   sink's own converters and planner), loaded in `batch.size` chunks through the sink's own load
 *   path (`DatabendSession.loadCsv`: temp file + databend-driver `loadFile`) on `tasks.max`
 *   sessions at once; no Kafka.
 *
 * The same path with `mode: 'upsert'` is the upsert's own ceiling: Databend's REPLACE on the rows
 * the sink writes for `insert.mode=upsert`, no Kafka.
 *
 * A third figure is not a ceiling but the step between them: convert + load, the direct load with
 * the sink's conversion, planning and CSV encoding inside the timed window (`convertTimed`). What
 * it loses against direct load is what the sink's own CPU work costs Databend on a shared machine.
 *
 * Both report a steady rate that leaves out start-up: consume-only from the end of the first fetched
 * batch to the last record; direct load from the start of the first load to the end of the last.
 */
import * as avro from 'avsc';
import { Kafka, logLevel } from 'kafkajs';
import { FetchSizing, kafkaSecurity } from '../../src/kafka/kafka-client-settings';
import { sizeFetches } from '../../src/kafka/kafkajs-runtime';
import { connectDatabend } from '../../src/databend/databend-connection';
import type { DatabendSession } from '../../src/databend/databend-session';
import { upsertCsv } from '../../src/databend/write/execute-upsert';
import { createTableSql } from '../../src/dialect/ddl';
import type { DatabendConnectionConfig } from '../../src/databend/connection-options';
import type { Endpoints } from '../../conformance/environments/environment';
import { ORDER_V1, ORDER_V2 } from './data-generator';
import { MessageStream, SinkPipeline, type RawMessage } from './sink-pipeline';
import { busyShare, machineTicks } from './sink-process';
import { rate } from './stats';

export interface ConsumeOnlyArgs {
  endpoints: Endpoints;
  topic: string;
  count: number;
  schemaIds: { v1: number; v2: number };
  concurrency: number;
  batchSize: number;
  lingerMs: number;
  groupId: string;
  /** The values: Confluent Avro (the default) or JSON text. */
  format?: 'avro' | 'json';
}

export interface CeilingResult {
  records: number;
  /** Records counted in the steady window, and its length. */
  steadyRecords: number;
  steadyMs: number;
  /** Records per second in the steady window. */
  rate: number;
  /** From the start of the worker's work (connect, or first load) to the end. */
  totalMs: number;
  cpuSeconds: number;
  /** Share of all cores busy (anything on the machine) during the measured window. */
  machineBusy: number;
}

export async function consumeOnly(args: ConsumeOnlyArgs): Promise<CeilingResult> {
  const types = new Map<number, avro.Type>([
    [args.schemaIds.v1, avro.Type.forSchema(ORDER_V1 as unknown as avro.Schema)],
    [args.schemaIds.v2, avro.Type.forSchema(ORDER_V2 as unknown as avro.Schema)],
  ]);
  const kafka = new Kafka({ clientId: 'bench-consume-only', brokers: args.endpoints.kafka.bootstrapServers, logLevel: logLevel.NOTHING, ...kafkaSecurity(args.endpoints.kafka.clientSettings) });
  // The sink's own fetch limits (sized in bytes by the records seen), so the ceiling fetches as the sink does.
  const sizing = new FetchSizing(args.batchSize, args.concurrency);
  const consumer = kafka.consumer({ groupId: args.groupId, maxWaitTimeInMs: args.lingerMs, ...sizing.sizes() });
  const stopSizing = sizeFetches(args.groupId, () => sizing.sizes());
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  await consumer.connect();
  await consumer.subscribe({ topics: [args.topic], fromBeginning: true });
  let seen = 0;
  let firstBatchAt = 0;
  let firstBatchCount = 0;
  let sink = 0;
  let ticks0 = machineTicks();
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: args.concurrency,
      eachBatch: async ({ batch, resolveOffset }) => {
        let bytes = 0;
        for (const m of batch.messages) {
          const value = m.value as Buffer;
          bytes += value.length + (m.key?.length ?? 0);
          if (args.format === 'json') {
            sink += (JSON.parse(value.toString('utf8')) as { qty: number }).qty;
            continue;
          }
          const type = types.get(value.readUInt32BE(1));
          if (!type) throw new Error(`unknown schema id ${value.readUInt32BE(1)}`);
          const decoded = type.decode(value, 5).value as { qty: number };
          sink += decoded.qty;
        }
        sizing.observe(batch.messages.length, bytes);
        seen += batch.messages.length;
        if (firstBatchAt === 0) {
          firstBatchAt = Date.now();
          firstBatchCount = seen;
          ticks0 = machineTicks();
        }
        resolveOffset(batch.lastOffset());
        if (seen >= args.count) resolve(Date.now());
      },
    });
  });
  const end = await done;
  const machineBusy = busyShare(ticks0, machineTicks());
  const cpu = process.cpuUsage(cpu0);
  await consumer.disconnect();
  stopSizing();
  if (sink < 0) throw new Error('unreachable');
  const steadyRecords = seen - firstBatchCount;
  const steadyMs = end - firstBatchAt;
  return { records: seen, steadyRecords, steadyMs, rate: rate(steadyRecords, steadyMs), totalMs: end - t0, cpuSeconds: (cpu.user + cpu.system) / 1e6, machineBusy };
}

export interface DirectLoadArgs {
  connection: DatabendConnectionConfig;
  count: number;
  keyCardinality: number;
  seed: number;
  concurrency: number;
  batchSize: number;
  /**
   * Convert, plan and encode each chunk inside the timed window, as the sink does between fetch and
   * load, instead of before it: the sink's own CPU work sharing the machine with Databend, no Kafka.
   */
  convertTimed?: boolean;
  /** `upsert`: the sink's REPLACE … ON (id) with rows de-duplicated per chunk, as `insert.mode=upsert` writes them. */
  mode?: 'insert' | 'upsert';
  /** One table per run, `<prefix>_<n>`. */
  tablePrefix: string;
  runs: number;
}

/** Loads the same records `runs` times (a fresh table each time); one result per run. */
export async function directLoad(args: DirectLoadArgs, onRun: (result: CeilingResult, index: number) => void = () => undefined): Promise<CeilingResult[]> {
  const mode = args.mode ?? 'insert';
  const pipeline = new SinkPipeline(mode);
  const encode = async (messages: readonly RawMessage[], firstOffset: number) => SinkPipeline.csv(pipeline.plan(await pipeline.convert('bench', messages, firstOffset)));
  const stream = new MessageStream(args.keyCardinality, args.seed);
  const messageChunks: RawMessage[][] = [];
  for (let start = 0; start < args.count; start += args.batchSize) messageChunks.push(stream.take(Math.min(args.batchSize, args.count - start)));
  const expectRows = mode === 'insert' ? args.count : new Set(messageChunks.flatMap((chunk) => chunk.map((m) => m.key.toString()))).size;
  // Untimed: the table's shape, and converters that know the schema (as in the sink's steady state).
  const shape = pipeline.plan(await pipeline.convert('bench', messageChunks[0].slice(0, 1)))[0]?.shape ?? null;
  if (!shape) throw new Error('nothing to load');
  const columns = shape.columns.map((c) => `"${c.name}"`).join(', ');
  // Untimed unless convertTimed: the sink's own CSV for the same records, one text per batch.size chunk.
  const csvChunks: Buffer[] = [];
  if (!args.convertTimed) {
    for (let i = 0; i < messageChunks.length; i++) csvChunks.push(await encode(messageChunks[i], i * args.batchSize));
    messageChunks.length = 0;
  }
  const chunkCount = args.convertTimed ? messageChunks.length : csvChunks.length;
  const chunkCsv = (i: number): Promise<Buffer> | Buffer => (args.convertTimed ? encode(messageChunks[i], i * args.batchSize) : csvChunks[i]);
  const sessions = await Promise.all(Array.from({ length: args.concurrency }, () => connectDatabend(args.connection)));
  const results: CeilingResult[] = [];
  try {
    for (let run = 0; run < args.runs; run++) {
      const table = `${args.tablePrefix}_${run}`;
      await sessions[0].exec(`DROP TABLE IF EXISTS "${table}"`);
      await sessions[0].exec(createTableSql({ database: null, table }, shape, { quoting: 'always' }));
      const insert = `INSERT INTO "${table}" (${columns}) VALUES`;
      const names = shape.columns.map((c) => c.name);
      // Upsert: the writer's own statements for the server (a scratch table on current servers).
      const load = (session: DatabendSession, chunk: Buffer) =>
        mode === 'insert' ? session.loadCsv(insert, chunk) : upsertCsv(session, { database: null, table }, names, shape.keyColumns, 'always', chunk).then(() => 0);
      let next = 0;
      let loaded = 0;
      const cpu0 = process.cpuUsage();
      const ticks0 = machineTicks();
      const t0 = Date.now();
      await Promise.all(
        sessions.map(async (session) => {
          while (next < chunkCount) {
            const chunk = await chunkCsv(next++);
            const written = await load(session, chunk);
            loaded += written;
          }
        }),
      );
      const ms = Date.now() - t0;
      const machineBusy = busyShare(ticks0, machineTicks());
      const cpu = process.cpuUsage(cpu0);
      const rows = await sessions[0].query(`SELECT count(*) FROM "${table}"`);
      if (Number(rows[0][0]) !== expectRows || (mode === 'insert' && loaded !== args.count)) throw new Error(`direct ${mode} wrote ${rows[0][0]} rows (driver reported ${loaded}), expected ${expectRows}`);
      await sessions[0].exec(`DROP TABLE IF EXISTS "${table}"`);
      const result = { records: args.count, steadyRecords: args.count, steadyMs: ms, rate: rate(args.count, ms), totalMs: ms, cpuSeconds: (cpu.user + cpu.system) / 1e6, machineBusy };
      results.push(result);
      onRun(result, run);
    }
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
  return results;
}
