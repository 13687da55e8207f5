/**
 * A Protobuf message type (protobufjs reflection, resolved) → the record model's `Schema`, plus the
 * function that turns a message protobufjs decoded (through `StrictProtobufReader`) into a
 * `Value`. Done once per message type; per record only the compiled converters run.
 *
 * | Protobuf | Schema |
 * |---|---|
 * | int32, sint32, sfixed32 | INT32 |
 * | uint32, fixed32 | INT64 (every uint32 fits) |
 * | int64, sint64, sfixed64 | INT64 |
 * | uint64, fixed64 | INT64, logical unsigned (0 … 2^64-1) |
 * | float, double, bool, string, bytes | FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES |
 * | enum | STRING, logical enum (symbols), name = full name; a number the enum does not name → its decimal text |
 * | message | STRUCT, name = full name, fields in declaration order |
 * | oneof | its members as fields of the enclosing message, each optional (null unless it is the one set) |
 * | repeated T | ARRAY of T |
 * | map<K, V> | MAP (K keys, V values) |
 * | google.protobuf.Timestamp | INT64, logical timestamp (µs, UTC); nanoseconds that are not whole microseconds → VALUE_OUT_OF_RANGE |
 * | google.type.Date | INT32, logical date; a partial or impossible date → VALUE_OUT_OF_RANGE |
 * | google.protobuf.*Value wrappers | the wrapped type, optional |
 * | google.protobuf.Struct, Value, ListValue | variant (JSON) |
 * | a message that contains itself | variant at the point of recursion |
 *
 * Presence: a field that tracks presence (proto3 `optional`, proto2 singular fields, message
 * fields, oneof members) is optional and null when absent. A proto3 scalar without `optional` has
 * no absent state: it is not optional and an absent value is the type's default (0, "", false,
 * empty bytes, the enum's 0 symbol), as every Protobuf reader sees it. Repeated and map fields are
 * never null: absent is empty.
 */
import * as protobuf from 'protobufjs';
import type { Field, LogicalType, MapValue, Schema, StructValue, Value, VariantValue } from '../record/schema';
import { outOfRange } from './converter-errors';
import { finiteOrText, setJsonKey, toVariantValue } from './variant-value';

/** A value as protobufjs decoded it → the record model (never called with undefined). */
type ValueConverter = (value: unknown) => Value;

export interface ProtobufTranslation {
  schema: Schema;
  convert: ValueConverter;
}

/** A decoded message: protobufjs sets own properties only for the fields it read. */
type Message = Record<string, unknown>;

const hasOwn = Object.prototype.hasOwnProperty;
const EMPTY_BYTES = Buffer.alloc(0);

const identity: ValueConverter = (v) => v as Value;
/** 64-bit values are bigints from the reader; a map entry without a value has protobufjs's number 0. */
const toBigInt: ValueConverter = (v) => (typeof v === 'bigint' ? v : BigInt(v as number));
/** protobufjs gives an empty array, not a Buffer, for a map entry without a value. */
const toBuffer: ValueConverter = (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array));

interface Scalar {
  schema: Schema;
  convert: ValueConverter;
  /** The value of an implicit-presence field that is absent. */
  empty: Value;
}

function scalar(type: Schema['type'], convert: ValueConverter, empty: Value, logical?: LogicalType): Scalar {
  const schema: Schema = logical ? { type, optional: false, logical } : { type, optional: false };
  return { schema, convert, empty };
}

const SCALARS: Readonly<Record<string, Scalar>> = {
  double: scalar('FLOAT64', identity, 0),
  float: scalar('FLOAT32', identity, 0),
  int32: scalar('INT32', identity, 0),
  sint32: scalar('INT32', identity, 0),
  sfixed32: scalar('INT32', identity, 0),
  uint32: scalar('INT64', toBigInt, 0n),
  fixed32: scalar('INT64', toBigInt, 0n),
  int64: scalar('INT64', toBigInt, 0n),
  sint64: scalar('INT64', toBigInt, 0n),
  sfixed64: scalar('INT64', toBigInt, 0n),
  uint64: scalar('INT64', toBigInt, 0n, { kind: 'unsigned' }),
  fixed64: scalar('INT64', toBigInt, 0n, { kind: 'unsigned' }),
  bool: scalar('BOOLEAN', identity, false),
  string: scalar('STRING', identity, ''),
  bytes: scalar('BYTES', toBuffer, EMPTY_BYTES),
};

/** Map keys are property names of the decoded object: back to their type. */
const MAP_KEYS: Readonly<Record<string, ValueConverter>> = {
  string: identity,
  bool: (k) => k === 'true',
  int32: Number,
  sint32: Number,
  sfixed32: Number,
  uint32: (k) => BigInt(k as string),
  fixed32: (k) => BigInt(k as string),
  int64: (k) => BigInt(k as string),
  sint64: (k) => BigInt(k as string),
  sfixed64: (k) => BigInt(k as string),
  uint64: (k) => BigInt(k as string),
  fixed64: (k) => BigInt(k as string),
};

const VARIANT: Schema = Object.freeze({ type: 'STRING', optional: false, logical: Object.freeze({ kind: 'variant' }) }) as Schema;

const WRAPPERS: Readonly<Record<string, string>> = {
  '.google.protobuf.DoubleValue': 'double',
  '.google.protobuf.FloatValue': 'float',
  '.google.protobuf.Int64Value': 'int64',
  '.google.protobuf.UInt64Value': 'uint64',
  '.google.protobuf.Int32Value': 'int32',
  '.google.protobuf.UInt32Value': 'uint32',
  '.google.protobuf.BoolValue': 'bool',
  '.google.protobuf.StringValue': 'string',
  '.google.protobuf.BytesValue': 'bytes',
};

/** Translates message types of one schema; nested types are translated once and shared. */
export class ProtobufTranslator {
  private readonly done = new Map<protobuf.Type, ProtobufTranslation>();
  private readonly inProgress = new Set<protobuf.Type>();

  message(type: protobuf.Type): ProtobufTranslation {
    const cached = this.done.get(type);
    if (cached) return cached;
    if (this.inProgress.has(type)) return this.recursionPoint(type);
    this.inProgress.add(type);
    try {
      const result = this.wellKnown(type) ?? this.struct(type);
      this.done.set(type, result);
      return result;
    } finally {
      this.inProgress.delete(type);
    }
  }

  private wellKnown(type: protobuf.Type): ProtobufTranslation | undefined {
    const name = type.fullName;
    const wrapped = WRAPPERS[name];
    if (wrapped !== undefined) {
      const inner = SCALARS[wrapped];
      return { schema: inner.schema, convert: (m) => (hasOwn.call(m, 'value') ? inner.convert((m as Message).value) : inner.empty) };
    }
    switch (name) {
      case '.google.protobuf.Timestamp':
        return { schema: { type: 'INT64', optional: false, name: name.slice(1), logical: { kind: 'timestamp', unit: 'micros', local: false } }, convert: timestampMicros };
      case '.google.type.Date':
        return { schema: { type: 'INT32', optional: false, name: name.slice(1), logical: { kind: 'date' } }, convert: epochDays };
      case '.google.protobuf.Struct':
        return { schema: { ...VARIANT, name: name.slice(1) }, convert: (m) => structToJson(m as Message) };
      case '.google.protobuf.Value':
        return { schema: { ...VARIANT, name: name.slice(1) }, convert: (m) => valueToJson(m as Message) };
      case '.google.protobuf.ListValue':
        return { schema: { ...VARIANT, name: name.slice(1) }, convert: (m) => listToJson(m as Message) };
      default:
        return undefined;
    }
  }

  private struct(type: protobuf.Type): ProtobufTranslation {
    const fields: Field[] = [];
    const readers: ((m: Message) => Value)[] = [];
    for (const field of type.fieldsArray) {
      const { schema, read } = this.field(field);
      fields.push({ name: field.name, schema });
      readers.push(read);
    }
    const schema: Schema = { type: 'STRUCT', optional: false, name: type.fullName.slice(1), fields };
    return { schema, convert: compileStruct(fields.map((f) => f.name), readers) as ValueConverter };
  }

  private field(field: protobuf.Field): { schema: Schema; read: (m: Message) => Value } {
    const name = field.name;
    if (field instanceof protobuf.MapField) {
      const keys = SCALARS[field.keyType].schema;
      const convertKey = MAP_KEYS[field.keyType];
      const values = this.element(field);
      // A message value missing from its entry comes as null.
      const valueSchema = field.resolvedType instanceof protobuf.Type ? { ...values.schema, optional: true } : values.schema;
      const convertValue = values.convert;
      return {
        schema: { type: 'MAP', optional: false, keys, values: valueSchema },
        read: (m): MapValue => {
          const obj = m[name] as Record<string, unknown>;
          const keyNames = Object.keys(obj);
          const entries: [Value, Value][] = new Array(keyNames.length);
          for (let i = 0; i < keyNames.length; i++) {
            const v = obj[keyNames[i]];
            entries[i] = [convertKey(keyNames[i]), v === null ? null : convertValue(v)];
          }
          return { kind: 'map', entries };
        },
      };
    }
    const element = this.element(field);
    const convert = element.convert;
    if (field.repeated) {
      return {
        schema: { type: 'ARRAY', optional: false, items: element.schema },
        read: (m) => {
          const arr = m[name] as unknown[];
          const out: Value[] = new Array(arr.length);
          for (let i = 0; i < arr.length; i++) out[i] = convert(arr[i]);
          return out;
        },
      };
    }
    const empty = element.empty;
    // Message fields always track presence (and have no empty value of their own).
    if (field.hasPresence || empty === undefined) {
      return { schema: { ...element.schema, optional: true }, read: (m) => (hasOwn.call(m, name) ? convert(m[name]) : null) };
    }
    return { schema: element.schema, read: (m) => (hasOwn.call(m, name) ? convert(m[name]) : empty) };
  }

  /** The type of one value of a field (an element, for repeated and map fields). */
  private element(field: protobuf.Field): ProtobufTranslation & { empty?: Value } {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) return this.message(resolved);
    if (resolved instanceof protobuf.Enum) return enumTranslation(resolved);
    const known = SCALARS[field.type];
    if (!known) throw new Error(`field ${field.name} has unsupported type ${field.type}`);
    return known;
  }

  /** A message that contains itself cannot be a finite STRUCT: from here on it is JSON. */
  private recursionPoint(type: protobuf.Type): ProtobufTranslation {
    return {
      schema: VARIANT,
      convert: (m) => {
        const full = this.done.get(type)!;
        return toVariantValue(full.schema, full.convert(m));
      },
    };
  }
}

function enumTranslation(type: protobuf.Enum): ProtobufTranslation & { empty: Value } {
  const byNumber = new Map<number, string>(Object.entries(type.valuesById).map(([n, s]) => [Number(n), s]));
  const convert: ValueConverter = (n) => byNumber.get(n as number) ?? String(n);
  return {
    schema: { type: 'STRING', optional: false, name: type.fullName.slice(1), logical: { kind: 'enum', symbols: Object.keys(type.values) } },
    convert,
    empty: convert(0),
  };
}

/**
 * A converter building `{ kind: 'struct', fields: { … } }` with one object literal (one hidden
 * class per message type, no keyed stores). A field named `__proto__` cannot be a literal key: then
 * the fields are defined one by one.
 */
function compileStruct(names: readonly string[], readers: readonly ((m: Message) => Value)[]): (m: Message) => StructValue {
  if (names.includes('__proto__')) {
    return (m) => {
      const fields: Record<string, Value> = {};
      for (let i = 0; i < names.length; i++) Object.defineProperty(fields, names[i], { value: readers[i](m), enumerable: true, writable: true, configurable: true });
      return { kind: 'struct', fields };
    };
  }
  const locals = names.map((_, i) => `const r${i} = readers[${i}];`).join('\n');
  const members = names.map((n, i) => `${JSON.stringify(n)}: r${i}(m)`).join(', ');
  const factory = new Function('readers', `${locals}\nreturn function convertMessage(m) { return { kind: 'struct', fields: { ${members} } }; };`) as (
    readers: readonly ((m: Message) => Value)[],
  ) => (m: Message) => StructValue;
  return factory(readers);
}

function own(m: Message, name: string): unknown {
  return hasOwn.call(m, name) ? m[name] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Well-known types

const MAX_TIMESTAMP_SECONDS = 253_402_300_799n; // 9999-12-31T23:59:59Z
const MIN_TIMESTAMP_SECONDS = -62_135_596_800n; // 0001-01-01T00:00:00Z

/** google.protobuf.Timestamp → microseconds since the epoch, exact or refused. */
function timestampMicros(value: unknown): bigint {
  const m = value as Message;
  const seconds = (own(m, 'seconds') as bigint | undefined) ?? 0n;
  const nanos = (own(m, 'nanos') as number | undefined) ?? 0;
  if (seconds < MIN_TIMESTAMP_SECONDS || seconds > MAX_TIMESTAMP_SECONDS || nanos < 0 || nanos > 999_999_999) {
    throw outOfRange(`google.protobuf.Timestamp ${seconds} s + ${nanos} ns is outside the range the type allows (0001-01-01 to 9999-12-31, nanos 0 to 999999999)`);
  }
  if (nanos % 1000 !== 0) {
    throw outOfRange(`google.protobuf.Timestamp ${seconds} s + ${nanos} ns has nanoseconds; a TIMESTAMP column holds whole microseconds`);
  }
  return seconds * 1_000_000n + BigInt(nanos / 1000);
}

const MS_PER_DAY = 86_400_000;

/** google.type.Date → days since 1970-01-01; only a full, real calendar date has one. */
function epochDays(value: unknown): number {
  const m = value as Message;
  const year = (own(m, 'year') as number | undefined) ?? 0;
  const month = (own(m, 'month') as number | undefined) ?? 0;
  const day = (own(m, 'day') as number | undefined) ?? 0;
  const text = `${year}-${month}-${day}`;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) {
    throw outOfRange(`google.type.Date ${text} is not a full date (year 1 to 9999, month and day set); a DATE column holds only full dates`);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) throw outOfRange(`google.type.Date ${text} does not exist`);
  return Math.floor(date.getTime() / MS_PER_DAY);
}

function structToJson(m: Message): VariantValue {
  const fields = (m.fields ?? {}) as Record<string, unknown>;
  const out: { [key: string]: VariantValue } = {};
  for (const key of Object.keys(fields)) setJsonKey(out, key, valueToJson(fields[key] as Message | null));
  return out;
}

function listToJson(m: Message): VariantValue {
  return ((m.values ?? []) as Message[]).map(valueToJson);
}

/**
 * google.protobuf.Value: whichever member of its `kind` oneof is set; none set (or null_value) is
 * null. Members are spelled as in struct.proto when the file came as a schema reference, and in
 * camelCase when protobufjs's own copy of the file was used.
 */
function valueToJson(m: Message | null): VariantValue {
  if (m === null) return null;
  const number = own(m, 'number_value') ?? own(m, 'numberValue');
  if (number !== undefined) return finiteOrText(number as number);
  const text = own(m, 'string_value') ?? own(m, 'stringValue');
  if (text !== undefined) return text as string;
  const bool = own(m, 'bool_value') ?? own(m, 'boolValue');
  if (bool !== undefined) return bool as boolean;
  const struct = own(m, 'struct_value') ?? own(m, 'structValue');
  if (struct !== undefined) return structToJson(struct as Message);
  const list = own(m, 'list_value') ?? own(m, 'listValue');
  if (list !== undefined) return listToJson(list as Message);
  return null;
}
