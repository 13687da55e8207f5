/**
 * Converter CPU on one core: records per CPU-second of one thread (process.cpuUsage, so a busy
 * machine slows the wall clock but not the figure much) for
 * - raw avsc: `Type.decode` of the same wire-format values with the plain schema (the floor any
 *   Avro decoder in JS pays);
 * - sink decode: the sink's StringConverter key + AvroConverter value (typed record model) alone,
 *   the part raw avsc compares with;
 * - sink decode + rows: the same and its batch planner (row encoding to CSV field texts) — the
 *   target metric;
 * - + CSV bytes: the same plus `encodeCsvBytes`, the CSV the writer loads;
 * - Protobuf: the same orders through raw protobufjs and the sink's ProtobufConverter (`protobuf-cpu.ts`).
 * Every pass follows a warm-up pass over the same records.
 */
import * as avro from 'avsc';
import { ORDER_V1 } from './data-generator';
import { protobufCpu, protobufOrders, type ProtobufCpuRun } from './protobuf-cpu';
import { MessageStream, SinkPipeline, type RawMessage } from './sink-pipeline';

export interface ConverterCpuArgs {
  count: number;
  keyCardinality: number;
  seed: number;
  batchSize: number;
  runs: number;
}

export interface ConverterCpuRun extends ProtobufCpuRun {
  rawAvscPerCpuSecond: number;
  decodePerCpuSecond: number;
  decodeAndRowsPerCpuSecond: number;
  withCsvPerCpuSecond: number;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

function rawAvsc(type: avro.Type, messages: readonly RawMessage[]): number {
  let sum = 0;
  for (const m of messages) sum += (type.decode(m.value, 5).value as { qty: number }).qty;
  return sum;
}

/** How far a pass takes the records: decoded, planned into rows, or down to the CSV bytes. */
type Stage = 'decode' | 'rows' | 'csv';

async function sinkPass(pipeline: SinkPipeline, messages: readonly RawMessage[], batchSize: number, stage: Stage): Promise<number> {
  let size = 0;
  for (let start = 0; start < messages.length; start += batchSize) {
    const records = await pipeline.convert('bench', messages.slice(start, start + batchSize), start);
    if (stage === 'decode') {
      size += records.length;
      continue;
    }
    const ops = pipeline.plan(records);
    size += stage === 'csv' ? SinkPipeline.csv(ops).length : ops[0].rows.length;
  }
  return size;
}

export async function converterCpu(args: ConverterCpuArgs): Promise<ConverterCpuRun[]> {
  const messages = new MessageStream(args.keyCardinality, args.seed).take(args.count);
  const type = avro.Type.forSchema(ORDER_V1 as unknown as avro.Schema);
  const pipeline = new SinkPipeline('insert');
  rawAvsc(type, messages);
  await sinkPass(pipeline, messages, args.batchSize, 'csv');
  const timed = async (stage: Stage) => {
    const t = process.cpuUsage();
    await sinkPass(pipeline, messages, args.batchSize, stage);
    return cpuSeconds(t);
  };
  const protobuf = await protobufCpu(protobufOrders(args.keyCardinality, args.seed, args.count), args.runs);
  const runs: ConverterCpuRun[] = [];
  for (let run = 0; run < args.runs; run++) {
    const t = process.cpuUsage();
    rawAvsc(type, messages);
    const raw = cpuSeconds(t);
    const decode = await timed('decode');
    const rows = await timed('rows');
    const withCsv = await timed('csv');
    runs.push({
      rawAvscPerCpuSecond: args.count / raw,
      decodePerCpuSecond: args.count / decode,
      decodeAndRowsPerCpuSecond: args.count / rows,
      withCsvPerCpuSecond: args.count / withCsv,
      ...protobuf[run],
    });
  }
  return runs;
}
