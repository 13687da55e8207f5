/**
 * The two ceilings the end-to-end throughput is measured against, on the same data in the same run
 * (each runs in its own worker process, as the sink does):
 *
 * - consume-only: kafkajs with the sink's consumer settings (fetch sizes, `linger.ms`, partitions
 *   consumed concurrently = `tasks.max`), every value decoded with plain avsc, then discarded;
 *   no commits, no Databend.
 * - direct load: the rows of the same records, as the CSV the sink writes (produced untimed by the
 *   sink's own converters and planner), loaded in `batch.size` chunks through the sink's own load
 *   path (`DatabendSession.loadCsv`: temp file + databend-driver `loadFile`) on `tasks.max`
 *   sessions at once; no Kafka.
 *
 * Both report a steady rate that leaves out start-up: consume-only from the end of the first fetched
 * batch to the last record; direct load from the start of the first load to the end of the last.
 */
import * as avro from 'avsc';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaSecurity } from '../../src/kafka/kafka-client-settings';
import { connectDatabend } from '../../src/databend/databend-connection';
import { createTableSql } from '../../src/planner/ddl';
import type { DatabendConnectionConfig } from '../../src/config/sink-config';
import type { Endpoints } from '../../conformance/environments/environment';
import { ORDER_V1, ORDER_V2 } from './data-generator';
import { MessageStream, SinkPipeline } from './sink-pipeline';
import { busyShare, machineTicks } from './sink-process';
import { rate } from './stats';

/** The sink's consumer sizing (src/cli/run-command.ts), so the ceiling fetches as the sink does. */
export function sinkFetchSizes(batchSize: number, concurrency: number): { maxBytesPerPartition: number; maxBytes: number } {
  const maxBytesPerPartition = Math.min(64 * 1024 * 1024, Math.max(1024 * 1024, batchSize * 1024));
  return { maxBytesPerPartition, maxBytes: Math.max(maxBytesPerPartition * concurrency, 10 * 1024 * 1024) };
}

export interface ConsumeOnlyArgs {
  endpoints: Endpoints;
  topic: string;
  count: number;
  schemaIds: { v1: number; v2: number };
  concurrency: number;
  batchSize: number;
  lingerMs: number;
  groupId: string;
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
  const sizes = sinkFetchSizes(args.batchSize, args.concurrency);
  const consumer = kafka.consumer({ groupId: args.groupId, maxWaitTimeInMs: args.lingerMs, ...sizes });
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
        for (const m of batch.messages) {
          const value = m.value as Buffer;
          const type = types.get(value.readUInt32BE(1));
          if (!type) throw new Error(`unknown schema id ${value.readUInt32BE(1)}`);
          const decoded = type.decode(value, 5).value as { qty: number };
          sink += decoded.qty;
        }
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
  /** One table per run, `<prefix>_<n>`. */
  tablePrefix: string;
  runs: number;
}

/** Loads the same CSV `runs` times (a fresh table each time); one result per run. */
export async function directLoad(args: DirectLoadArgs, onRun: (result: CeilingResult, index: number) => void = () => undefined): Promise<CeilingResult[]> {
  // Untimed: the sink's own CSV for the same records, one text per batch.size chunk.
  const pipeline = new SinkPipeline('insert');
  const chunks: Buffer[] = [];
  let shape: ReturnType<SinkPipeline['plan']>[number]['shape'] | null = null;
  let columns = '';
  const stream = new MessageStream(args.keyCardinality, args.seed);
  for (let start = 0; start < args.count; start += args.batchSize) {
    const messages = stream.take(Math.min(args.batchSize, args.count - start));
    const ops = pipeline.plan(await pipeline.convert('bench', messages, start));
    shape ??= ops[0].shape;
    columns = ops[0].shape.columns.map((c) => `"${c.name}"`).join(', ');
    chunks.push(SinkPipeline.csv(ops));
  }
  if (!shape) throw new Error('nothing to load');
  const sessions = await Promise.all(Array.from({ length: args.concurrency }, () => connectDatabend(args.connection)));
  const results: CeilingResult[] = [];
  try {
    for (let run = 0; run < args.runs; run++) {
      const table = `${args.tablePrefix}_${run}`;
      await sessions[0].exec(`DROP TABLE IF EXISTS "${table}"`);
      await sessions[0].exec(createTableSql({ database: null, table }, shape, { quoting: 'always' }));
      const insert = `INSERT INTO "${table}" (${columns}) VALUES`;
      let next = 0;
      let loaded = 0;
      const cpu0 = process.cpuUsage();
      const ticks0 = machineTicks();
      const t0 = Date.now();
      await Promise.all(
        sessions.map(async (session) => {
          while (next < chunks.length) {
            const chunk = chunks[next++];
            const written = await session.loadCsv(insert, chunk);
            loaded += written;
          }
        }),
      );
      const ms = Date.now() - t0;
      const machineBusy = busyShare(ticks0, machineTicks());
      const cpu = process.cpuUsage(cpu0);
      const rows = await sessions[0].query(`SELECT count(*) FROM "${table}"`);
      if (Number(rows[0][0]) !== args.count || loaded !== args.count) throw new Error(`direct load wrote ${rows[0][0]} rows (driver reported ${loaded}), expected ${args.count}`);
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
