/**
 * JSON values (from `json-text.ts`) → record model values under a known `Schema`: shared by the
 * JsonConverter (schemas.enable=true) and the JSON Schema converter. A converter is compiled once
 * per schema; converting a record calls the compiled functions only.
 *
 * Accepted encodings (both Kafka Connect's JsonConverter and Confluent's JSON Schema serializer):
 * - integers: JSON integers (a number with a zero fraction is accepted too); out of the type's
 *   range → VALUE_OUT_OF_RANGE;
 * - floats: any JSON number, or the strings "NaN", "Infinity", "-Infinity";
 * - BYTES: base64 text; Decimal: base64 of the unscaled two's-complement bytes, or a JSON number
 *   (exact, rescaled to the schema's scale; digits beyond it are an error, not rounding);
 * - Date: days; Time: ms (int32) or µs (int64) since midnight; Timestamp: ms or µs per the schema;
 * - MAP: a JSON object (STRING keys), or an array of [key, value] pairs or {"key", "value"} objects;
 * - variant: any JSON;
 * - a Kafka Connect Union struct (the Avro converter's encoding of a union of several types,
 *   `connect-json-schema.ts` makes it a variant and lists its branches in `UnionBranches`): an
 *   object whose one non-null member is the branch's value, converted under the branch's schema
 *   and rendered as `variant-value.ts` renders any value inside a variant (as the standalone Avro
 *   path renders the same union); none or several set → RECORD_UNDECODABLE;
 * - null or missing → the schema default when there is one, else null when optional, else an error.
 */
import type { Field, MapValue, Schema, StructValue, Value } from '../record/schema';
import { fieldPath, outOfRange, undecodable } from './converter-errors';
import { decimalFromText, unscaledFromBytes } from './decimal';
import { doubleOf, isJsonObject, JsonBigFloat, type JsonValue, lastParse, toVariantJson } from './json-text';
import { toVariantValue } from './variant-value';

export type JsonValueConverter = (value: JsonValue | undefined) => Value;

/**
 * The Kafka Connect Union structs of a schema: each variant schema that stands for one (by
 * identity) → the struct's fields, one per branch (`connect-json-schema.ts`). Empty for every
 * other source of schemas.
 */
export type UnionBranches = ReadonlyMap<Schema, readonly Field[]>;

const NO_UNIONS: UnionBranches = new Map();

const INT_RANGES = {
  INT8: [-128n, 127n],
  INT16: [-32768n, 32767n],
  INT32: [-2147483648n, 2147483647n],
  INT64: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Compiles the converter for `schema`; `path` names the value in error messages. */
export function compileJsonConverter(schema: Schema, path = '', unions: UnionBranches = NO_UNIONS): JsonValueConverter {
  const convert = compileNonNull(schema, path || 'value', unions);
  const hasDefault = schema.defaultValue !== undefined && schema.defaultValue !== null;
  const fallback = schema.defaultValue ?? null;
  const optional = schema.optional;
  const where = path || 'value';
  return (value) => {
    if (value === null || value === undefined) {
      if (hasDefault) return fallback;
      if (optional) return null;
      throw undecodable(`${where} is required but ${value === null ? 'null' : 'missing'}`);
    }
    return convert(value);
  };
}

/**
 * Whether converting under `schema` may read a JSON number's literal: only a Decimal does (it
 * rescales the digits as written); every other type reads the double or the integer.
 */
export function readsNumberLiterals(schema: Schema, unions: UnionBranches = NO_UNIONS): boolean {
  if (schema.logical?.kind === 'decimal') return true;
  if (schema.items && readsNumberLiterals(schema.items, unions)) return true;
  if (schema.keys && readsNumberLiterals(schema.keys, unions)) return true;
  if (schema.values && readsNumberLiterals(schema.values, unions)) return true;
  return (schema.fields ?? unions.get(schema) ?? []).some((f) => readsNumberLiterals(f.schema, unions));
}

/** Converts a schema's JSON default (e.g. Connect's `"default"`) to the value model. */
export function convertJsonDefault(schema: Schema, json: JsonValue, path: string, unions: UnionBranches = NO_UNIONS): Value {
  if (json === null) return null;
  return compileNonNull(schema, `default of ${path || 'value'}`, unions)(json);
}

type NonNullConverter = (value: JsonValue) => Value;

function compileNonNull(schema: Schema, path: string, unions: UnionBranches): NonNullConverter {
  const logical = schema.logical;
  if (logical?.kind === 'variant') {
    const branches = unions.get(schema);
    if (branches) return compileUnion(branches, path, unions);
    return (v) => toVariantJson(v, lastParse().hasBigFloat);
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32': {
      const [min, max] = INT_RANGES[schema.type];
      const toInt = (v: JsonValue): number => Number(integerOf(v, min, max, path, schema.type));
      if (logical?.kind === 'time') return (v) => BigInt(toInt(v)) * 1000n;
      return toInt;
    }
    case 'INT64': {
      const [min, max] = INT_RANGES.INT64;
      if (logical?.kind === 'timestamp' && logical.unit === 'millis') {
        return (v) => integerOf(v, min, max, path, 'INT64') * 1000n;
      }
      return (v) => integerOf(v, min, max, path, 'INT64');
    }
    case 'FLOAT32':
    case 'FLOAT64':
      return (v) => floatOf(v, path);
    case 'BOOLEAN':
      return (v) => {
        if (typeof v !== 'boolean') throw mismatch(path, 'a boolean', v);
        return v;
      };
    case 'STRING':
      return (v) => {
        if (typeof v !== 'string') throw mismatch(path, 'a string', v);
        return v;
      };
    case 'BYTES':
      if (logical?.kind === 'decimal') {
        const scale = logical.scale;
        return (v) => decimalOf(v, scale, path);
      }
      return (v) => bytesOf(v, path);
    case 'ARRAY': {
      const item = compileJsonConverter(schema.items!, `${path}[]`, unions);
      return (v) => {
        if (!Array.isArray(v)) throw mismatch(path, 'an array', v);
        const out: Value[] = new Array(v.length);
        for (let i = 0; i < v.length; i++) out[i] = item(v[i]);
        return out;
      };
    }
    case 'MAP':
      return compileMap(schema, path, unions);
    case 'STRUCT':
      return compileStruct(schema, path, unions);
  }
}

function compileStruct(schema: Schema, path: string, unions: UnionBranches): NonNullConverter {
  const fields = schema.fields ?? [];
  const names = fields.map((f) => f.name);
  const converters = fields.map((f) => compileJsonConverter(f.schema, fieldPath(path === 'value' ? '' : path, f.name), unions));
  const count = names.length;
  return (v): StructValue => {
    if (!isJsonObject(v)) throw mismatch(path, 'an object', v);
    const out: Record<string, Value> = {};
    for (let i = 0; i < count; i++) {
      const name = names[i];
      out[name] = converters[i](Object.prototype.hasOwnProperty.call(v, name) ? v[name] : undefined);
    }
    return { kind: 'struct', fields: out };
  };
}

/**
 * A Union struct: the one branch set, as the variant value the standalone Avro path gives the same
 * union (`avroToVariant`): both render the branch's record-model value with `variant-value.ts`.
 */
function compileUnion(branches: readonly Field[], path: string, unions: UnionBranches): NonNullConverter {
  const names = branches.map((b) => b.name);
  const schemas = branches.map((b) => b.schema);
  const converters = branches.map((b) => compileJsonConverter(b.schema, fieldPath(path === 'value' ? '' : path, b.name), unions));
  const unknowable = unknowableBranches(schemas);
  const count = names.length;
  return (v) => {
    if (!isJsonObject(v)) throw mismatch(path, 'an object (a Connect Union struct)', v);
    let set = -1;
    for (let i = 0; i < count; i++) {
      const member = Object.prototype.hasOwnProperty.call(v, names[i]) ? v[names[i]] : null;
      if (member === null) continue;
      if (set >= 0) throw undecodable(`${path} is a Connect Union struct with branches ${names[set]} and ${names[i]} set: exactly one must be`);
      set = i;
    }
    if (set < 0) throw undecodable(`${path} is a Connect Union struct with no branch set: exactly one must be (a null union is a null struct)`);
    if (unknowable[set]) {
      throw undecodable(
        `${path} is a Connect Union struct whose branches ${names.filter((_, i) => unknowable[i]).join(', ')} are all bytes in Kafka Connect: its Avro converter puts every bytes, fixed and decimal value of such a union in the first of them, so which branch this value had is unknown, and the value (base64 or decimal text) with it`,
      );
    }
    return toVariantValue(schemas[set], converters[set](v[names[set]]));
  };
}

/**
 * The branches whose value cannot be told: Connect's AvroData (Confluent's and Apicurio's) puts a
 * bytes, fixed or decimal value in the union's first branch of Connect type BYTES, whatever the
 * Avro branch was. Harmless when those branches render alike (bytes and fixed: base64); when a
 * decimal is among them (decimal text, per scale), every BYTES branch's value is in doubt.
 */
function unknowableBranches(schemas: readonly Schema[]): boolean[] {
  const renderingOf = (s: Schema) => (s.type !== 'BYTES' ? undefined : s.logical?.kind === 'decimal' ? `decimal ${s.logical.scale}` : 'base64');
  const renderings = new Set(schemas.map(renderingOf).filter((r) => r !== undefined));
  return schemas.map((s) => renderings.size > 1 && renderingOf(s) !== undefined);
}

function compileMap(schema: Schema, path: string, unions: UnionBranches): NonNullConverter {
  const keyConvert = compileJsonConverter(schema.keys!, `${path} key`, unions);
  const valueConvert = compileJsonConverter(schema.values!, `${path}[]`, unions);
  const stringKeys = schema.keys!.type === 'STRING';
  return (v): MapValue => {
    const entries: [Value, Value][] = [];
    if (isJsonObject(v)) {
      if (!stringKeys) throw mismatch(path, 'an array of [key, value] pairs', v);
      for (const key of Object.keys(v)) entries.push([key, valueConvert(v[key])]);
    } else if (Array.isArray(v)) {
      for (const entry of v) {
        if (Array.isArray(entry) && entry.length === 2) entries.push([keyConvert(entry[0]), valueConvert(entry[1])]);
        else if (isJsonObject(entry)) entries.push([keyConvert(entry.key), valueConvert(entry.value)]);
        else throw mismatch(`${path}[]`, 'a [key, value] pair', entry);
      }
    } else {
      throw mismatch(path, 'an object', v);
    }
    return { kind: 'map', entries };
  };
}

function integerOf(v: JsonValue, min: bigint, max: bigint, path: string, type: string): bigint {
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (v instanceof JsonBigFloat) {
    const d = decimalFromText(v.text, 0);
    if (d === undefined) throw mismatch(path, 'an integer', v);
    n = d.unscaled;
  } else throw mismatch(path, 'an integer', v);
  if (n < min || n > max) throw outOfRange(`${path} is out of range for ${type}`);
  return n;
}

function floatOf(v: JsonValue, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof JsonBigFloat) {
    const n = doubleOf(v);
    if (n === undefined) throw outOfRange(`${path} is a number out of the DOUBLE range (it would be stored as ±inf or 0)`);
    return n;
  }
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw mismatch(path, 'a number', v);
}

function bytesOf(v: JsonValue, path: string): Buffer {
  if (typeof v !== 'string' || !BASE64.test(v)) throw mismatch(path, 'base64 text', v);
  return Buffer.from(v, 'base64');
}

function decimalOf(v: JsonValue, scale: number, path: string) {
  if (typeof v === 'string') return { unscaled: unscaledFromBytes(bytesOf(v, path)), scale };
  let text: string;
  if (typeof v === 'bigint') text = v.toString();
  else if (typeof v === 'number' && Number.isFinite(v)) text = String(v);
  else if (v instanceof JsonBigFloat) text = v.text;
  else throw mismatch(path, 'a decimal (base64 or number)', v);
  const d = decimalFromText(text, scale);
  if (d === undefined) throw outOfRange(`${path} has more than ${scale} decimal places`);
  return d;
}

function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof JsonBigFloat || typeof v === 'number') return 'a number';
  if (typeof v === 'bigint') return 'an integer';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** Names the expected and actual JSON kinds, never the value. */
function mismatch(path: string, expected: string, actual: JsonValue | undefined) {
  return undecodable(`${path} must be ${expected}, got ${actual === undefined ? 'nothing' : describe(actual)}`);
}
