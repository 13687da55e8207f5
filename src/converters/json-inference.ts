/**
 * Schemaless JSON (JsonConverter with schemas.enable=false, or an envelope whose schema is null):
 * a schema inferred per record.
 *
 * - top-level object → STRUCT (not optional); each member becomes an optional field, in text order:
 *   integer → INT64 (exact; beyond int64 → VALUE_OUT_OF_RANGE), other number → FLOAT64 (beyond the
 *   DOUBLE range, e.g. 1e400, or a non-zero below it, e.g. 1e-400 → VALUE_OUT_OF_RANGE, alike),
 *   true/false → BOOLEAN, string → STRING, object or array → variant (the JSON itself),
 *   null → `INFERRED_NULL_SCHEMA` (the record model's UNTYPED_NULL_SCHEMA, value null): the type is
 *   unknown, so the planner makes no column for it and the row gets NULL where the column exists;
 * - top-level integer, number, boolean, string → that type's schema (keys are often like this;
 *   what a non-struct *value* means is for the planner to decide);
 * - top-level array → variant; top-level null → no value (like null bytes, i.e. a tombstone).
 *
 * Struct schemas are interned by field names and types, so records of the same shape share one
 * Schema object (the planner can recognise a schema it has seen by identity). The few shapes seen
 * last are matched member by member first, without building the signature text.
 */
import { type Schema, type SchemaAndValue, UNTYPED_NULL_SCHEMA, type Value, type VariantValue } from '../record/schema';
import { outOfRange } from './converter-errors';
import { doubleOf, isJsonObject, JsonBigFloat, type JsonObject, type JsonValue, type ParsedJson, toVariantJson } from './json-text';

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

export const INFERRED_NULL_SCHEMA: Schema = UNTYPED_NULL_SCHEMA;

const FIELD_SCHEMAS = {
  i: Object.freeze({ type: 'INT64', optional: true }),
  f: Object.freeze({ type: 'FLOAT64', optional: true }),
  b: Object.freeze({ type: 'BOOLEAN', optional: true }),
  s: Object.freeze({ type: 'STRING', optional: true }),
  v: Object.freeze({ type: 'STRING', optional: true, logical: Object.freeze({ kind: 'variant' }) }),
  n: INFERRED_NULL_SCHEMA,
} as const satisfies { [code: string]: Schema };

const TOP_LEVEL = {
  i: Object.freeze({ type: 'INT64', optional: false }),
  f: Object.freeze({ type: 'FLOAT64', optional: false }),
  b: Object.freeze({ type: 'BOOLEAN', optional: false }),
  s: Object.freeze({ type: 'STRING', optional: false }),
  v: Object.freeze({ type: 'STRING', optional: false, logical: Object.freeze({ kind: 'variant' }) }),
} as const satisfies { [code: string]: Schema };

type Code = keyof typeof FIELD_SCHEMAS;

const MAX_INTERNED = 4096;
/** Shapes matched member by member before the signature is built: a producer writes few shapes (null members make the others). */
const RECENT_SHAPES = 8;

interface Shape {
  schema: Schema;
  names: readonly string[];
  codes: readonly Code[];
}

export class JsonSchemaInference {
  private readonly structs = new Map<string, Schema>();
  /** The shapes seen last, most recent first. */
  private readonly recent: Shape[] = [];

  /** `parsed`: how `json` was parsed (see json-text.ts); `json` is its value or a part of it. */
  infer(json: JsonValue, parsed: Omit<ParsedJson, 'value'>): SchemaAndValue | null {
    const { hasBigFloat, integersAsNumbers } = parsed;
    if (json === null) return null;
    if (isJsonObject(json)) return this.struct(json, hasBigFloat, integersAsNumbers);
    const code = codeOf(json, integersAsNumbers);
    if (code === 'n') return null;
    return { schema: TOP_LEVEL[code], value: leafValue(code, json, hasBigFloat, 'value') };
  }

  /** The struct's values are set in `json` itself (a parse result nothing else holds), converted where they differ. */
  private struct(json: JsonObject, hasBigFloat: boolean, integersAsNumbers: boolean): SchemaAndValue {
    const keys = Object.keys(json);
    const codes: Code[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const v = json[key];
      const code = codeOf(v, integersAsNumbers);
      codes[i] = code;
      const value = leafValue(code, v, hasBigFloat, key);
      if (value !== v) {
        if (key === '__proto__') Object.defineProperty(json, key, { value, enumerable: true, writable: true, configurable: true });
        else (json as Record<string, Value>)[key] = value;
      }
    }
    return { schema: this.recentShape(keys, codes) ?? this.internedShape(keys, codes), value: { kind: 'struct', fields: json as Record<string, Value> } };
  }

  private recentShape(keys: readonly string[], codes: readonly Code[]): Schema | undefined {
    const recent = this.recent;
    for (let r = 0; r < recent.length; r++) {
      const shape = recent[r];
      if (!sameShape(shape, keys, codes)) continue;
      if (r > 0) {
        recent.splice(r, 1);
        recent.unshift(shape);
      }
      return shape.schema;
    }
    return undefined;
  }

  private internedShape(keys: readonly string[], codes: readonly Code[]): Schema {
    let signature = '';
    for (let i = 0; i < keys.length; i++) signature += `${codes[i]}${keys[i].length}:${keys[i]}`;
    let schema = this.structs.get(signature);
    if (!schema) {
      schema = Object.freeze({
        type: 'STRUCT',
        optional: false,
        fields: Object.freeze(keys.map((name, i) => Object.freeze({ name, schema: FIELD_SCHEMAS[codes[i]] }))),
      }) as Schema;
      if (this.structs.size >= MAX_INTERNED) this.structs.clear();
      this.structs.set(signature, schema);
    }
    this.recent.unshift({ schema, names: keys, codes });
    if (this.recent.length > RECENT_SHAPES) this.recent.pop();
    return schema;
  }
}

function sameShape(shape: Shape, keys: readonly string[], codes: readonly Code[]): boolean {
  const { names, codes: known } = shape;
  if (names.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) if (names[i] !== keys[i] || known[i] !== codes[i]) return false;
  return true;
}

function codeOf(v: JsonValue, integersAsNumbers: boolean): Code {
  switch (typeof v) {
    case 'bigint':
      return 'i';
    case 'number':
      return integersAsNumbers && Number.isInteger(v) ? 'i' : 'f';
    case 'boolean':
      return 'b';
    case 'string':
      return 's';
    default:
      if (v === null) return 'n';
      return v instanceof JsonBigFloat ? 'f' : 'v';
  }
}

function leafValue(code: Code, v: JsonValue, hasBigFloat: boolean, path: string): Value {
  switch (code) {
    case 'i':
      if (typeof v === 'number') return BigInt(v);
      if ((v as bigint) < MIN_INT64 || (v as bigint) > MAX_INT64) throw outOfRange(`${path} is an integer out of the INT64 range`);
      return v as bigint;
    case 'f': {
      const n = doubleOf(v as number | JsonBigFloat);
      if (n === undefined) throw outOfRange(`${path} is a number out of the DOUBLE range (it would be stored as ±inf or 0)`);
      return n;
    }
    case 'v':
      return toVariantJson(v, hasBigFloat) as VariantValue;
    default:
      return v as Value;
  }
}
