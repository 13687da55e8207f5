/**
 * Avro writer schema (as an avsc type from `avro-types.ts`) → the record model's `Schema`, plus the
 * function that turns a decoded avsc value into a `Value`. Done once per schema id; the per-record
 * work is only calling the compiled converters.
 *
 * | Avro | Schema |
 * |---|---|
 * | null (alone) | optional STRING, always null |
 * | boolean, int, long, float, double, bytes, string | BOOLEAN, INT32, INT64, FLOAT32, FLOAT64, BYTES, STRING |
 * | int with `connect.type` int8 / int16 | INT8 / INT16 |
 * | enum | STRING, logical enum (symbols), name = full name |
 * | fixed | BYTES, name = full name |
 * | decimal (bytes or fixed) | BYTES, logical decimal(precision, scale), value `Decimal` |
 * | date, time-*, timestamp-*, local-timestamp-*, uuid | as `record/schema.ts` documents |
 * | array, map | ARRAY, MAP (STRING keys) |
 * | record | STRUCT, name = full name, fields in order, field defaults converted |
 * | [null, T] / [T, null] / [T] | T, optional when null is a branch |
 * | several non-null branches | STRING with logical variant (optional when null is a branch): the branch value as JSON |
 * | a record that contains itself | variant at the point of recursion |
 */
import * as avro from 'avsc';
import type { Tap } from 'avsc/lib/utils';
import type { Field, MapValue, Schema, StructValue, Value } from '../record/schema';
import { avroToVariant, connectMeaningOf, VariantUnionType } from './avro-types';

/** Decoded avsc value → record model value; null when the decoded value already is one. */
export type AvroValueConverter = ((value: unknown) => Value) | null;

export interface AvroTranslation {
  schema: Schema;
  convert: AvroValueConverter;
  /**
   * Records: reads the value straight from the data into the record model (the same value as
   * `convert` of avsc's decoded record, without that intermediate object). Absent for other types.
   */
  read?: (tap: Tap) => Value;
}

/** A type with avsc's internal reader (what `Type.decode` calls). */
type ReadableType = avro.Type & { _read(tap: Tap): unknown };

const PRIMITIVES: { [typeName: string]: Schema } = {
  boolean: { type: 'BOOLEAN', optional: false },
  int: { type: 'INT32', optional: false },
  'abstract:long': { type: 'INT64', optional: false },
  long: { type: 'INT64', optional: false },
  float: { type: 'FLOAT32', optional: false },
  double: { type: 'FLOAT64', optional: false },
  bytes: { type: 'BYTES', optional: false },
  string: { type: 'STRING', optional: false },
};

const NULL_ONLY: AvroTranslation = { schema: { type: 'STRING', optional: true }, convert: () => null };

export function translateAvro(root: avro.Type): AvroTranslation {
  return new Translator().translate(root);
}

class Translator {
  private readonly done = new Map<avro.Type, AvroTranslation>();
  private readonly inProgress = new Set<avro.Type>();

  translate(type: avro.Type): AvroTranslation {
    const cached = this.done.get(type);
    if (cached) return cached;
    if (this.inProgress.has(type)) return recursionPoint(type);
    this.inProgress.add(type);
    try {
      const result = this.translateNew(type);
      this.done.set(type, result);
      return result;
    } finally {
      this.inProgress.delete(type);
    }
  }

  private translateNew(type: avro.Type): AvroTranslation {
    const meaning = connectMeaningOf(type);
    if (meaning) {
      const schema: Schema = { type: meaning.type, optional: false };
      if (meaning.logical) schema.logical = meaning.logical;
      return { schema, convert: null };
    }
    if (type instanceof VariantUnionType) {
      const optional = type.types.some((t) => t.typeName === 'null');
      return { schema: { type: 'STRING', optional, logical: { kind: 'variant' } }, convert: null };
    }
    const typeName = type.typeName;
    const primitive = PRIMITIVES[typeName];
    if (primitive) return { schema: primitive, convert: null };
    switch (typeName) {
      case 'null':
        return NULL_ONLY;
      case 'enum': {
        const enumType = type as avro.types.EnumType;
        return {
          schema: { type: 'STRING', optional: false, name: enumType.name, logical: { kind: 'enum', symbols: [...enumType.symbols] } },
          convert: checkEnum,
        };
      }
      case 'fixed':
        return { schema: { type: 'BYTES', optional: false, name: (type as avro.types.FixedType).name }, convert: null };
      case 'array':
        return this.array(type as avro.types.ArrayType);
      case 'map':
        return this.map(type as avro.types.MapType);
      case 'record':
      case 'error':
        return this.record(type as avro.types.RecordType);
      case 'union:unwrapped':
      case 'union:wrapped':
        return this.optional(type as avro.types.UnwrappedUnionType);
      default:
        throw new Error(`unsupported Avro type ${typeName}`);
    }
  }

  private array(type: avro.types.ArrayType): AvroTranslation {
    const items = this.translate(type.itemsType);
    const convertItem = items.convert;
    const convert = convertItem
      ? (value: unknown): Value => {
          const arr = value as unknown[];
          for (let i = 0; i < arr.length; i++) arr[i] = convertItem(arr[i]);
          return arr as Value[];
        }
      : null;
    return { schema: { type: 'ARRAY', optional: false, items: items.schema }, convert };
  }

  private map(type: avro.types.MapType): AvroTranslation {
    const values = this.translate(type.valuesType as avro.Type);
    const convertValue = values.convert;
    const convert = (value: unknown): MapValue => {
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj);
      const entries: [Value, Value][] = new Array(keys.length);
      for (let i = 0; i < keys.length; i++) {
        const v = obj[keys[i]];
        entries[i] = [keys[i], convertValue ? convertValue(v) : (v as Value)];
      }
      return { kind: 'map', entries };
    };
    return { schema: { type: 'MAP', optional: false, keys: PRIMITIVES.string, values: values.schema }, convert };
  }

  private record(type: avro.types.RecordType): AvroTranslation {
    const avroFields = type.fields;
    const names: string[] = [];
    const converters: AvroValueConverter[] = [];
    const fields: Field[] = [];
    for (const field of avroFields) {
      const t = this.translate(field.type);
      let schema = t.schema;
      const fallback = field.defaultValue();
      if (fallback !== undefined) schema = { ...schema, defaultValue: convertDefault(field.type, t, fallback) };
      names.push(field.name);
      converters.push(t.convert);
      fields.push({ name: field.name, schema });
    }
    const count = names.length;
    const convert = (value: unknown): Value => {
      const rec = value as Record<string, unknown>;
      const out: Record<string, Value> = {};
      for (let i = 0; i < count; i++) {
        const name = names[i];
        const conv = converters[i];
        out[name] = conv === null ? (rec[name] as Value) : conv(rec[name]);
      }
      return { kind: 'struct', fields: out };
    };
    const read = compileRecordReader(
      names,
      avroFields.map((f) => f.type as ReadableType),
      avroFields.map((f) => this.done.get(f.type)),
      converters,
    );
    return { schema: { type: 'STRUCT', optional: false, name: type.name, fields }, convert, ...(read ? { read } : {}) };
  }

  /** [null, T], [T, null] or [T] (unions of several non-null types are VariantUnionType). */
  private optional(type: avro.types.UnwrappedUnionType): AvroTranslation {
    const branches = type.types;
    const nonNull = branches.filter((t) => t.typeName !== 'null');
    if (nonNull.length === 0) return NULL_ONLY;
    const inner = this.translate(nonNull[0]);
    if (nonNull.length === branches.length) return inner;
    const convertInner = inner.convert;
    const convert = convertInner ? (value: unknown): Value => (value === null ? null : convertInner(value)) : null;
    // A wrapped [null, T] union (avsc wraps when asked to) still decodes to the bare value here,
    // because only VariantUnionType is ever wrapped.
    return { schema: { ...inner.schema, optional: true }, convert };
  }
}

/**
 * A reader for a record whose field names can be object-literal keys: generated code that reads the
 * fields in order into one object literal (one hidden class per record type, no intermediate avsc
 * record, no per-field keyed stores). Nested records use their own readers. `null` (use avsc's
 * decode and `convert`) for a `__proto__` field, whose literal key would set the prototype.
 */
function compileRecordReader(names: readonly string[], types: readonly ReadableType[], translations: readonly (AvroTranslation | undefined)[], converters: readonly AvroValueConverter[]): ((tap: Tap) => Value) | null {
  if (names.some((n) => n === '__proto__')) return null;
  const readers = types.map((t, i) => {
    const own = translations[i]?.read;
    if (own) return own;
    const convert = converters[i];
    return convert === null ? (tap: Tap) => t._read(tap) : (tap: Tap) => convert(t._read(tap));
  });
  const members = names.map((n, i) => `${JSON.stringify(n)}: r${i}(tap)`).join(', ');
  const locals = names.map((_, i) => `const r${i} = readers[${i}];`).join('\n');
  const factory = new Function('readers', `${locals}\nreturn function readRecord(tap) { return { kind: 'struct', fields: { ${members} } }; };`) as (
    readers: readonly ((tap: Tap) => unknown)[],
  ) => (tap: Tap) => StructValue;
  return factory(readers);
}

function checkEnum(value: unknown): Value {
  if (value === undefined) throw new Error('enum index out of range');
  return value as string;
}

/** A record that contains itself cannot be a finite STRUCT: from there on it is JSON. */
function recursionPoint(type: avro.Type): AvroTranslation {
  return { schema: { type: 'STRING', optional: false, logical: { kind: 'variant' } }, convert: (value) => avroToVariant(type, value) };
}

/** avsc decodes defaults like data (wrapped for variant unions): same converters, one exception. */
function convertDefault(type: avro.Type, translation: AvroTranslation, fallback: unknown): Value {
  if (fallback === null) return null;
  if (type instanceof VariantUnionType) {
    // The default is the first branch's value, wrapped as { branchName: value }.
    const first = type.types[0];
    const inner = (fallback as Record<string, unknown>)[(first as unknown as { branchName: string }).branchName];
    return avroToVariant(first, inner);
  }
  return translation.convert ? translation.convert(fallback) : (fallback as Value);
}
