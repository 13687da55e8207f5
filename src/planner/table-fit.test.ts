import { ConnectJsonConverter } from '../converters/connect-json-converter';
import type { SinkRecord } from '../record/sink-record';
import { type WriteOperation, planBatch } from './batch-plan';
import type { ExistingColumn } from '../dialect/ddl';
import { exactInFloat, fitToTable } from './table-fit';
import { compareColumnTypes } from './type-widening';
import type { Schema, Value } from '../record/schema';

const options = { insertMode: 'insert' as const, deleteEnabled: false, pkMode: 'none' as const, pkFields: [], fieldsWhitelist: [], tableNameFormat: '${topic}', timezone: 'UTC' };
const fitOptions = { quoting: 'always' as const, tableName: 'default.loose' };

async function records(...json: string[]): Promise<SinkRecord[]> {
  const converter = new ConnectJsonConverter(false);
  return Promise.all(
    json.map(async (text, i) => ({ topic: 'loose', partition: 0, offset: String(i), timestamp: '0', key: null, value: await converter.toConnectData('loose', Buffer.from(text)) })),
  );
}

describe('regression: schemaless JSON rounded integers already stored, 9007199254740993 → 9.007199254740992e15 (issue 13, point 3)', () => {
  it('a fraction arriving for the BIGINT column is refused as SCHEMA_INCOMPATIBLE: the column stays BIGINT, stored values exact', async () => {
    const [first, second] = await records('{"n": 9007199254740993}', '{"n": 1.5}');
    const columnOf = (r: SinkRecord) => (planBatch([r], options).operations[0] as WriteOperation).shape.columns[0].type;
    expect(columnOf(first).kind).toBe('BIGINT');
    expect(compareColumnTypes(columnOf(first), columnOf(second))).toEqual({ kind: 'incompatible' });
  });

  it('an integer arriving for a DOUBLE column is written only when the DOUBLE holds it exactly', async () => {
    const op = planBatch(await records('{"n": 2}', '{"n": 9007199254740993}', '{"n": 9007199254740992}', '{"n": -9223372036854775808}'), options).operations[0] as WriteOperation;
    const table: ExistingColumn[] = [{ name: 'n', type: 'DOUBLE', nullable: true, defaultExpression: '' }];
    const fit = fitToTable(op, table, fitOptions);
    expect(fit.refused.map((r) => [r.record.offset, r.error.code, r.error.message])).toEqual([
      ['1', 'VALUE_OUT_OF_RANGE', 'table default.loose, column "n" is DOUBLE, which cannot hold the record\'s integer exactly (beyond 2^53 it would be stored rounded)'],
    ]);
    expect(fit.op!.rows).toEqual([['2'], ['9007199254740992'], ['-9223372036854775808']]);
  });

  it('exactInFloat: 2^53 + 1 is not a double, 2^53 + 2 is; 2^24 + 1 is not a float', () => {
    expect([exactInFloat('9007199254740993', 53), exactInFloat('9007199254740994', 53), exactInFloat('-9007199254740992', 53)]).toEqual([false, true, true]);
    expect([exactInFloat('16777217', 24), exactInFloat('16777216', 24), exactInFloat('123', 24)]).toEqual([false, true, true]);
  });
});

describe('regression: a NULL for a NOT NULL VARCHAR column was stored as backslash-N', () => {
/**
 * Regression: a NULL for a `VARCHAR NOT NULL` column of a table the user created was stored as the
 * text `\N` (the CSV stage load writes NULL as `\N`, which Databend reads into a NOT NULL string
 * column as two characters). The sink now refuses a NULL for any NOT NULL column of the target table
 * itself, as VALUE_OUT_OF_RANGE naming table and column, before loading — unless the record's schema
 * lacks the field and the column has a DEFAULT (the column is left out of the row; the DEFAULT applies).
 */
const options = { insertMode: 'insert' as const, deleteEnabled: false, pkMode: 'none' as const, pkFields: [], fieldsWhitelist: [], tableNameFormat: '${topic}', timezone: 'UTC' };
const fitOptions = { quoting: 'always' as const, tableName: 'default.readings' };

const optional = (type: Schema['type']): Schema => ({ type, optional: true });
function record(offset: number, schema: Schema, fields: Record<string, Value>): SinkRecord {
  return { topic: 'readings', partition: 0, offset: String(offset), timestamp: '0', key: null, value: { schema, value: { kind: 'struct', fields } } };
}
function writeOp(records: SinkRecord[]): WriteOperation {
  const plan = planBatch(records, options);
  expect(plan.failed).toEqual([]);
  expect(plan.operations).toHaveLength(1);
  return plan.operations[0] as WriteOperation;
}

const SCHEMA: Schema = { type: 'STRUCT', optional: false, fields: [{ name: 'id', schema: optional('INT64') }, { name: 'name', schema: optional('STRING') }, { name: 'qty', schema: optional('INT32') }] };
const TABLE: ExistingColumn[] = [
  { name: 'id', type: 'BIGINT', nullable: true, defaultExpression: '' },
  { name: 'name', type: 'VARCHAR', nullable: false, defaultExpression: '' },
  { name: 'qty', type: 'INT', nullable: false, defaultExpression: '' },
];

describe('a NULL for a NOT NULL column of the table', () => {
  it('is refused (VARCHAR and INT), naming the column; the other rows stay', () => {
    const op = writeOp([record(0, SCHEMA, { id: 1n, name: 'a', qty: 1 }), record(1, SCHEMA, { id: 2n, name: null, qty: 2 }), record(2, SCHEMA, { id: 3n, name: 'c', qty: null })]);
    const fit = fitToTable(op, TABLE, fitOptions);
    expect(fit.refused.map((r) => [r.record.offset, r.error.code, r.error.message])).toEqual([
      ['1', 'VALUE_OUT_OF_RANGE', `table default.readings, column "name" is NOT NULL but the record's value is null`],
      ['2', 'VALUE_OUT_OF_RANGE', `table default.readings, column "qty" is NOT NULL but the record's value is null`],
    ]);
    expect(fit.op!.records.map((r) => r.offset)).toEqual(['0']);
    expect(fit.op!.rows).toEqual([['1', 'a', '1']]);
  });

  it('is refused even when the column has a DEFAULT: the field is in the record', () => {
    const withDefault = TABLE.map((c) => (c.name === 'name' ? { ...c, defaultExpression: "'n/a'" } : c));
    const fit = fitToTable(writeOp([record(0, SCHEMA, { id: 1n, name: null, qty: 1 })]), withDefault, fitOptions);
    expect(fit.refused.map((r) => r.error.message)).toEqual([`table default.readings, column "name" is NOT NULL but the record's value is null`]);
    expect(fit.op).toBeNull();
  });

  it('is refused for a schemaless JSON null member (which makes no column of its own)', async () => {
    const converted = await new ConnectJsonConverter(false).toConnectData('readings', Buffer.from('{"id":1,"name":null,"qty":3}'));
    const raw: SinkRecord = { topic: 'readings', partition: 0, offset: '5', timestamp: '0', key: null, value: converted };
    const op = writeOp([raw]);
    expect(op.shape.columns.map((c) => c.name)).toEqual(['id', 'qty']);
    expect(fitToTable(op, TABLE, fitOptions).refused.map((r) => [r.record.offset, r.error.message])).toEqual([['5', `table default.readings, column "name" is NOT NULL but the record's value is null`]]);
  });

  it('absent field: the DEFAULT applies (the column is left out); without a DEFAULT the record is refused', () => {
    const noName: Schema = { ...SCHEMA, fields: SCHEMA.fields!.filter((f) => f.name !== 'name') };
    const op = writeOp([record(0, noName, { id: 1n, qty: 1 })]);
    const withDefault = TABLE.map((c) => (c.name === 'name' ? { ...c, defaultExpression: "'n/a'" } : c));
    expect(fitToTable(op, withDefault, fitOptions)).toEqual({ op, refused: [] });
    expect(fitToTable(op, TABLE, fitOptions).refused.map((r) => r.error.message)).toEqual([
      `table default.readings, column "name" is NOT NULL and has no DEFAULT, but the record has no field "name"`,
    ]);
  });

  it('update leaves an absent column alone: nothing to refuse', () => {
    const noName: Schema = { ...SCHEMA, fields: SCHEMA.fields!.filter((f) => f.name !== 'name') };
    const op = { ...writeOp([record(0, noName, { id: 1n, qty: 1 })]), kind: 'update' as const };
    expect(fitToTable(op, TABLE, fitOptions)).toEqual({ op, refused: [] });
  });

  it('quoting=never: the table holds the lower-case name of a bare identifier', () => {
    const upper: Schema = { type: 'STRUCT', optional: false, fields: [{ name: 'Name', schema: optional('STRING') }] };
    const fit = fitToTable(writeOp([record(0, upper, { Name: null })]), [{ name: 'name', type: 'VARCHAR', nullable: false }], { ...fitOptions, quoting: 'never' });
    expect(fit.refused.map((r) => r.error.code)).toEqual(['VALUE_OUT_OF_RANGE']);
  });
});
});

describe('regression: a record without a typed member was inserted with no columns', () => {
/**
 * Regression: a schemaless JSON record with no typed member (`{}`, `{"a":null}`) going into an
 * existing table was written as `INSERT INTO t () VALUES`, which Databend rejects. Its row now holds
 * NULL in every nullable column without a DEFAULT (the other columns get their DEFAULT), written as
 * SQL literals; a NOT NULL column without a DEFAULT refuses it. Never `DEFAULT` for such a column:
 * Databend would store '' or 0.
 */
const options = { insertMode: 'insert' as const, deleteEnabled: false, pkMode: 'none' as const, pkFields: [], fieldsWhitelist: [], tableNameFormat: '${topic}', timezone: 'UTC' };
const fitOptions = { quoting: 'always' as const, tableName: 'default.loose' };

async function op(...values: string[]): Promise<WriteOperation> {
  const converter = new ConnectJsonConverter(false);
  const records: SinkRecord[] = [];
  for (const [i, json] of values.entries()) {
    records.push({ topic: 'loose', partition: 0, offset: String(i), timestamp: '0', key: null, value: await converter.toConnectData('loose', Buffer.from(json)) });
  }
  const plan = planBatch(records, options);
  expect(plan.failed).toEqual([]);
  expect(plan.operations).toHaveLength(1);
  return plan.operations[0] as WriteOperation;
}

const TABLE: ExistingColumn[] = [
  { name: 'id', type: 'BIGINT', nullable: true, defaultExpression: '' },
  { name: 'a', type: 'VARCHAR', nullable: true, defaultExpression: null },
  { name: 'n', type: 'INT', nullable: true, defaultExpression: '7' },
  { name: 'd', type: 'VARCHAR', nullable: false, defaultExpression: "'x'" },
];

describe('a record with no typed member', () => {
  it('is planned with no column', async () => {
    expect((await op('{}', '{"a":null}')).shape.columns).toEqual([]);
  });

  it('is written as NULL in the nullable columns without a DEFAULT (the others get their DEFAULT)', async () => {
    const fit = fitToTable(await op('{}', '{"a":null}'), TABLE, fitOptions);
    expect(fit.refused).toEqual([]);
    expect(fit.op!.form).toBe('sql');
    expect(fit.op!.shape.columns.map((c) => c.name)).toEqual(['id', 'a']);
    expect(fit.op!.rows).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it('a table whose columns all have a DEFAULT: one of them as DEFAULT', async () => {
    const fit = fitToTable(await op('{}'), TABLE.slice(2), fitOptions);
    expect(fit.op!.shape.columns.map((c) => c.name)).toEqual(['n']);
    expect(fit.op!.rows).toEqual([['DEFAULT']]);
  });

  it('a NOT NULL column without a DEFAULT refuses it (also as a null member)', async () => {
    const table: ExistingColumn[] = [...TABLE, { name: 'must', type: 'VARCHAR', nullable: false, defaultExpression: '' }];
    const fit = fitToTable(await op('{}', '{"must":null}'), table, fitOptions);
    expect(fit.op).toBeNull();
    expect(fit.refused.map((r) => [r.record.offset, r.error.code, r.error.message])).toEqual([
      ['0', 'VALUE_OUT_OF_RANGE', 'table default.loose, column "must" is NOT NULL and has no DEFAULT, but the record has no field "must"'],
      ['1', 'VALUE_OUT_OF_RANGE', `table default.loose, column "must" is NOT NULL but the record's value is null`],
    ]);
  });
});
});
