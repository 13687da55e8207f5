/**
 * Converter CPU on one core: records per CPU-second of one thread (process.cpuUsage, so a busy
 * machine slows the wall clock but not the figure much) for
 * - raw avsc: `Type.decode` of the same wire-format values with the plain schema (the floor any
 *   Avro decoder in JS pays);
 * - sink decode + rows: the sink's StringConverter key + AvroConverter value (typed record model)
 *   and its batch planner (row encoding to CSV field texts) — the target metric;
 * - + CSV bytes: the same plus `encodeCsvBytes`, the CSV the writer loads.
 * Every pass follows a warm-up pass over the same records.
 */
import * as avro from 'avsc';
import { ORDER_V1 } from './data-generator';
import { MessageStream, SinkPipeline, type RawMessage } from './sink-pipeline';

export interface ConverterCpuArgs {
  count: number;
  keyCardinality: number;
  seed: number;
  batchSize: number;
  runs: number;
}

export interface ConverterCpuRun {
  rawAvscPerCpuSecond: number;
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

async function sinkPass(pipeline: SinkPipeline, messages: readonly RawMessage[], batchSize: number, csv: boolean): Promise<number> {
  let size = 0;
  for (let start = 0; start < messages.length; start += batchSize) {
    const records = await pipeline.convert('bench', messages.slice(start, start + batchSize), start);
    const ops = pipeline.plan(records);
    size += csv ? SinkPipeline.csv(ops).length : ops[0].rows.length;
  }
  return size;
}

export async function converterCpu(args: ConverterCpuArgs): Promise<ConverterCpuRun[]> {
  const messages = new MessageStream(args.keyCardinality, args.seed).take(args.count);
  const type = avro.Type.forSchema(ORDER_V1 as unknown as avro.Schema);
  const pipeline = new SinkPipeline('insert');
  rawAvsc(type, messages);
  await sinkPass(pipeline, messages, args.batchSize, true);
  const runs: ConverterCpuRun[] = [];
  for (let run = 0; run < args.runs; run++) {
    let t = process.cpuUsage();
    rawAvsc(type, messages);
    const raw = cpuSeconds(t);
    t = process.cpuUsage();
    await sinkPass(pipeline, messages, args.batchSize, false);
    const rows = cpuSeconds(t);
    t = process.cpuUsage();
    await sinkPass(pipeline, messages, args.batchSize, true);
    const withCsv = cpuSeconds(t);
    runs.push({ rawAvscPerCpuSecond: args.count / raw, decodeAndRowsPerCpuSecond: args.count / rows, withCsvPerCpuSecond: args.count / withCsv });
  }
  return runs;
}
