/**
 * Protobuf decode CPU, beside the Avro figures of `converter-cpu.ts`: the generator's orders as a
 * proto3 `Order` (the decimal as int64 cents, created_at a google.protobuf.Timestamp, ship_date a
 * google.type.Date, the enum and the optional note as Protobuf has them), in Confluent's framing
 * with the message indexes [0], measured as
 * - raw protobufjs: `Type.decode` alone (int64 as Long objects, no record model): the floor;
 * - sink decode: the sink's ProtobufConverter (record model: bigints, µs timestamps, days, enum names).
 */
import * as protobuf from 'protobufjs';
import { createConverter } from '../../src/converters/converter-factory';
import type { Converter } from '../../src/ports/converter';
import { OrderGenerator } from './data-generator';

const ORDER_PROTO = `syntax = "proto3";
package bench;
import "google/protobuf/timestamp.proto";
import "google/type/date.proto";
enum Status { NEW = 0; PAID = 1; SHIPPED = 2; CANCELLED = 3; }
message Order {
  int64 id = 1;
  string customer = 2;
  int64 amount_cents = 3;
  int32 qty = 4;
  double price = 5;
  bool paid = 6;
  google.protobuf.Timestamp created_at = 7;
  google.type.Date ship_date = 8;
  Status status = 9;
  optional string note = 10;
}
`;
const DATE_PROTO = 'syntax = "proto3";\npackage google.type;\nmessage Date { int32 year = 1; int32 month = 2; int32 day = 3; }\n';
const SCHEMA_ID = 1;
const HEADER_LENGTH = 6; // magic byte, schema id, message indexes [0]

export interface ProtobufCpuRun {
  rawProtobufjsPerCpuSecond: number;
  protobufDecodePerCpuSecond: number;
}

function orderType(): protobuf.Type {
  const root = new protobuf.Root();
  root.addJSON(protobuf.common.get('google/protobuf/timestamp.proto')!.nested!);
  protobuf.parse(DATE_PROTO, root, { keepCase: true });
  protobuf.parse(ORDER_PROTO, root, { keepCase: true });
  root.resolveAll();
  return root.lookupType('bench.Order');
}

/** The same orders the Avro figures decode, as Confluent-framed Protobuf messages. */
export function protobufOrders(keyCardinality: number, seed: number, count: number): Buffer[] {
  const type = orderType();
  const generator = new OrderGenerator({ keyCardinality, seed });
  const header = Buffer.from([0, 0, 0, 0, SCHEMA_ID, 0]);
  const out: Buffer[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const v = generator.nextValue();
    const micros = v.created_at as number;
    const day = v.ship_date === null ? undefined : new Date((v.ship_date as number) * 86_400_000);
    const order = type.fromObject({
      id: v.id,
      customer: v.customer,
      amount_cents: (v.amount as Buffer).readIntBE(0, (v.amount as Buffer).length),
      qty: v.qty,
      price: v.price,
      paid: v.paid,
      created_at: { seconds: Math.floor(micros / 1e6), nanos: (micros % 1e6) * 1000 },
      ...(day ? { ship_date: { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() } } : {}),
      status: v.status,
      ...(v.note === null ? {} : { note: v.note }),
    });
    out[i] = Buffer.concat([header, type.encode(order).finish()]);
  }
  return out;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

function rawProtobufjs(type: protobuf.Type, messages: readonly Buffer[]): number {
  let sum = 0;
  for (const m of messages) {
    const reader = protobuf.Reader.create(m);
    reader.pos = HEADER_LENGTH;
    sum += (type.decode(reader) as unknown as { qty: number }).qty;
  }
  return sum;
}

function sinkDecode(converter: Converter, messages: readonly Buffer[]): number {
  let size = 0;
  for (const m of messages) if (converter.tryConvert!('bench', m)) size++;
  return size;
}

/** `runs` timed passes, each after the warm-up pass. */
export async function protobufCpu(messages: readonly Buffer[], runs: number): Promise<ProtobufCpuRun[]> {
  const type = orderType();
  const registry = { getSchema: async () => ({ id: SCHEMA_ID, format: 'PROTOBUF' as const, schema: ORDER_PROTO, references: [] }) };
  const converter = createConverter({ kind: 'protobuf', className: 'io.confluent.connect.protobuf.ProtobufConverter', schemasEnable: false, schemaRegistryUrl: 'memory' }, false, registry);
  await converter.toConnectData('bench', messages[0]);
  rawProtobufjs(type, messages);
  sinkDecode(converter, messages);
  const out: ProtobufCpuRun[] = [];
  for (let run = 0; run < runs; run++) {
    let t = process.cpuUsage();
    rawProtobufjs(type, messages);
    const raw = cpuSeconds(t);
    t = process.cpuUsage();
    sinkDecode(converter, messages);
    const sink = cpuSeconds(t);
    out.push({ rawProtobufjsPerCpuSecond: messages.length / raw, protobufDecodePerCpuSecond: messages.length / sink });
  }
  return out;
}
