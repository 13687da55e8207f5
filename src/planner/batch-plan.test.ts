import type { Schema, SchemaType, Value } from '../record/schema';
import type { SinkRecord } from '../record/sink-record';
import { type BatchPlan, type BatchPlanOptions, BatchPlanner, type DeleteOperation, type WriteOperation, planBatch } from './batch-plan';

const s = (type: SchemaType, extra: Partial<Schema> = {}): Schema => ({ type, optional: true, ...extra });
const struct = (fields: Record<string, Schema>): Schema => ({ type: 'STRUCT', optional: false, fields: Object.entries(fields).map(([name, schema]) => ({ name, schema })) });
const sv = (fields: Record<string, Value>): Value => ({ kind: 'struct', fields });

const KEY = s('INT64', { optional: false });
const V1 = struct({ id: s('INT64'), name: s('STRING') });
const V2 = struct({ id: s('INT64'), name: s('STRING'), qty: s('INT32') });

let offset = 0;
function put(id: number, name: string, topic = 'orders', schema: Schema = V1, extra: Record<string, Value> = {}): SinkRecord {
  return { topic, partition: 0, offset: String(offset++), timestamp: '0', key: { schema: KEY, value: BigInt(id) }, value: { schema, value: sv({ id: BigInt(id), name, ...extra }) } };
}
function tomb(id: number, topic = 'orders'): SinkRecord {
  return { topic, partition: 0, offset: String(offset++), timestamp: '0', key: { schema: KEY, value: BigInt(id) }, value: null };
}
beforeEach(() => {
  offset = 0;
});

const options = (over: Partial<BatchPlanOptions>): BatchPlanOptions => ({
  insertMode: 'insert',
  deleteEnabled: false,
  pkMode: 'record_key',
  pkFields: ['id'],
  fieldsWhitelist: [],
  tableNameFormat: '${topic}',
  timezone: 'UTC',
  ...over,
});

/** A compact, order-preserving view of the operations. */
function ops(plan: BatchPlan): string[] {
  return plan.operations.map((op) => {
    const table = `${op.table.database ? `${op.table.database}.` : ''}${op.table.table}`;
    if (op.kind === 'delete') return `delete ${table} ${op.keys.map((k) => k.join('|')).join(',')}`;
    return `${op.kind} ${table} ${op.rows.map((r) => r.slice(1).join('|')).join(',')}`;
  });
}
const offsets = (records: SinkRecord[]) => records.map((r) => r.offset);

describe('planBatch: insert mode', () => {
  it('appends every record, in order, one operation per table', () => {
    const plan = planBatch([put(1, 'a'), put(2, 'b'), put(1, 'c')], options({ pkMode: 'none', pkFields: [] }));
    expect(ops(plan)).toEqual(['insert orders a,b,c']);
    const op = plan.operations[0] as WriteOperation;
    expect(op.shape.columns.map((c) => c.name)).toEqual(['id', 'name']);
    expect(offsets(op.records)).toEqual(['0', '1', '2']);
  });

  it('ignores tombstones with delete.enabled=false but reports them', () => {
    const plan = planBatch([tomb(1), put(1, 'a'), tomb(2)], options({}));
    expect(ops(plan)).toEqual(['insert orders a']);
    expect(offsets(plan.ignoredTombstones)).toEqual(['0', '2']);
  });

  it('with deletes: an append before a later tombstone of its key does not survive', () => {
    const plan = planBatch([put(1, 'a'), put(2, 'b'), tomb(1), put(1, 'c'), put(3, 'd'), tomb(3)], options({ deleteEnabled: true }));
    expect(ops(plan)).toEqual(['delete orders 1,3', 'insert orders b,c']);
    expect(offsets(plan.superseded)).toEqual(['0', '4']);
  });

  it('with deletes: a tombstone first deletes rows from earlier batches', () => {
    const plan = planBatch([tomb(7), put(7, 'again')], options({ deleteEnabled: true }));
    expect(ops(plan)).toEqual(['delete orders 7', 'insert orders again']);
  });

  it('with deletes: repeated tombstones of one key become one key', () => {
    const plan = planBatch([tomb(1), tomb(1)], options({ deleteEnabled: true }));
    expect(ops(plan)).toEqual(['delete orders 1']);
    expect(offsets(plan.superseded)).toEqual(['0']);
    expect(offsets((plan.operations[0] as DeleteOperation).records)).toEqual(['1']);
  });
});

describe('planBatch: upsert mode', () => {
  const up = options({ insertMode: 'upsert' });
  const upDel = options({ insertMode: 'upsert', deleteEnabled: true });

  it('collapses duplicates to the last record per key (Databend would keep both rows of one REPLACE)', () => {
    const plan = planBatch([put(1, 'a'), put(2, 'b'), put(1, 'c'), put(1, 'd')], up);
    expect(ops(plan)).toEqual(['upsert orders b,d']);
    expect(offsets((plan.operations[0] as WriteOperation).records)).toEqual(['1', '3']);
    expect(offsets(plan.superseded)).toEqual(['0', '2']);
  });

  it('delete then upsert of a key leaves the row', () => {
    expect(ops(planBatch([tomb(1), put(1, 'a')], upDel))).toEqual(['upsert orders a']);
  });

  it('upsert then delete of a key removes it', () => {
    const plan = planBatch([put(1, 'a'), tomb(1)], upDel);
    expect(ops(plan)).toEqual(['delete orders 1']);
    expect(offsets(plan.superseded)).toEqual(['0']);
  });

  it('a tombstone may be the first record', () => {
    expect(ops(planBatch([tomb(5), put(6, 'x')], upDel))).toEqual(['delete orders 5', 'upsert orders x']);
  });

  it('interleaved keys: each key by its own last record', () => {
    const plan = planBatch([put(1, 'a'), put(2, 'b'), tomb(1), put(2, 'c'), tomb(2), put(1, 'e'), put(3, 'f'), tomb(4)], upDel);
    expect(ops(plan)).toEqual(['delete orders 2,4', 'upsert orders e,f']);
  });

  it('tombstones with delete.enabled=false do not undo an upsert', () => {
    const plan = planBatch([put(1, 'a'), tomb(1)], up);
    expect(ops(plan)).toEqual(['upsert orders a']);
    expect(offsets(plan.ignoredTombstones)).toEqual(['1']);
  });

  it('keeps the last record across schema versions, one operation per shape', () => {
    const plan = planBatch([put(1, 'a', 'orders', V1), put(2, 'b', 'orders', V2, { qty: 2 }), put(1, 'c', 'orders', V2, { qty: 3 }), put(3, 'd', 'orders', V1)], up);
    expect(ops(plan)).toEqual(['upsert orders b|2,c|3', 'upsert orders d']);
    expect((plan.operations[0] as WriteOperation).shape.columns.map((c) => c.name)).toEqual(['id', 'name', 'qty']);
  });

  it('without key columns is a configuration error', () => {
    expect(() => planBatch([put(1, 'a')], options({ insertMode: 'upsert', pkMode: 'none', pkFields: [] }))).toThrow(/needs key columns/);
  });

  it('compares keys by value, also for struct keys', () => {
    const key = struct({ region: s('STRING'), id: s('INT64') });
    const rec = (region: string, id: bigint, name: string | null): SinkRecord => ({
      topic: 't',
      partition: 0,
      offset: String(offset++),
      timestamp: '0',
      key: { schema: key, value: sv({ region, id }) },
      value: name === null ? null : { schema: V1, value: sv({ id, name }) },
    });
    const plan = planBatch([rec('eu', 1n, 'a'), rec('us', 1n, 'b'), rec('eu', 1n, 'c'), rec('us', 1n, null)], options({ insertMode: 'upsert', deleteEnabled: true, pkFields: [] }));
    expect(ops(plan)).toEqual(["delete t 'us'|1", 'upsert t 1|c']);
    const del = plan.operations[0] as DeleteOperation;
    expect(del.keyColumns.map((c) => c.name)).toEqual(['region', 'id']);
  });
});

describe('planBatch: update mode', () => {
  const upd = options({ insertMode: 'update' });

  it('updates with the last record per key', () => {
    const plan = planBatch([put(1, 'a'), put(1, 'b'), put(2, 'c')], upd);
    expect(ops(plan)).toEqual(['update orders b,c']);
    expect(offsets(plan.superseded)).toEqual(['0']);
  });

  it('a change of schema version starts a new operation, so no column an earlier version set is lost', () => {
    const plan = planBatch([put(1, 'a', 'orders', V2, { qty: 5 }), put(1, 'b', 'orders', V1), put(2, 'c', 'orders', V1)], upd);
    expect(ops(plan)).toEqual(['update orders a|5', 'update orders b,c']);
  });

  it('a tombstoned key is deleted and its updates dropped (after the delete the row is gone)', () => {
    const plan = planBatch([put(1, 'a'), tomb(1), put(1, 'b'), put(2, 'c')], options({ insertMode: 'update', deleteEnabled: true }));
    expect(ops(plan)).toEqual(['delete orders 1', 'update orders c']);
    expect(offsets(plan.superseded)).toEqual(['0', '2']);
  });
});

describe('planBatch: tables, errors, caching', () => {
  it('sends every record to its own topic table, tables in order of first appearance', () => {
    const plan = planBatch([put(1, 'a', 'b.orders'), put(2, 'b', 'a.users'), tomb(1, 'b.orders'), put(3, 'c', 'b.orders')], options({ insertMode: 'upsert', deleteEnabled: true, tableNameFormat: 'raw.${topic}' }));
    expect(ops(plan)).toEqual(['delete raw.b.orders 1', 'upsert raw.b.orders c', 'upsert raw.a.users b']);
    expect(plan.operations[0].table).toEqual({ database: 'raw', table: 'b.orders' });
  });

  it('merges topics that map to the same table', () => {
    const plan = planBatch([put(1, 'a', 't1'), put(1, 'b', 't2')], options({ insertMode: 'upsert', tableNameFormat: 'all_events' }));
    expect(ops(plan)).toEqual(['upsert all_events b']);
  });

  it('plans around a bad record as if it were absent, pinning the error to it', () => {
    const bad: SinkRecord = { ...put(1, 'x'), value: { schema: V1, value: sv({ id: 1n, name: 'bad\ud800' }) } };
    const plan = planBatch([put(1, 'a'), bad, put(2, 'b')], options({ insertMode: 'upsert' }));
    expect(ops(plan)).toEqual(['upsert orders a,b']);
    expect(plan.failed).toHaveLength(1);
    expect(plan.failed[0].record).toBe(bad);
    expect(plan.failed[0].error.code).toBe('RECORD_UNDECODABLE');
    expect(plan.failed[0].error.position).toEqual({ topic: 'orders', partition: 0, offset: bad.offset });
    expect(plan.failed[0].error.message).toMatch(/column "name"/);
  });

  it('reports a record whose schema lacks a pk field', () => {
    const plan = planBatch([put(1, 'a')], options({ pkMode: 'record_value', pkFields: ['tenant'] }));
    expect(plan.operations).toEqual([]);
    expect(plan.failed[0].error.code).toBe('SCHEMA_INCOMPATIBLE');
    expect(plan.failed[0].error.message).toMatch(/"tenant".*\(topic orders, partition 0, offset 0\)/);
  });

  it('reports a tombstone without a key', () => {
    const plan = planBatch([{ ...tomb(1), key: null }], options({ insertMode: 'upsert', deleteEnabled: true }));
    expect(plan.failed[0].error.message).toMatch(/without a key/);
  });

  it('pk.mode=kafka upserts by coordinates', () => {
    const plan = planBatch([put(1, 'a'), put(1, 'b')], options({ insertMode: 'upsert', pkMode: 'kafka', pkFields: [] }));
    const op = plan.operations[0] as WriteOperation;
    expect(op.rows).toEqual([
      ['orders', '0', '0', '1', 'a'],
      ['orders', '0', '1', '1', 'b'],
    ]);
    expect(op.shape.keyColumns).toEqual(['__connect_topic', '__connect_partition', '__connect_offset']);
  });

  it('reuses compiled shapes across batches and never leaks state between them', () => {
    const planner = new BatchPlanner(options({ insertMode: 'upsert' }));
    const first = planner.plan([put(1, 'a')]);
    const second = planner.plan([put(1, 'b')]);
    expect((first.operations[0] as WriteOperation).shape).toBe((second.operations[0] as WriteOperation).shape);
    expect(ops(second)).toEqual(['upsert orders b']);
  });

  it('plans an empty batch', () => {
    expect(planBatch([], options({}))).toEqual({ operations: [], ignoredTombstones: [], superseded: [], failed: [] });
  });
});
