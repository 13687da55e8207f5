import { ConnectJsonConverter } from '../converters/connect-json-converter';
import type { ExistingColumn } from '../dialect/ddl';
import type { TableRef } from '../dialect/identifiers';
import type { SinkRecord } from '../record/sink-record';
import { type BatchPlanOptions, type Operation, type WriteOperation, planBatch } from './batch-plan';
import { planOptions } from '../../test-support/plan-options';
import { groupLoads } from './load-grouping';
import { fitToTable } from './table-fit';

const converter = new ConnectJsonConverter(false);

function records(topic: string, ...json: string[]): SinkRecord[] {
  return json.map((text, i) => ({ topic, partition: 0, offset: String(i), timestamp: '0', key: null, value: converter.tryConvert(topic, Buffer.from(text)) ?? null }));
}

const column = (name: string, type: string, defaultExpression = ''): ExistingColumn => ({ name, type, nullable: true, defaultExpression });
const TABLE = [column('id', 'BIGINT'), column('a', 'VARCHAR'), column('b', 'DOUBLE'), column('c', 'BOOLEAN')];

/** The batch's operations as the writer runs them: planned, fitted to `table`, grouped. */
function loads(batch: SinkRecord[], table: ExistingColumn[], plan: Partial<BatchPlanOptions> = {}): Operation[] {
  const fitted = planBatch(batch, planOptions(plan)).operations.map((op) => (op.kind === 'delete' ? op : (fitToTable(op, table, { quoting: 'always', tableName: 't' }).op as WriteOperation)));
  return groupLoads(fitted, (_: TableRef) => table, 'always');
}

/** Each write operation as its columns and rows (field texts, offsets). */
function summary(ops: Operation[]) {
  return ops.map((op) => (op.kind === 'delete' ? { delete: op.records.map((r) => r.offset) } : { kind: op.kind, columns: op.shape.columns.map((c) => c.name), rows: op.rows, offsets: op.records.map((r) => r.offset) }));
}

describe('groupLoads: one load per table and batch where it changes no row', () => {
  it('records whose null members differ (another shape each) go in one load; a missing column is NULL in their rows', () => {
    const batch = records('t', '{"id":1,"a":"x","b":1.5,"c":true}', '{"id":2,"a":null,"b":2.5,"c":null}', '{"id":3,"a":"z","b":null,"c":false}', '{"id":4,"a":"w","b":4.5,"c":true}', '{"id":5}');
    expect(planBatch(batch, planOptions()).operations).toHaveLength(4);
    expect(summary(loads(batch, TABLE))).toEqual([
      {
        kind: 'insert',
        columns: ['id', 'a', 'b', 'c'],
        rows: [
          ['1', 'x', '1.5', 'true'],
          ['4', 'w', '4.5', 'true'],
          ['2', null, '2.5', null],
          ['3', 'z', null, 'false'],
          ['5', null, null, null],
        ],
        offsets: ['0', '3', '1', '2', '4'],
      },
    ]);
  });

  it('keeps apart the records lacking a column that has a DEFAULT (they get the DEFAULT, not a NULL)', () => {
    const table = [column('id', 'BIGINT'), column('a', 'VARCHAR', "'n/a'"), column('b', 'DOUBLE', '7'), column('c', 'BOOLEAN')];
    const batch = records('t', '{"id":1,"a":"x","b":1.5,"c":true}', '{"id":2,"b":2.5}', '{"id":3,"a":null,"b":3.5,"c":false}', '{"id":4,"c":true}', '{"id":5,"a":"y","b":5.5}');
    expect(summary(loads(batch, table))).toEqual([
      { kind: 'insert', columns: ['id', 'a', 'b', 'c'], rows: [['1', 'x', '1.5', 'true'], ['5', 'y', '5.5', null]], offsets: ['0', '4'] },
      { kind: 'insert', columns: ['id', 'b', 'c'], rows: [['2', '2.5', null], ['3', '3.5', 'false']], offsets: ['1', '2'] },
      { kind: 'insert', columns: ['id', 'c'], rows: [['4', 'true']], offsets: ['3'] },
    ]);
  });

  it('groups per table, in the order of each table’s first operation', () => {
    const batch = [...records('t', '{"id":1,"a":"x"}'), ...records('u', '{"id":2}'), ...records('t', '{"id":3,"b":1.5}')];
    expect(summary(loads(batch, TABLE)).map((op) => ('columns' in op ? [op.offsets, op.columns] : op))).toEqual([
      [['0', '0'], ['id', 'a', 'b']],
      [['0'], ['id']],
    ]);
  });

  it('upsert: one REPLACE per table and key columns, deletes first; update: one operation per shape segment, as planned', () => {
    const tombstone = (id: number): SinkRecord => ({ topic: 't', partition: 0, offset: String(10 + id), timestamp: '0', key: { schema: { type: 'STRUCT', optional: false, fields: [{ name: 'id', schema: { type: 'INT64', optional: false } }] }, value: { kind: 'struct', fields: { id: BigInt(id) } } }, value: null });
    const keyed = (batch: SinkRecord[]) => batch.map((r) => ({ ...r, key: { schema: { type: 'STRUCT' as const, optional: false, fields: [{ name: 'id', schema: { type: 'INT64' as const, optional: false } }] }, value: { kind: 'struct' as const, fields: { id: (r.value!.value as { fields: { id: bigint } }).fields.id } } } }));
    const batch = [...keyed(records('t', '{"id":1,"a":"x"}', '{"id":2,"b":2.5}', '{"id":3,"a":"y","b":3.5}')), tombstone(9)];
    const upsert = summary(loads(batch, TABLE, { insertMode: 'upsert', pkMode: 'record_key', deleteEnabled: true }));
    expect(upsert.map((op) => ('delete' in op ? 'delete' : `${op.kind} ${op.columns.join(',')} ${op.offsets.join(',')}`))).toEqual(['delete', 'upsert id,a,b 0,1,2']);
    const update = summary(loads(batch, TABLE, { insertMode: 'update', pkMode: 'record_key', deleteEnabled: true }));
    expect(update.map((op) => ('delete' in op ? 'delete' : `${op.kind} ${op.columns.join(',')} ${op.offsets.join(',')}`))).toEqual(['delete', 'update id,a 0', 'update id,b 1', 'update id,a,b 2']);
  });

  it('leaves rows written as SQL literals (a record without a typed member) in their own statement', () => {
    const batch = records('t', '{"id":1,"a":"x"}', '{}', '{"id":3,"b":1.5}');
    expect(summary(loads(batch, TABLE)).map((op) => ('columns' in op ? [op.columns, op.offsets] : op))).toEqual([
      [['id', 'a', 'b'], ['0', '2']],
      [['id', 'a', 'b', 'c'], ['1']],
    ]);
  });
});
