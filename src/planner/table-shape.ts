/**
 * A record's key and value schemas + the pk/whitelist config → the columns the table should have
 * (docs/type-mapping.md) and which of them form the key. Pure; computed once per schema pair by callers.
 *
 * Modes (as in the JDBC sink family):
 * - `none`: no key; the value struct's fields.
 * - `kafka`: `__connect_topic` STRING, `__connect_partition` INT, `__connect_offset` BIGINT as keys
 *   (pk.fields, when given, must name exactly these three columns, in that order); then the value fields.
 * - `record_key`: a primitive key → one key column named pk.fields[0] or `__connect_key`; a struct key →
 *   its fields (all, or the pk.fields subset, in pk.fields order); then the value fields.
 * - `record_value`: pk.fields from the value struct (all its fields when pk.fields is empty).
 * Key columns are NOT NULL, all others nullable. fields.whitelist restricts the non-key value fields.
 * A value field whose name equals a key column's is not repeated (the key's value is written) —
 * except under `kafka`, where the key column holds a Kafka coordinate, not the field: such a
 * record is refused (SCHEMA_INCOMPATIBLE) rather than its field dropped without a word.
 * A non-key value field of UNTYPED_NULL_SCHEMA (a schemaless JSON null) is no column: its type is
 * unknown, and leaving the column out of the row writes NULL where the table has it (table-fit.ts:
 * a NOT NULL column refuses such a record; a record left with no column is written as NULLs).
 * A tombstone (value schema null) yields the key columns only.
 * Column names keep the field's exact case.
 */
import { SinkError } from '../errors';
import type { PkMode } from './planner-options';
import { type Schema, UNTYPED_NULL_SCHEMA } from '../record/schema';
import { defaultLiteral } from '../dialect/sql-literal';
import { type ColumnType, columnTypeFor } from '../dialect/type-mapping';

export type ColumnSource =
  | { from: 'kafka'; field: 'topic' | 'partition' | 'offset' }
  /** `field` null: the whole (primitive) key. */
  | { from: 'key'; field: string | null }
  | { from: 'value'; field: string };

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable: boolean;
  key: boolean;
  /** SQL literal for `DEFAULT …`, from the schema default; absent when none (or not expressible, see sql-literal.ts). */
  defaultSql?: string;
  /** The field's schema: drives value encoding. */
  schema: Schema;
  source: ColumnSource;
}

export interface TableShape {
  columns: ColumnSpec[];
  /** Names of the key columns, in key order (a subset of `columns`, which lists them first). */
  keyColumns: string[];
}

export interface ShapeOptions {
  pkMode: PkMode;
  pkFields: readonly string[];
  fieldsWhitelist: readonly string[];
}

export const KAFKA_KEY_COLUMNS = ['__connect_topic', '__connect_partition', '__connect_offset'] as const;
export const DEFAULT_KEY_COLUMN = '__connect_key';

const KAFKA_SCHEMAS: Record<'topic' | 'partition' | 'offset', Schema> = {
  topic: { type: 'STRING', optional: false },
  partition: { type: 'INT32', optional: false },
  offset: { type: 'INT64', optional: false },
};

function describe(schema: Schema, role: 'key' | 'value'): string {
  return schema.name ? `${role} schema ${schema.name}` : `record ${role}`;
}

function column(name: string, schema: Schema, key: boolean, source: ColumnSource): ColumnSpec {
  const type = columnTypeFor(schema);
  if (key && (type.kind === 'VARIANT' || type.kind === 'ARRAY')) {
    throw new SinkError('SCHEMA_INCOMPATIBLE', `key field ${JSON.stringify(name)} is a ${schema.type} and cannot be a key column`);
  }
  const spec: ColumnSpec = { name, type, nullable: !key, key, schema, source };
  if (schema.defaultValue !== undefined && schema.defaultValue !== null) {
    const literal = defaultLiteral(schema.defaultValue, schema);
    if (literal !== undefined) spec.defaultSql = literal;
  }
  return spec;
}

function structFields(schema: Schema, role: 'key' | 'value'): NonNullable<Schema['fields']> {
  if (schema.type !== 'STRUCT' || !schema.fields) {
    throw new SinkError('SCHEMA_INCOMPATIBLE', `${describe(schema, role)} is a ${schema.type}, not a struct: it cannot be mapped to columns`);
  }
  return schema.fields;
}

function pick(schema: Schema, role: 'key' | 'value', names: readonly string[]): NonNullable<Schema['fields']> {
  const fields = structFields(schema, role);
  const missing = names.filter((n) => !fields.some((f) => f.name === n));
  if (missing.length > 0) {
    throw new SinkError(
      'SCHEMA_INCOMPATIBLE',
      `pk.fields ${missing.map((m) => JSON.stringify(m)).join(', ')} not found in ${describe(schema, role)} (fields: ${fields.map((f) => f.name).join(', ') || 'none'})`,
    );
  }
  return names.map((n) => fields.find((f) => f.name === n)!);
}

export function tableShape(keySchema: Schema | null, valueSchema: Schema | null, options: ShapeOptions): TableShape {
  const keys: ColumnSpec[] = [];
  switch (options.pkMode) {
    case 'none':
      break;
    case 'kafka': {
      const names = options.pkFields.length === 0 ? KAFKA_KEY_COLUMNS : options.pkFields;
      if (names.length !== 3) {
        throw new SinkError('CONFIG_INVALID', `pk.mode=kafka: pk.fields must name 3 columns (topic, partition, offset), got ${names.length}`);
      }
      (['topic', 'partition', 'offset'] as const).forEach((what, i) =>
        keys.push(column(names[i], KAFKA_SCHEMAS[what], true, { from: 'kafka', field: what })),
      );
      break;
    }
    case 'record_key': {
      if (!keySchema) throw new SinkError('SCHEMA_INCOMPATIBLE', 'pk.mode=record_key but the record has no key');
      if (keySchema.type === 'STRUCT') {
        const fields = options.pkFields.length === 0 ? structFields(keySchema, 'key') : pick(keySchema, 'key', options.pkFields);
        for (const f of fields) keys.push(column(f.name, f.schema, true, { from: 'key', field: f.name }));
      } else {
        if (options.pkFields.length > 1) {
          throw new SinkError('CONFIG_INVALID', `pk.mode=record_key with a primitive key takes at most one pk.fields name, got ${options.pkFields.length}`);
        }
        keys.push(column(options.pkFields[0] ?? DEFAULT_KEY_COLUMN, keySchema, true, { from: 'key', field: null }));
      }
      break;
    }
    case 'record_value': {
      if (!valueSchema) break;
      const fields = options.pkFields.length === 0 ? structFields(valueSchema, 'value') : pick(valueSchema, 'value', options.pkFields);
      for (const f of fields) keys.push(column(f.name, f.schema, true, { from: 'value', field: f.name }));
      break;
    }
  }

  const columns = [...keys];
  if (valueSchema) {
    const taken = new Set(keys.map((k) => k.name));
    const whitelist = options.fieldsWhitelist.length > 0 ? new Set(options.fieldsWhitelist) : null;
    for (const f of structFields(valueSchema, 'value')) {
      if ((whitelist && !whitelist.has(f.name)) || f.schema === UNTYPED_NULL_SCHEMA) continue;
      const keyColumn = options.pkMode === 'kafka' ? keys.find((k) => k.name === f.name) : undefined;
      if (keyColumn?.source.from === 'kafka') {
        // The column holds the Kafka coordinate: the field's value would be dropped without a word.
        throw new SinkError(
          'SCHEMA_INCOMPATIBLE',
          `value field ${JSON.stringify(f.name)} has the name of the pk.mode=kafka key column that holds the record's Kafka ${keyColumn.source.field}; ` +
            'its value would be lost: rename the field, leave it out with fields.whitelist, or name the key columns otherwise with pk.fields',
        );
      }
      if (taken.has(f.name)) continue;
      taken.add(f.name);
      columns.push(column(f.name, f.schema, false, { from: 'value', field: f.name }));
    }
  }
  return { columns, keyColumns: keys.map((k) => k.name) };
}
