/**
 * Per-schema value encoders, compiled once per column: CSV field text, element text inside a
 * Databend array literal, JSON (for VARIANT columns) and SQL literal. Each takes a non-null value.
 *
 * Forms verified by loading CSV through `COPY INTO … FILE_FORMAT=(TYPE=CSV)` on the embedded engine:
 * - integers as decimal text (int64 min/max exact), booleans `true`/`false`, DECIMAL as plain text.
 * - FLOAT/DOUBLE: shortest round-trip text; `NaN`, `Infinity`, `-Infinity` load at top level, but the
 *   array parser rejects every non-finite spelling → VALUE_OUT_OF_RANGE inside arrays.
 * - BINARY: hex (the CSV default `binary_format`). An EMPTY binary has no CSV form: the engine reads
 *   `""` (quoted or not) in a BINARY field as NULL, rejects it for NOT NULL, and rejects every other
 *   spelling tried (` `, `0x`, `\0`); the driver's stage load (`loadFile`) takes no format options.
 *   `csvCannotHold` flags such values: the planner writes their rows as SQL literals instead
 *   (`INSERT/REPLACE … VALUES (…, FROM_HEX(''), …)`, verified to store a non-null empty binary).
 *   Inside an array `''` is fine: `['00ff','',NULL]` loads an empty element.
 * - VARIANT: JSON text.
 * - ARRAY(T): `[…]`; strings, dates, timestamps and hex binaries as `'…'` with `\\` and `\'` escapes
 *   (inside array strings backslash IS an escape: `\n`, `\t`, `\0` are decoded, unknown escapes kept);
 *   numbers, decimals and booleans bare; null as `NULL`.
 */
import { SinkError } from '../errors';
import type { Decimal, LogicalType, MapValue, Schema, StructValue, Value, VariantValue } from '../record/schema';
import { type WallClockConverter, wallClockMicrosToUtc } from './time-zone';
import { sqlStringLiteral } from './identifiers';
import { checkWellFormed, dateText, decimalText, floatText, jsonString, timeText, timestampText, variantJson } from './value-text';
import { DEFAULT_DECIMAL_PRECISION, MAX_DECIMAL_PRECISION, columnTypeFor } from './type-mapping';

export type Encoder = (value: Value) => string;

export interface EncoderContext {
  /** Converter for zone-less (local) timestamps, from `db.timezone`. */
  wallClock: WallClockConverter;
}

export const UTC_CONTEXT: EncoderContext = { wallClock: (ms) => ms };

function outOfRange(message: string): SinkError {
  return new SinkError('VALUE_OUT_OF_RANGE', message);
}

function wrongValue(schema: Schema, value: Value): SinkError {
  const shown = typeof value === 'bigint' ? `${value}n` : typeof value === 'object' ? (Array.isArray(value) ? 'array' : 'object') : JSON.stringify(value);
  return new SinkError('RECORD_UNDECODABLE', `value ${shown} does not match its ${schema.type}${schema.logical ? `/${schema.logical.kind}` : ''} schema`);
}

const INT_RANGE: Record<string, [number, number]> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function intEncoder(schema: Schema): Encoder {
  if (schema.type === 'INT64') {
    return (v) => {
      if (typeof v === 'bigint') {
        if (v < INT64_MIN || v > INT64_MAX) throw outOfRange(`${v} does not fit INT64`);
        return v.toString();
      }
      if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
      throw wrongValue(schema, v);
    };
  }
  const [min, max] = INT_RANGE[schema.type];
  return (v) => {
    if (typeof v === 'number' && Number.isInteger(v)) {
      if (v < min || v > max) throw outOfRange(`${v} does not fit ${schema.type}`);
      return String(v);
    }
    throw wrongValue(schema, v);
  };
}

const UINT64_MAX = 2n ** 64n - 1n;

/** INT64 with logical unsigned: 0 … 2^64-1, as a BIGINT UNSIGNED column holds. */
function unsignedEncoder(schema: Schema): Encoder {
  return (v) => {
    if (typeof v !== 'bigint') throw wrongValue(schema, v);
    if (v < 0n || v > UINT64_MAX) throw outOfRange(`${v} does not fit BIGINT UNSIGNED`);
    return v.toString();
  };
}

/** The most digits a decimal of this type may have when written (0: no limit). */
export function decimalDigitLimit(logical: Extract<LogicalType, { kind: 'decimal' }>): number {
  const precision = logical.precision > 0 ? logical.precision : Math.max(DEFAULT_DECIMAL_PRECISION, logical.scale);
  return precision > MAX_DECIMAL_PRECISION ? logical.precision : precision;
}

function decimalEncoder(schema: Schema, logical: Extract<LogicalType, { kind: 'decimal' }>): Encoder {
  const limit = decimalDigitLimit(logical);
  return (v) => {
    if (v === null || typeof v !== 'object' || typeof (v as Decimal).unscaled !== 'bigint') throw wrongValue(schema, v);
    return decimalText(v as Decimal, logical.scale, limit);
  };
}

function micros(schema: Schema, v: Value): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw wrongValue(schema, v);
}

/** UTC microseconds of a timestamp value (local timestamps converted from `db.timezone`). */
function utcMicros(schema: Schema, local: boolean, ctx: EncoderContext): (v: Value) => bigint {
  if (!local) return (v) => micros(schema, v);
  return (v) => wallClockMicrosToUtc(ctx.wallClock, micros(schema, v));
}

function dateValue(schema: Schema, v: Value): string {
  if (typeof v !== 'number') throw wrongValue(schema, v);
  return dateText(v);
}

function timeValue(schema: Schema, v: Value): string {
  if (typeof v !== 'bigint' && typeof v !== 'number') throw wrongValue(schema, v);
  return timeText(v);
}

function stringValue(schema: Schema, v: Value): string {
  if (typeof v !== 'string') throw wrongValue(schema, v);
  return checkWellFormed(v);
}

function bytesValue(schema: Schema, v: Value): Buffer {
  if (!Buffer.isBuffer(v)) throw wrongValue(schema, v);
  return v;
}

function floatValue(schema: Schema, v: Value): number {
  if (typeof v !== 'number') throw wrongValue(schema, v);
  return v;
}

function boolValue(schema: Schema, v: Value): string {
  if (typeof v !== 'boolean') throw wrongValue(schema, v);
  return v ? 'true' : 'false';
}

/** Text of a scalar (non-container) value as its column type expects it, unquoted. */
function scalarText(schema: Schema, ctx: EncoderContext, timestampSuffix: string): Encoder {
  const logical = schema.logical;
  if (logical) {
    switch (logical.kind) {
      case 'decimal':
        return decimalEncoder(schema, logical);
      case 'date':
        return (v) => dateValue(schema, v);
      case 'time':
        return (v) => timeValue(schema, v);
      case 'timestamp': {
        const utc = utcMicros(schema, logical.local, ctx);
        return (v) => timestampText(utc(v)) + timestampSuffix;
      }
      case 'uuid':
      case 'enum':
        return (v) => stringValue(schema, v);
      case 'unsigned':
        return unsignedEncoder(schema);
      case 'variant':
        break;
    }
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return intEncoder(schema);
    case 'FLOAT32':
    case 'FLOAT64':
      return (v) => floatText(floatValue(schema, v));
    case 'BOOLEAN':
      return (v) => boolValue(schema, v);
    case 'STRING':
      return (v) => stringValue(schema, v);
    case 'BYTES':
      return (v) => bytesValue(schema, v).toString('hex');
    default:
      throw new SinkError('INTERNAL', `scalarText called for ${schema.type}`);
  }
}

/** JSON text of a value by its schema (STRUCT → object, MAP → object or [{key, value}], …). */
export function jsonEncoder(schema: Schema, ctx: EncoderContext): Encoder {
  const logical = schema.logical;
  if (logical) {
    switch (logical.kind) {
      case 'decimal':
        return decimalEncoder(schema, logical);
      case 'date':
        return (v) => `"${dateValue(schema, v)}"`;
      case 'time':
        return (v) => `"${timeValue(schema, v)}"`;
      case 'timestamp': {
        const utc = utcMicros(schema, logical.local, ctx);
        return (v) => `"${timestampText(utc(v), 'T')}Z"`;
      }
      case 'uuid':
      case 'enum':
        return (v) => jsonString(stringValue(schema, v));
      case 'variant':
        return (v) => variantJson(v as VariantValue);
      case 'unsigned':
        return unsignedEncoder(schema);
    }
  }
  const nullable = (enc: Encoder): Encoder => (v) => (v === null || v === undefined ? 'null' : enc(v));
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return intEncoder(schema);
    case 'FLOAT32':
    case 'FLOAT64':
      return (v) => variantJson(floatValue(schema, v));
    case 'BOOLEAN':
      return (v) => boolValue(schema, v);
    case 'STRING':
      return (v) => jsonString(stringValue(schema, v));
    case 'BYTES':
      return (v) => `"${bytesValue(schema, v).toString('base64')}"`;
    case 'ARRAY': {
      const item = schema.items ? nullable(jsonEncoder(schema.items, ctx)) : (v: Value) => variantJson(v as VariantValue);
      return (v) => {
        if (!Array.isArray(v)) throw wrongValue(schema, v);
        let out = '[';
        for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + item(v[i] as Value);
        return out + ']';
      };
    }
    case 'STRUCT': {
      const fields = (schema.fields ?? []).map((f) => ({ name: f.name, key: jsonString(f.name), enc: nullable(jsonEncoder(f.schema, ctx)) }));
      return (v) => {
        const s = v as StructValue;
        if (s === null || typeof s !== 'object' || s.kind !== 'struct') throw wrongValue(schema, v);
        let out = '{';
        for (let i = 0; i < fields.length; i++) {
          const f = fields[i];
          const fv = s.fields[f.name];
          out += (i > 0 ? ',' : '') + f.key + ':' + f.enc(fv === undefined ? null : fv);
        }
        return out + '}';
      };
    }
    case 'MAP': {
      const value = schema.values ? nullable(jsonEncoder(schema.values, ctx)) : (v: Value) => variantJson(v as VariantValue);
      const stringKeys = schema.keys?.type === 'STRING';
      const key = schema.keys ? nullable(jsonEncoder(schema.keys, ctx)) : (v: Value) => variantJson(v as VariantValue);
      return (v) => {
        const m = v as MapValue;
        if (m === null || typeof m !== 'object' || m.kind !== 'map') throw wrongValue(schema, v);
        const parts: string[] = [];
        if (stringKeys) {
          for (const [k, e] of m.entries) parts.push(`${jsonString(stringValue(schema.keys!, k))}:${value(e)}`);
          return `{${parts.join(',')}}`;
        }
        for (const [k, e] of m.entries) parts.push(`{"key":${key(k)},"value":${value(e)}}`);
        return `[${parts.join(',')}]`;
      };
    }
  }
}

function quotedArrayString(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x27) out += "\\'";
    else if (c === 0x5c) out += '\\\\';
    else out += s[i];
  }
  return out + "'";
}

/** Element text inside a Databend array literal in a CSV field. */
function arrayElementEncoder(schema: Schema, ctx: EncoderContext): Encoder {
  const logical = schema.logical?.kind;
  if (logical === 'decimal') return scalarText(schema, ctx, '');
  if (logical === 'date' || logical === 'time' || logical === 'timestamp' || logical === 'uuid' || logical === 'enum') {
    const text = scalarText(schema, ctx, '+00:00');
    return (v) => quotedArrayString(text(v));
  }
  switch (schema.type) {
    case 'FLOAT32':
    case 'FLOAT64':
      return (v) => {
        const n = floatValue(schema, v);
        if (!Number.isFinite(n)) throw outOfRange(`${n} cannot be loaded inside a Databend array (the array parser rejects non-finite floats)`);
        return floatText(n);
      };
    case 'STRING':
      return (v) => quotedArrayString(stringValue(schema, v));
    case 'BYTES':
      return (v) => `'${bytesValue(schema, v).toString('hex')}'`;
    default:
      return scalarText(schema, ctx, '');
  }
}

/** CSV field text (before CSV quoting) for a non-null value of a column with this schema. */
export function csvFieldEncoder(schema: Schema, ctx: EncoderContext): Encoder {
  const type = columnTypeFor(schema);
  if (type.kind === 'VARIANT') return jsonEncoder(schema, ctx);
  if (type.kind === 'ARRAY') {
    const items = schema.items!;
    const item = arrayElementEncoder(items, ctx);
    return (v) => {
      if (!Array.isArray(v)) throw wrongValue(schema, v);
      let out = '[';
      for (let i = 0; i < v.length; i++) {
        const e = v[i] as Value;
        out += (i > 0 ? ',' : '') + (e === null || e === undefined ? 'NULL' : item(e));
      }
      return out + ']';
    };
  }
  if (schema.type === 'BYTES' && !schema.logical) {
    return (v) => {
      const b = bytesValue(schema, v);
      // Guard: the CSV would load NULL. Rows with such a value are written as SQL (csvCannotHold).
      if (b.length === 0) throw new SinkError('INTERNAL', 'an empty BYTES value has no CSV form; its row must be written as SQL literals');
      return b.toString('hex');
    };
  }
  return scalarText(schema, ctx, '+00:00');
}

/**
 * For a column whose non-null values the CSV load cannot always hold, the test for such a value
 * (an empty top-level BYTES: Databend would read it back as NULL); null for every other column.
 */
export function csvCannotHold(schema: Schema): ((value: Value) => boolean) | null {
  if (schema.type === 'BYTES' && !schema.logical) return (v) => Buffer.isBuffer(v) && v.length === 0;
  return null;
}

/**
 * Always a string cast: a bare numeric literal is not exact once a `VALUES` row holds an expression
 * (`FROM_HEX(…)`, `PARSE_JSON(…)`), as every row of form `sql` does (verified: `-0` became `0`, and
 * `1.0000000116860974e-7` landed on the FLOAT below 1e-7), while `'<shortest round-trip text>'::DOUBLE`
 * round-tripped 4000 random doubles and their FLOAT32 roundings exactly, also inside arrays.
 */
function floatSql(n: number): string {
  const text = Number.isFinite(n) ? floatText(n) : Number.isNaN(n) ? 'NaN' : n > 0 ? 'inf' : '-inf';
  return `'${text}'::DOUBLE`;
}

/** SQL literal for a non-null value (DELETE keys, column defaults, and rows written as `VALUES (…)`). */
export function sqlEncoder(schema: Schema, ctx: EncoderContext): Encoder {
  const type = columnTypeFor(schema);
  if (type.kind === 'VARIANT') {
    const json = jsonEncoder(schema, ctx);
    return (v) => `PARSE_JSON(${sqlStringLiteral(json(v))})`;
  }
  if (type.kind === 'ARRAY') {
    const item = sqlEncoder(schema.items!, ctx);
    return (v) => {
      if (!Array.isArray(v)) throw wrongValue(schema, v);
      return `[${v.map((e) => (e === null || e === undefined ? 'NULL' : item(e as Value))).join(', ')}]`;
    };
  }
  const logical = schema.logical?.kind;
  if (logical === 'decimal') return scalarText(schema, ctx, '');
  if (logical === 'date' || logical === 'time' || logical === 'timestamp' || logical === 'uuid' || logical === 'enum' || schema.type === 'STRING') {
    const text = scalarText(schema, ctx, '+00:00');
    return (v) => sqlStringLiteral(text(v));
  }
  switch (schema.type) {
    case 'FLOAT32':
    case 'FLOAT64':
      return (v) => floatSql(floatValue(schema, v));
    case 'BOOLEAN':
      return (v) => (boolValue(schema, v) === 'true' ? 'TRUE' : 'FALSE');
    case 'BYTES':
      return (v) => `FROM_HEX('${bytesValue(schema, v).toString('hex')}')`;
    default:
      return scalarText(schema, ctx, '');
  }
}
