/**
 * The benchmark's data: a 10-field Avro `Order` value (long, string, decimal(12,2), int, double,
 * boolean, timestamp-micros, optional date, enum, optional string) keyed by its `id` (a string key),
 * and a v2 schema that adds two fields (for the schema-evolution scenario). Deterministic: the same
 * seed gives the same bytes, so every run of a scenario reads the same records.
 *
 * Values are encoded by avsc with the plain (non-logical) types, independently of the sink's own
 * decoder: decimals as big-endian two's-complement bytes, timestamps as epoch microseconds.
 */
import * as avro from 'avsc';

export const ORDER_V1 = {
  type: 'record',
  name: 'Order',
  namespace: 'bench',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'customer', type: 'string' },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
    { name: 'qty', type: 'int' },
    { name: 'price', type: 'double' },
    { name: 'paid', type: 'boolean' },
    { name: 'created_at', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'ship_date', type: ['null', { type: 'int', logicalType: 'date' }], default: null },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'SHIPPED', 'CANCELLED'] } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
} as const;

/** v1 plus `coupon` (optional string) and `priority` (int, default 3): a BACKWARD-compatible evolution. */
export const ORDER_V2 = {
  ...ORDER_V1,
  fields: [...ORDER_V1.fields, { name: 'coupon', type: ['null', 'string'], default: null }, { name: 'priority', type: 'int', default: 3 }],
} as const;

export const FIELD_COUNT_V1 = ORDER_V1.fields.length;

export interface GeneratorOptions {
  /** Distinct `id` values (keys); upsert collapses to at most this many rows. */
  keyCardinality: number;
  seed?: number;
}

/** One Kafka message: the string key and the Avro value (without the wire-format header). */
export interface GeneratedRecord {
  key: string;
  id: number;
  avro: Buffer;
}

const STATUSES = ['NEW', 'PAID', 'SHIPPED', 'CANCELLED'] as const;
const NAMES = ['Ada', 'Grace', 'Linus', 'Zoë', 'Søren', 'Jürgen', 'Ólafur', '李雷', 'Ngozi', 'Émile', 'Priya', 'O\'Brien'];
const NOTES = ['leave at the door', 'fragile, "handle with care"', 'call before, please\nsecond line', 'gift wrap ✓', 'back door; ring twice', ''];
/** 2026-01-01T00:00:00Z in µs: created_at values are spread over the following 30 days. */
const BASE_MICROS = 1_767_225_600_000_000;
const BASE_DAY = 20_454;

/** mulberry32: a small, fast, seedable PRNG (the same seed gives the same sequence everywhere). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Big-endian two's-complement bytes of an integer (|n| < 2^47). */
export function decimalBytes(unscaled: number): Buffer {
  let length = 1;
  while (unscaled < -(2 ** (length * 8 - 1)) || unscaled >= 2 ** (length * 8 - 1)) length++;
  const out = Buffer.alloc(length);
  out.writeIntBE(unscaled, 0, length);
  return out;
}

/** Generates records with a seeded PRNG; `next()` is the record at the current position. */
export class OrderGenerator {
  private readonly v1 = avro.Type.forSchema(ORDER_V1 as unknown as avro.Schema);
  private readonly v2 = avro.Type.forSchema(ORDER_V2 as unknown as avro.Schema);
  private readonly random: () => number;
  private index = 0;

  constructor(private readonly options: GeneratorOptions) {
    if (!Number.isInteger(options.keyCardinality) || options.keyCardinality < 1) throw new Error(`key cardinality must be a positive integer, got ${options.keyCardinality}`);
    this.random = prng(options.seed ?? 42);
  }

  /** The next record's value as a plain object (avsc's default types: decimals as Buffer, longs as numbers). */
  nextValue(version: 1 | 2 = 1): Record<string, unknown> {
    const r = this.random;
    const i = this.index++;
    const id = Math.floor(r() * this.options.keyCardinality);
    const withNote = r() < 0.6;
    const value: Record<string, unknown> = {
      id,
      customer: `${NAMES[Math.floor(r() * NAMES.length)]} ${Math.floor(r() * 100_000)}`,
      amount: decimalBytes(Math.floor(r() * 10_000_000) - 50_000),
      qty: 1 + Math.floor(r() * 50),
      price: Math.round(r() * 1_000_000) / 100 + 0.001,
      paid: r() < 0.7,
      created_at: BASE_MICROS + i * 997 + Math.floor(r() * 1000),
      ship_date: r() < 0.8 ? BASE_DAY + Math.floor(r() * 60) : null,
      status: STATUSES[Math.floor(r() * STATUSES.length)],
      note: withNote ? `${NOTES[Math.floor(r() * NOTES.length)]} #${i}` : null,
    };
    if (version === 2) {
      value.coupon = r() < 0.5 ? `SAVE${Math.floor(r() * 50)}` : null;
      value.priority = Math.floor(r() * 5);
    }
    return value;
  }

  next(version: 1 | 2 = 1): GeneratedRecord {
    const value = this.nextValue(version);
    const type = version === 1 ? this.v1 : this.v2;
    return { key: String(value.id), id: value.id as number, avro: type.toBuffer(value) };
  }
}

/** Confluent wire format: magic byte 0, the schema id (4 bytes, big-endian), the Avro binary. */
export function wireFormat(schemaId: number, avroBytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + avroBytes.length);
  out[0] = 0;
  out.writeUInt32BE(schemaId, 1);
  out.set(avroBytes as unknown as Uint8Array, 5);
  return out;
}

/**
 * The JSON topics (schemaless, `JsonConverter` with `schemas.enable=false`, as `bend-ingest-kafka`
 * reads them): the same orders as JSON objects written by `JSON.stringify`, so doubles come with up
 * to 17 significant digits as JavaScript prints them. `dense`: every member has a value; `sparse`:
 * the nullable members `ship_date`, `note` and `score` are JSON null in about 20 %, 40 % and 30 %
 * of the records (8 combinations of null members: a sink that loads per record shape loads 8 times
 * per batch). About 230 bytes per record.
 */
export type JsonDensity = 'dense' | 'sparse';

/** The table both sinks write the JSON topics into (what the sink's schemaless inference creates). */
export const JSON_ORDER_COLUMNS: readonly (readonly [string, string])[] = [
  ['id', 'BIGINT'],
  ['customer', 'VARCHAR'],
  ['amount', 'DOUBLE'],
  ['qty', 'BIGINT'],
  ['price', 'DOUBLE'],
  ['paid', 'BOOLEAN'],
  ['created_at', 'VARCHAR'],
  ['ship_date', 'VARCHAR'],
  ['status', 'VARCHAR'],
  ['note', 'VARCHAR'],
  ['score', 'DOUBLE'],
];

export class JsonOrderGenerator {
  private readonly orders: OrderGenerator;
  private readonly random: () => number;

  constructor(
    options: GeneratorOptions,
    private readonly density: JsonDensity,
  ) {
    this.orders = new OrderGenerator(options);
    this.random = prng((options.seed ?? 42) + 7919);
  }

  /** The next record as a plain object (the value JSON.stringify writes). */
  nextObject(): Record<string, unknown> {
    const v = this.orders.nextValue(1);
    const r = this.random;
    const sparse = this.density === 'sparse';
    const micros = v.created_at as number;
    const day = (v.ship_date as number | null) ?? BASE_DAY + Math.floor(r() * 60);
    return {
      id: v.id,
      customer: v.customer,
      amount: (v.amount as Buffer).readIntBE(0, (v.amount as Buffer).length) / 100,
      qty: v.qty,
      price: v.price,
      paid: v.paid,
      created_at: new Date(micros / 1000).toISOString().replace('T', ' ').replace('Z', ''),
      ship_date: sparse && r() < 0.2 ? null : new Date(day * 86_400_000).toISOString().slice(0, 10),
      status: v.status,
      note: sparse && r() < 0.4 ? null : ((v.note as string | null) ?? `note #${v.id}`),
      score: sparse && r() < 0.3 ? null : r() * 100,
    };
  }

  next(): { key: string; id: number; json: Buffer } {
    const value = this.nextObject();
    return { key: String(value.id), id: value.id as number, json: Buffer.from(JSON.stringify(value)) };
  }
}
