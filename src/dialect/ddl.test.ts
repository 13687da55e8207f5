import type { SinkError } from '../errors';
import type { Schema, SchemaType } from '../record/schema';
import { createDatabaseSql, createTableSql } from './ddl';
import { tableShape } from '../planner/table-shape';

const s = (type: SchemaType, extra: Partial<Schema> = {}): Schema => ({ type, optional: true, ...extra });
const struct = (fields: Record<string, Schema>): Schema => ({ type: 'STRUCT', optional: false, fields: Object.entries(fields).map(([name, schema]) => ({ name, schema })) });
const table = { database: 'db', table: 'orders.v1' };
const always = { quoting: 'always' as const };

function errorOf(f: () => unknown): SinkError {
  try {
    f();
  } catch (err) {
    return err as SinkError;
  }
  throw new Error('expected an error');
}

// Every statement form below was run on the embedded engine (databend 1.2.895), see ddl.ts.
describe('createTableSql', () => {
  it('creates keys NOT NULL, others NULL, with defaults, exact names', () => {
    const shape = tableShape(
      s('INT64'),
      struct({ 'Amount "EUR"': s('BYTES', { logical: { kind: 'decimal', precision: 20, scale: 4 } }), note: s('STRING', { defaultValue: "a'b" }), tags: s('ARRAY', { items: s('STRING') }) }),
      { pkMode: 'record_key', pkFields: ['id'], fieldsWhitelist: [] },
    );
    expect(createTableSql(table, shape, always)).toBe(
      'CREATE TABLE IF NOT EXISTS "db"."orders.v1" ("id" BIGINT NOT NULL, "Amount ""EUR""" DECIMAL(20, 4) NULL, "note" STRING NULL DEFAULT \'a\'\'b\', "tags" ARRAY(STRING) NULL)',
    );
  });

  it('uses the session database when none is named, and bare names with never', () => {
    const shape = tableShape(null, struct({ id: s('INT32'), Sel: s('STRING'), select: s('STRING') }), { pkMode: 'none', pkFields: [], fieldsWhitelist: [] });
    expect(createTableSql({ database: null, table: 'orders' }, shape, { quoting: 'never' })).toBe(
      'CREATE TABLE IF NOT EXISTS orders (id INT NULL, Sel STRING NULL, "select" STRING NULL)',
    );
  });

  it('refuses a table without columns', () => {
    expect(() => createTableSql(table, { columns: [] }, always)).toThrow(/no columns/);
  });

  it('creates the database idempotently', () => {
    expect(createDatabaseSql('my db', always)).toBe('CREATE DATABASE IF NOT EXISTS "my db"');
  });
});

describe('regression: with quote.sql.identifiers=never, fields Id and id stopped the sink on every restart (issue 13, point 4)', () => {
  const never = { quoting: 'never' as const };
  const shape = tableShape(null, struct({ Id: s('INT64'), id: s('INT64'), name: s('STRING') }), { pkMode: 'none', pkFields: [], fieldsWhitelist: [] });

  it('creating the table is a record error (SCHEMA_INCOMPATIBLE, dead-letterable), never Databend\'s "Duplicated column name"', () => {
    const e = errorOf(() => createTableSql(table, shape, never));
    expect([e.code, e.isRecordError]).toEqual(['SCHEMA_INCOMPATIBLE', true]);
    expect(e.message).toBe(
      'table db.orders.v1: fields "Id" and "id" would both be column "id" (quote.sql.identifiers=never folds unquoted names to lower case); rename one of the fields or set quote.sql.identifiers=always',
    );
  });

  it('with quote.sql.identifiers=always they are two columns', () => {
    expect(createTableSql(table, shape, always)).toBe('CREATE TABLE IF NOT EXISTS "db"."orders.v1" ("Id" BIGINT NULL, "id" BIGINT NULL, "name" STRING NULL)');
  });
});
