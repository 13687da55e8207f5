/**
 * How typed values look inside a VARIANT (JSON) column: used for Avro unions of several types, for
 * values nested in them, and available to the planner for STRUCT / MAP / ARRAY columns.
 *
 * Rendering, chosen so that nothing is lost and JSON stays plain:
 * - INT8/16/32, FLOAT32/64 → number (NaN / ±Infinity → the strings "NaN", "Infinity", "-Infinity");
 *   a FLOAT32 as the float's exact value (Avro and Protobuf decode it so; Kafka Connect's JSON
 *   writes the shortest text that reads back as the float, `1.1` for 1.100000023841858);
 *   INT64 → bigint (written as an exact JSON integer); BOOLEAN, STRING (enum, uuid) → themselves.
 * - BYTES (fixed) → base64 string.
 * - Decimal → decimal string, e.g. "-12.340" (a JSON number would be parsed back as a double).
 * - Date → "YYYY-MM-DD"; Time → "HH:MM:SS.ffffff"; Timestamp → "YYYY-MM-DDTHH:MM:SS.ffffffZ"
 *   (local-timestamp: no "Z").
 * - STRUCT → object in field order; ARRAY → array; MAP with STRING keys → object, other keys →
 *   array of [key, value] pairs.
 */
import type { Decimal, LogicalType, MapValue, Schema, StructValue, Value, VariantValue } from '../record/schema';
import { decimalToText } from './decimal';

export function toVariantValue(schema: Schema, value: Value): VariantValue {
  if (value === null || value === undefined) return null;
  const logical = schema.logical;
  if (logical !== undefined) return logicalToVariant(logical, value);
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'FLOAT64':
      return finiteOrText(value as number);
    case 'FLOAT32':
      return finiteOrText(Math.fround(value as number));
    case 'INT64':
    case 'BOOLEAN':
    case 'STRING':
      return value as bigint | boolean | string;
    case 'BYTES':
      return (value as Buffer).toString('base64');
    case 'ARRAY': {
      const items = schema.items!;
      return (value as Value[]).map((v) => toVariantValue(items, v));
    }
    case 'MAP': {
      const { entries } = value as MapValue;
      const keys = schema.keys!;
      const values = schema.values!;
      if (keys.type === 'STRING' && keys.logical === undefined) {
        const out: { [key: string]: VariantValue } = {};
        for (const [k, v] of entries) setJsonKey(out, k as string, toVariantValue(values, v));
        return out;
      }
      return entries.map(([k, v]) => [toVariantValue(keys, k), toVariantValue(values, v)]);
    }
    case 'STRUCT': {
      const fields = (value as StructValue).fields;
      const out: { [key: string]: VariantValue } = {};
      for (const field of schema.fields!) setJsonKey(out, field.name, toVariantValue(field.schema, fields[field.name] ?? null));
      return out;
    }
  }
}

/** A value of a logical type (already in the record model) as JSON. */
export function logicalToVariant(logical: LogicalType, value: Value): VariantValue {
  if (value === null) return null;
  switch (logical.kind) {
    case 'decimal':
      return decimalToText(value as Decimal);
    case 'date':
      return formatDate(value as number);
    case 'time':
      return formatTime(value as bigint);
    case 'timestamp':
      return formatTimestamp(value as bigint, logical.local);
    case 'uuid':
    case 'enum':
    case 'variant':
    case 'unsigned':
      return value as VariantValue;
  }
}

export function finiteOrText(n: number): number | string {
  return Number.isFinite(n) ? n : String(n);
}

/** Sets `key` as an own property even when it is `__proto__`. */
export function setJsonKey(target: { [key: string]: VariantValue }, key: string, value: VariantValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 → "YYYY-MM-DD" (proleptic Gregorian, years beyond 9999 as "+YYYYYY"). */
export function formatDate(days: number): string {
  return isoOf(days * MS_PER_DAY).slice(0, -14);
}

/** Microseconds since midnight → "HH:MM:SS.ffffff". */
export function formatTime(micros: bigint): string {
  const total = Number(micros);
  const us = total % 1_000_000;
  const secs = Math.floor(total / 1_000_000);
  return `${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}.${String(us).padStart(6, '0')}`;
}

/** Microseconds since the epoch → "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC); `local` drops the "Z". */
export function formatTimestamp(micros: bigint, local = false): string {
  let ms = micros / 1000n;
  let us = micros % 1000n;
  if (us < 0n) {
    us += 1000n;
    ms -= 1n;
  }
  const iso = isoOf(Number(ms)); // …THH:MM:SS.mmmZ
  return `${iso.slice(0, -1)}${String(us).padStart(3, '0')}${local ? '' : 'Z'}`;
}

function isoOf(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw new RangeError('timestamp outside the representable range (±275760 years)');
  return date.toISOString();
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
