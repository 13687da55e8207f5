/**
 * avsc, set up so that decoding produces the record model's leaf values directly:
 * - `long` is a bigint (a custom long type), read straight from the varint without a Buffer;
 * - logical types (decimal, date, time-*, timestamp-*, local-timestamp-*, uuid) become
 *   `Decimal`, days, and bigint microseconds as `record/schema.ts` documents; an invalid logical
 *   type falls back to its underlying type, as the Avro spec says;
 * - Kafka Connect's `"connect.type": "int8" | "int16"` hint on `int` is honoured;
 * - unions of several non-null types decode straight to their JSON (`VariantValue`): the branch
 *   value itself, rendered as `variant-value.ts` describes (the branch name is not kept);
 * - strings and map keys are decoded as strict UTF-8, and reading past the end of the data is an
 *   error at once (see `StrictTap`).
 */
import * as avro from 'avsc';
import { Tap } from 'avsc/lib/utils';
import { parse as parseJson } from 'lossless-json';
import type { Decimal, LogicalType, PrimitiveType, VariantValue } from '../record/schema';
import { undecodable } from './converter-errors';
import { maxPrecisionOfFixed, unscaledFromBytes, unscaledFromRange, unscaledToBytes } from './decimal';
import { decodeUtf8 } from './strict-utf8';
import { finiteOrText, logicalToVariant, setJsonKey } from './variant-value';

type AvroSchemaJson = { [key: string]: unknown };
type ReadableType = avro.Type & { _read(tap: Tap): unknown };

// ---------------------------------------------------------------------------------------------
// Bytes

function truncated(): never {
  throw undecodable('Avro data is truncated or does not match its writer schema');
}

/** A cursor that fails on the first read past the end and decodes strings strictly. */
export class StrictTap extends Tap {
  override readLong(): number {
    const v = super.readLong();
    if (this.pos > this.buf.length) truncated();
    return v;
  }
  override readBoolean(): boolean {
    if (this.pos >= this.buf.length) truncated();
    return super.readBoolean();
  }
  override readFloat(): number {
    const v = super.readFloat();
    if (this.pos > this.buf.length) truncated();
    return v;
  }
  override readDouble(): number {
    const v = super.readDouble();
    if (this.pos > this.buf.length) truncated();
    return v;
  }
  override readFixed(len: number): Buffer {
    const v = super.readFixed(len);
    if (v === undefined) truncated();
    return v;
  }
  override readString(): string {
    const len = this.readLong();
    const start = this.pos;
    const end = start + len;
    if (len < 0 || end > this.buf.length) truncated();
    this.pos = end;
    return decodeUtf8(this.buf, start, end, 'Avro string');
  }
}

/** Zig-zag varint → bigint; numbers below 2^49 take the fast path. */
function readBigLong(tap: Tap): bigint {
  const buf = tap.buf;
  let pos = tap.pos;
  let b = buf[pos++];
  let n = b & 0x7f;
  let mul = 128;
  let count = 1;
  while (b & 0x80 && count < 7) {
    b = buf[pos++];
    n += (b & 0x7f) * mul;
    mul *= 128;
    count++;
  }
  let result: bigint;
  if (b & 0x80) {
    let big = BigInt(n);
    let shift = 49n;
    do {
      if (count === 10) truncated();
      b = buf[pos++];
      big |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      count++;
    } while (b & 0x80);
    big = BigInt.asUintN(64, big);
    result = (big >> 1n) ^ -(big & 1n);
  } else {
    result = BigInt(n % 2 === 0 ? n / 2 : -(n + 1) / 2);
  }
  tap.pos = pos;
  if (pos > buf.length) truncated();
  return result;
}

/** `long` as bigint, exact over the whole int64 range. */
const BIGINT_LONG_BASE = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as number | bigint | string),
  toJSON: (n: bigint) => (Number.isSafeInteger(Number(n)) ? Number(n) : n),
  isValid: (n: unknown) => typeof n === 'bigint' && BigInt.asIntN(64, n) === n,
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/**
 * The same type reading the varint straight into a bigint (`__with` would unpack it into an 8-byte
 * Buffer first). `__with` freezes its result, so the faster `_read` sits on an heir of it.
 */
export const BIGINT_LONG = Object.create(BIGINT_LONG_BASE) as ReadableType;
(BIGINT_LONG as { _read(tap: Tap): bigint })._read = readBigLong;

// ---------------------------------------------------------------------------------------------
// Logical types

/** What a logical type means in the record model. */
export interface ConnectMeaning {
  type: PrimitiveType;
  logical?: LogicalType;
}

abstract class ConnectLogicalType extends avro.types.LogicalType {
  abstract readonly meaning: ConnectMeaning;

  protected underlyingName(): string {
    return (this.underlyingType as unknown as { typeName: string }).typeName;
  }

  protected override _resolve(): undefined {
    return undefined;
  }
}

function requireUnderlying(actual: string, ...allowed: string[]): void {
  if (!allowed.includes(actual)) throw new Error(`logical type not applicable to ${actual}`);
}

class DecimalType extends ConnectLogicalType {
  readonly meaning: ConnectMeaning;
  private readonly scale: number;
  private readonly size: number | undefined;

  constructor(schema: AvroSchemaJson, opts: unknown) {
    super(schema as avro.Schema, opts);
    const underlying = this.underlyingName();
    requireUnderlying(underlying, 'bytes', 'fixed');
    const precision = schema.precision;
    const scale = schema.scale ?? 0;
    if (!Number.isInteger(precision) || (precision as number) < 1) throw new Error('invalid decimal precision');
    if (!Number.isInteger(scale) || (scale as number) < 0 || (scale as number) > (precision as number)) throw new Error('invalid decimal scale');
    this.size = underlying === 'fixed' ? (this.underlyingType as unknown as { size: number }).size : undefined;
    if (this.size !== undefined && (precision as number) > maxPrecisionOfFixed(this.size)) throw new Error('decimal precision too large for fixed size');
    this.scale = scale as number;
    this.meaning = { type: 'BYTES', logical: { kind: 'decimal', precision: precision as number, scale: this.scale } };
  }

  protected override _fromValue(bytes: Buffer): Decimal {
    return { unscaled: unscaledFromBytes(bytes), scale: this.scale };
  }

  /** Reads the unscaled value straight from the data (no Buffer view per value). */
  _read(tap: Tap): Decimal {
    const buf = tap.buf;
    const len = this.size ?? tap.readLong();
    const start = tap.pos;
    const end = start + len;
    if (len < 0 || end > buf.length) truncated();
    tap.pos = end;
    return { unscaled: unscaledFromRange(buf, start, end), scale: this.scale };
  }

  protected override _toValue(d: Decimal): Buffer | undefined {
    if (d === null || typeof d !== 'object' || typeof d.unscaled !== 'bigint' || d.scale !== this.scale) return undefined;
    return unscaledToBytes(d.unscaled, this.size);
  }
}

/** A logical type whose values the record model takes as the underlying type decodes them: only its meaning differs. */
abstract class PassThroughType extends ConnectLogicalType {
  readonly meaning: ConnectMeaning;

  /** `underlying`: the one Avro type it applies to, when the schema hook has not already made sure of it. */
  constructor(schema: AvroSchemaJson, opts: unknown, meaning: ConnectMeaning, underlying?: string) {
    super(schema as avro.Schema, opts);
    if (underlying !== undefined) requireUnderlying(this.underlyingName(), underlying);
    this.meaning = meaning;
  }

  protected override _fromValue<T>(v: T): T {
    return v;
  }
  protected override _toValue<T>(v: T): T {
    return v;
  }
}

class DateType extends PassThroughType {
  constructor(schema: AvroSchemaJson, opts: unknown) {
    super(schema, opts, { type: 'INT32', logical: { kind: 'date' } }, 'int');
  }
}

class TimeMillisType extends ConnectLogicalType {
  readonly meaning: ConnectMeaning = { type: 'INT32', logical: { kind: 'time', unit: 'millis' } };
  constructor(schema: AvroSchemaJson, opts: unknown) {
    super(schema as avro.Schema, opts);
    requireUnderlying(this.underlyingName(), 'int');
  }
  protected override _fromValue(ms: number): bigint {
    return BigInt(ms) * 1000n;
  }
  protected override _toValue(micros: bigint): number | undefined {
    return typeof micros === 'bigint' ? Number(micros / 1000n) : undefined;
  }
}

/** time-micros and every timestamp: a long, kept as bigint microseconds. */
class MicrosType extends ConnectLogicalType {
  readonly meaning: ConnectMeaning;
  private readonly factor: bigint;
  constructor(schema: AvroSchemaJson, opts: unknown) {
    super(schema as avro.Schema, opts);
    requireUnderlying(this.underlyingName(), 'abstract:long');
    const name = schema.logicalType as string;
    const millis = name.endsWith('-millis');
    this.factor = millis ? 1000n : 1n;
    this.meaning =
      name === 'time-micros'
        ? { type: 'INT64', logical: { kind: 'time', unit: 'micros' } }
        : { type: 'INT64', logical: { kind: 'timestamp', unit: millis ? 'millis' : 'micros', local: name.startsWith('local-') } };
  }
  protected override _fromValue(v: bigint): bigint {
    return this.factor === 1n ? v : v * this.factor;
  }
  protected override _toValue(micros: bigint): bigint | undefined {
    return typeof micros === 'bigint' ? micros / this.factor : undefined;
  }
}

class UuidType extends PassThroughType {
  constructor(schema: AvroSchemaJson, opts: unknown) {
    super(schema, opts, { type: 'STRING', logical: { kind: 'uuid' } }, 'string');
  }
}

/** Kafka Connect writes INT8 / INT16 as `{"type": "int", "connect.type": "int8"}`. */
class ConnectIntType extends PassThroughType {
  constructor(schema: AvroSchemaJson, opts: unknown) {
    super(schema, opts, { type: schema['connect.type'] === 'int8' ? 'INT8' : 'INT16' });
  }
}

const LOGICAL_TYPES = {
  decimal: DecimalType,
  date: DateType,
  'time-millis': TimeMillisType,
  'time-micros': MicrosType,
  'timestamp-millis': MicrosType,
  'timestamp-micros': MicrosType,
  'local-timestamp-millis': MicrosType,
  'local-timestamp-micros': MicrosType,
  uuid: UuidType,
} as unknown as { [name: string]: new (schema: avro.Schema, opts?: unknown) => avro.types.LogicalType };

export function connectMeaningOf(type: avro.Type): ConnectMeaning | undefined {
  return type instanceof ConnectLogicalType ? type.meaning : undefined;
}

// ---------------------------------------------------------------------------------------------
// Unions of several types

/** A union with two or more non-null branches: decodes to the branch value as JSON. */
export class VariantUnionType extends avro.types.WrappedUnionType {
  _read(tap: Tap): VariantValue {
    const type = this.types[tap.readLong()] as ReadableType | undefined;
    if (type === undefined) truncated();
    return avroToVariant(type, type._read(tap));
  }
}

/** A decoded avsc value (with this module's leaf representations) as JSON. */
export function avroToVariant(type: avro.Type, value: unknown): VariantValue {
  if (value === null || value === undefined) return null;
  if (type instanceof ConnectLogicalType) {
    const { logical } = type.meaning;
    return logical ? logicalToVariant(logical, value as Decimal) : (value as number);
  }
  if (type instanceof VariantUnionType) return value as VariantValue;
  switch (type.typeName) {
    case 'int':
    case 'float':
    case 'double':
      return finiteOrText(value as number);
    case 'abstract:long':
    case 'boolean':
    case 'string':
    case 'enum':
      return value as VariantValue;
    case 'bytes':
    case 'fixed':
      return (value as Buffer).toString('base64');
    case 'array': {
      const items = (type as avro.types.ArrayType).itemsType;
      return (value as unknown[]).map((v) => avroToVariant(items, v));
    }
    case 'map': {
      const values = (type as avro.types.MapType).valuesType as avro.Type;
      const out: { [key: string]: VariantValue } = {};
      for (const key of Object.keys(value as object)) setJsonKey(out, key, avroToVariant(values, (value as Record<string, unknown>)[key]));
      return out;
    }
    case 'record':
    case 'error': {
      const out: { [key: string]: VariantValue } = {};
      for (const field of (type as avro.types.RecordType).fields) {
        setJsonKey(out, field.name, avroToVariant(field.type, (value as Record<string, unknown>)[field.name]));
      }
      return out;
    }
    case 'union:unwrapped':
    case 'union:wrapped': {
      // [null, T] or [T]: the value is T's.
      const branch = (type as avro.types.UnwrappedUnionType).types.find((t) => t.typeName !== 'null');
      return branch ? avroToVariant(branch, value) : null;
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

function isNullSchema(s: unknown): boolean {
  return s === 'null' || (typeof s === 'object' && s !== null && !Array.isArray(s) && (s as AvroSchemaJson).type === 'null');
}

let bypassHookFor: unknown = null;

const MICROS_LOGICAL_TYPES = new Set(['time-micros', 'timestamp-millis', 'timestamp-micros', 'local-timestamp-millis', 'local-timestamp-micros']);

/** Runs before avsc's own handling of each (sub)schema. */
function typeHook(schema: avro.Schema, opts: avro.ForSchemaOptions): avro.Type | undefined {
  if (Array.isArray(schema)) {
    const nonNull = schema.filter((s) => !isNullSchema(s)).length;
    return nonNull >= 2 ? new VariantUnionType(schema, opts) : undefined;
  }
  if (typeof schema !== 'object' || schema === null) return undefined;
  const json = schema as unknown as AvroSchemaJson;
  if (json.type === 'long') {
    // avsc consults `registry.long` only for the bare name "long", not for {"type": "long", …}.
    if (schema !== bypassHookFor && MICROS_LOGICAL_TYPES.has(json.logicalType as string)) return constructBypassingHook(MicrosType, json, opts);
    return BIGINT_LONG;
  }
  const connectType = json['connect.type'];
  if (schema !== bypassHookFor && json.type === 'int' && json.logicalType === undefined && (connectType === 'int8' || connectType === 'int16')) {
    return constructBypassingHook(ConnectIntType, json, opts);
  }
  return undefined;
}

/** A logical type's constructor parses the same schema object for its underlying type: skip the hook then. */
function constructBypassingHook(Ctor: new (schema: AvroSchemaJson, opts: unknown) => avro.Type, json: AvroSchemaJson, opts: unknown): avro.Type {
  const previous = bypassHookFor;
  bypassHookFor = json;
  try {
    return new Ctor(json, opts);
  } finally {
    bypassHookFor = previous;
  }
}

/**
 * Parses schema text with integers beyond 2^53 kept exact (long defaults), numbers otherwise:
 * JSON.parse would round `"default": 9223372036854775807`.
 */
function parseSchemaJson(text: string): avro.Schema {
  return parseJson(text, null, parseSchemaNumber) as avro.Schema;
}

function parseSchemaNumber(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) || !/^-?\d+$/.test(text) ? n : BigInt(text);
}

export function avroOptions(): Partial<avro.ForSchemaOptions> {
  return {
    registry: { long: BIGINT_LONG },
    logicalTypes: LOGICAL_TYPES as avro.ForSchemaOptions['logicalTypes'],
    typeHook,
    wrapUnions: 'auto',
  };
}

/** The avsc type of a writer schema; `references` (dependencies first) define the names it uses. */
export function parseAvroSchema(schema: string, references: readonly string[] = []): avro.Type {
  const opts = avroOptions();
  for (const ref of references) avro.Type.forSchema(parseSchemaJson(ref), opts);
  return avro.Type.forSchema(parseSchemaJson(schema), opts);
}

/** Reads one value; the tap must hold exactly that value. */
export function readAvro(type: avro.Type, tap: StrictTap): unknown {
  return (type as ReadableType)._read(tap);
}
