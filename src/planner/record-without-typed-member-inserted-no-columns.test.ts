import { ConnectJsonConverter } from '../converters/connect-json-converter';
import type { SinkRecord } from '../record/sink-record';
import { type WriteOperation, planBatch } from './batch-plan';
import type { ExistingColumn } from '../dialect/ddl';
import { fitToTable } from './table-fit';

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
