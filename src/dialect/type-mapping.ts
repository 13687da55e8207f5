/**
 * Connect schema → Databend column type (docs/type-mapping.md), the DDL spelling of a column type, and a
 * parser for the type strings Databend reports for existing columns.
 *
 * Forms seen on the engine (databend 1.2.895), all handled by `parseColumnType`:
 * - `DESC t` Type: `INT`, `BIGINT`, `TINYINT`, `SMALLINT`, `FLOAT`, `DOUBLE`, `BOOLEAN`, `VARCHAR`,
 *   `BINARY`, `DATE`, `TIMESTAMP`, `VARIANT`, `DECIMAL(20, 3)`, `ARRAY(INT64)`, `ARRAY(ARRAY(INT32))`,
 *   `MAP(STRING, INT32)`, `TUPLE(1 INT32, 2 STRING)`, `SMALLINT UNSIGNED`, `BIGINT UNSIGNED`, `ARRAY(UINT64)`,
 *   `TIMESTAMPTZ`; nullability
 *   is a separate column (`YES`/`NO`).
 * - `information_schema.columns`: the same in lower case (`varchar(16382)` in column_type).
 * - `system.columns.type`: `Nullable(Array(Nullable(Int32)))`, `Nullable(UInt16)`, `Nullable(UInt64)`, `Decimal(38, 0)`.
 * - `… NULL` / `… NOT NULL` suffixes (as typed in DDL and shown in result headers).
 */
import type { Schema } from '../record/schema';

export type ScalarKind =
  | 'TINYINT'
  | 'SMALLINT'
  | 'INT'
  | 'BIGINT'
  | 'BIGINT UNSIGNED'
  | 'FLOAT'
  | 'DOUBLE'
  | 'BOOLEAN'
  | 'STRING'
  | 'BINARY'
  | 'DATE'
  | 'TIMESTAMP'
  | 'VARIANT';

export type ColumnType =
  | { kind: ScalarKind }
  | { kind: 'DECIMAL'; precision: number; scale: number }
  | { kind: 'ARRAY'; items: ColumnType }
  /** A type the sink never creates (MAP, TUPLE, unsigned ints but UInt64, TIMESTAMPTZ, …): kept as reported, upper-cased. */
  | { kind: 'OTHER'; text: string };

/** Databend's largest decimal precision (256-bit decimals). */
export const MAX_DECIMAL_PRECISION = 76;
/** Precision used when a decimal schema carries none (Kafka Connect's Decimal has only a scale). */
export const DEFAULT_DECIMAL_PRECISION = 38;

const PHYSICAL: Record<string, ScalarKind> = {
  INT8: 'TINYINT',
  INT16: 'SMALLINT',
  INT32: 'INT',
  INT64: 'BIGINT',
  FLOAT32: 'FLOAT',
  FLOAT64: 'DOUBLE',
  BOOLEAN: 'BOOLEAN',
  STRING: 'STRING',
  BYTES: 'BINARY',
};

/**
 * The column type for a field schema. Decisions beyond the table in docs/type-mapping.md:
 * - decimal precision > 76 (beyond Databend) → STRING holding the exact plain decimal text;
 *   a decimal without precision (≤ 0) → DECIMAL(38, scale) (or the scale, if larger).
 * - ARRAY whose items map to a scalar type → ARRAY(T); items that are STRUCT/MAP/ARRAY/variant → VARIANT.
 */
export function columnTypeFor(schema: Schema): ColumnType {
  const logical = schema.logical;
  if (logical) {
    switch (logical.kind) {
      case 'decimal': {
        const scale = logical.scale;
        const precision = logical.precision > 0 ? logical.precision : Math.max(DEFAULT_DECIMAL_PRECISION, scale);
        return precision > MAX_DECIMAL_PRECISION ? { kind: 'STRING' } : { kind: 'DECIMAL', precision, scale };
      }
      case 'date':
        return { kind: 'DATE' };
      case 'time':
        return { kind: 'STRING' };
      case 'timestamp':
        return { kind: 'TIMESTAMP' };
      case 'uuid':
      case 'enum':
        return { kind: 'STRING' };
      case 'variant':
        return { kind: 'VARIANT' };
      case 'unsigned':
        return { kind: 'BIGINT UNSIGNED' };
    }
  }
  switch (schema.type) {
    case 'STRUCT':
    case 'MAP':
      return { kind: 'VARIANT' };
    case 'ARRAY': {
      if (!schema.items) return { kind: 'VARIANT' };
      const items = columnTypeFor(schema.items);
      return items.kind === 'VARIANT' || items.kind === 'ARRAY' ? { kind: 'VARIANT' } : { kind: 'ARRAY', items };
    }
    default:
      return { kind: PHYSICAL[schema.type] };
  }
}

/** The DDL spelling (`DECIMAL(20, 3)`, `ARRAY(BIGINT)`). */
export function formatColumnType(type: ColumnType): string {
  switch (type.kind) {
    case 'DECIMAL':
      return `DECIMAL(${type.precision}, ${type.scale})`;
    case 'ARRAY':
      return `ARRAY(${formatColumnType(type.items)})`;
    case 'OTHER':
      return type.text;
    default:
      return type.kind;
  }
}

export function sameColumnType(a: ColumnType, b: ColumnType): boolean {
  return formatColumnType(a) === formatColumnType(b);
}

const ALIASES: Record<string, ScalarKind> = {
  TINYINT: 'TINYINT',
  INT8: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INT16: 'SMALLINT',
  INT: 'INT',
  INTEGER: 'INT',
  INT32: 'INT',
  BIGINT: 'BIGINT',
  INT64: 'BIGINT',
  'BIGINT UNSIGNED': 'BIGINT UNSIGNED',
  UINT64: 'BIGINT UNSIGNED',
  FLOAT: 'FLOAT',
  FLOAT32: 'FLOAT',
  REAL: 'FLOAT',
  DOUBLE: 'DOUBLE',
  FLOAT64: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  BOOLEAN: 'BOOLEAN',
  BOOL: 'BOOLEAN',
  STRING: 'STRING',
  VARCHAR: 'STRING',
  TEXT: 'STRING',
  CHAR: 'STRING',
  CHARACTER: 'STRING',
  BINARY: 'BINARY',
  VARBINARY: 'BINARY',
  BLOB: 'BINARY',
  LONGBLOB: 'BINARY',
  MEDIUMBLOB: 'BINARY',
  TINYBLOB: 'BINARY',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  DATETIME: 'TIMESTAMP',
  VARIANT: 'VARIANT',
  JSON: 'VARIANT',
};

export interface ParsedColumnType {
  type: ColumnType;
  /** From a `Nullable(…)` wrapper or a `NULL` / `NOT NULL` suffix; undefined when the text does not say. */
  nullable: boolean | undefined;
}

/** Parses a type string reported by Databend for an existing column. Never throws: unknown types become OTHER. */
export function parseColumnType(text: string): ParsedColumnType {
  let t = text.trim().replace(/\s+/g, ' ');
  let nullable: boolean | undefined;
  const upper = t.toUpperCase();
  if (upper.endsWith(' NOT NULL')) {
    nullable = false;
    t = t.slice(0, -' NOT NULL'.length).trim();
  } else if (upper.endsWith(' NULL')) {
    nullable = true;
    t = t.slice(0, -' NULL'.length).trim();
  }
  const inner = unwrap(t, 'NULLABLE');
  if (inner !== null) {
    return { type: parseType(inner), nullable: true };
  }
  return { type: parseType(t), nullable };
}

/** `NAME(args)` → args (case-insensitive name), else null. */
function unwrap(text: string, name: string): string | null {
  if (text.length > name.length + 1 && text.slice(0, name.length).toUpperCase() === name && text.endsWith(')')) {
    const rest = text.slice(name.length).trimStart();
    if (rest.startsWith('(')) return rest.slice(1, -1).trim();
  }
  return null;
}

function parseType(raw: string): ColumnType {
  const text = raw.trim();
  const nested = unwrap(text, 'NULLABLE');
  if (nested !== null) return parseType(nested);
  const upper = text.toUpperCase();
  const alias = ALIASES[upper];
  if (alias) return { kind: alias };
  const decimal = /^(?:DECIMAL|NUMERIC)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/i.exec(text);
  if (decimal) return { kind: 'DECIMAL', precision: Number(decimal[1]), scale: decimal[2] === undefined ? 0 : Number(decimal[2]) };
  if (/^(?:DECIMAL|NUMERIC)$/.test(upper)) return { kind: 'DECIMAL', precision: 18, scale: 3 };
  const varchar = /^(?:VARCHAR|CHAR|CHARACTER|STRING)\s*\(\s*\d+\s*\)$/i.exec(text);
  if (varchar) return { kind: 'STRING' };
  const array = unwrap(text, 'ARRAY');
  if (array !== null) {
    const items = parseColumnType(array).type;
    return { kind: 'ARRAY', items };
  }
  return { kind: 'OTHER', text: upper };
}
