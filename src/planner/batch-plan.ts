/**
 * A batch of records → the ordered operations whose net effect equals applying the records one by
 * one in offset order (docs/write-modes.md). Pure: encodes rows and key literals, decides nothing about I/O.
 *
 * Operations (per table, tables in order of first appearance; within a table deletes come first):
 * - `{kind: 'delete', table, keyColumns, keys}`: `DELETE FROM t WHERE (k1, k2) IN ((…), …)`; `keys` are
 *   SQL literal tuples in `keyColumns` order.
 * - `{kind: 'insert' | 'upsert' | 'update', table, shape, form, rows}`: rows in `shape.columns` order,
 *   as CSV field texts (form `csv`, for the stage load) or, for rows holding a value the CSV cannot
 *   (an empty BINARY), SQL literals (form `sql`, for `VALUES (…)`; at most SQL_ROWS_PER_OPERATION
 *   rows, as one statement) — see row-encoding.ts. upsert = `REPLACE INTO t (cols) ON (keys)`; update =
 *   update the rows whose key exists, leave absent keys alone. Keys are unique within an upsert/update op.
 * Every operation carries `records` (parallel to `rows` / `keys`) for error attribution.
 *
 * Why deletes first is exact:
 * - upsert: only the last record per key matters (REPLACE replaces the whole row); keys whose last
 *   record is a tombstone are deleted, the rest upserted with their last value → disjoint key sets.
 *   (Collapsing is required: the engine does NOT reject duplicate keys in one REPLACE — verified, it
 *   silently inserts both rows.)
 * - insert with deletes: a tombstone for K removes every row with key K present at that moment, so
 *   appends of K before K's last tombstone never survive (they are dropped from the plan) and appends
 *   after it always do; one DELETE of all tombstoned keys followed by the surviving appends is equivalent.
 * - update with deletes: after a tombstone for K the row is gone and later updates of K find nothing,
 *   so a tombstoned key is simply deleted and all its updates dropped.
 * - update: within one op the last record per key wins; a change of record shape (schema version)
 *   starts a new op, so a later update never loses columns an earlier version set.
 * - forms: the csv and sql ops of one shape (and segment) hold disjoint keys in upsert/update (one
 *   record per key), and appends commute, so splitting rows by form changes nothing.
 * Records whose effect is subsumed are listed in `superseded`; tombstones with delete.enabled=false
 * in `ignoredTombstones` (nothing is dropped silently); records that cannot be planned (schema or
 * value errors) in `failed`, with the error pinned to the record — the rest of the batch is planned
 * as if they were absent.
 */
import { SinkError } from '../errors';
import type { InsertMode, PkMode } from './planner-options';
import type { Schema, Value } from '../record/schema';
import type { SinkRecord } from '../record/sink-record';
import type { Row } from '../dialect/encode-rows';
import { type EncodedRow, type RowEncoder, type RowForm, compileRowEncoder, encoderContext } from './row-encoding';
import type { TableRef } from '../dialect/identifiers';
import { compileTableNameFormat } from './table-name';
import { type ColumnSpec, type TableShape, tableShape } from './table-shape';
import { formatColumnType } from '../dialect/type-mapping';
import { type EncoderContext, type Encoder, csvFieldEncoder, sqlEncoder } from '../dialect/value-encoders';

export interface BatchPlanOptions {
  insertMode: InsertMode;
  deleteEnabled: boolean;
  pkMode: PkMode;
  pkFields: readonly string[];
  fieldsWhitelist: readonly string[];
  tableNameFormat: string;
  /** `db.timezone`. */
  timezone: string;
}

/** Rows of form `sql` per operation: each operation is one statement, so it must stay a sane size. */
export const SQL_ROWS_PER_OPERATION = 1000;

export interface WriteOperation {
  kind: 'insert' | 'upsert' | 'update';
  table: TableRef;
  shape: TableShape;
  form: RowForm;
  rows: Row[];
  records: SinkRecord[];
}

export interface DeleteOperation {
  kind: 'delete';
  table: TableRef;
  keyColumns: ColumnSpec[];
  keys: string[][];
  records: SinkRecord[];
}

export type Operation = WriteOperation | DeleteOperation;

export interface BatchPlan {
  operations: Operation[];
  ignoredTombstones: SinkRecord[];
  superseded: SinkRecord[];
  failed: { record: SinkRecord; error: SinkError }[];
}

interface Compiled {
  shape: TableShape;
  /** Column layout identity: shapes with equal signatures share an operation. */
  signature: string;
  keySignature: string;
  encode: RowEncoder | null;
  keyColumns: ColumnSpec[];
  /** Where the key columns sit in a row. */
  keyIndexes: number[];
  keyLiterals: (record: SinkRecord) => string[];
  /** The key columns' CSV field texts: what a row of form `csv` holds at `keyIndexes`. */
  keyTexts: (record: SinkRecord) => string[];
}

type Event =
  | { kind: 'row'; record: SinkRecord; compiled: Compiled; row: EncodedRow; keyId: string | null; index: number }
  | { kind: 'delete'; record: SinkRecord; compiled: Compiled; keyId: string; keys: string[]; index: number };

/** A topic's table, and its identity within a batch. */
interface TargetTable {
  ref: TableRef;
  id: string;
}

interface TableEvents {
  table: TableRef;
  events: Event[];
  /** Plain appends (insert without deletes): rows go straight into these operations, no events. */
  appends: WriteOps | null;
}

/** Write operations of one table, grouped by row form and group key, in order of creation. */
class WriteOps {
  private readonly byForm = { csv: new Map<string, WriteOperation>(), sql: new Map<string, WriteOperation>() };

  constructor(
    private readonly kind: WriteOperation['kind'],
    private readonly table: TableRef,
    /** Where new operations are appended. */
    readonly operations: Operation[],
  ) {}

  /** `groupKey`: a flat string held by the compiled shape (its hash is computed once). */
  add(shape: TableShape, row: EncodedRow, record: SinkRecord, groupKey: string): void {
    const { form, fields } = row;
    const ops = this.byForm[form];
    let op = ops.get(groupKey);
    if (!op || (form === 'sql' && op.rows.length >= SQL_ROWS_PER_OPERATION)) {
      op = { kind: this.kind, table: this.table, shape, form, rows: [], records: [] };
      ops.set(groupKey, op);
      this.operations.push(op);
    }
    op.rows.push(fields);
    op.records.push(record);
  }
}

const NO_SCHEMA: Schema = { type: 'STRUCT', optional: true, fields: [] };

function keyValue(record: SinkRecord, column: ColumnSpec): Value | undefined {
  const s = column.source;
  if (s.from === 'kafka') return s.field === 'topic' ? record.topic : s.field === 'partition' ? record.partition : BigInt(record.offset);
  const container = s.from === 'key' ? record.key?.value : record.value?.value;
  if (s.from === 'key' && s.field === null) return container;
  if (container === null || container === undefined) return undefined;
  return (container as { fields: Record<string, Value> }).fields?.[s.field as string];
}

/**
 * A row's key as the CSV texts of its key columns: rows and tombstones of one key get one identity,
 * whoever encoded the row (the planner, or the plugin's Java side that has no key values to give).
 */
function rowKeyTexts(compiled: Compiled, row: EncodedRow, record: SinkRecord): string[] {
  if (row.form !== 'csv') return compiled.keyTexts(record);
  return compiled.keyIndexes.map((i) => {
    const text = row.fields[i];
    if (text === null) throw new SinkError('VALUE_OUT_OF_RANGE', `key column ${JSON.stringify(compiled.shape.columns[i].name)} is null`);
    return text;
  });
}

/** One string per key: its columns, and its texts (as JSON when several, so that no text's characters can fake a boundary). */
function keyIdOf(compiled: Compiled, texts: string[]): string {
  return compiled.keySignature + '\u0002' + (texts.length === 1 ? texts[0] : JSON.stringify(texts));
}

function encodedByHost(encoded: NonNullable<SinkRecord['encoded']>, shape: TableShape): EncodedRow {
  // Fields in another shape's column order would land in the wrong columns: never guess.
  if (encoded.shape !== shape) throw new SinkError('INTERNAL', 'a row encoded by the host for another table shape than the one planned');
  return { form: 'csv', fields: encoded.fields };
}

/** Plans batches for one connector config; caches compiled shapes by schema identity across batches. */
export class BatchPlanner {
  private readonly tableFor: (topic: string) => TableRef;
  private readonly tables = new Map<string, TargetTable>();
  private readonly ctx: EncoderContext;
  private readonly cache = new WeakMap<Schema, WeakMap<Schema, Compiled>>();
  private readonly needsKeys: boolean;
  /** The last schema pair compiled: consecutive records of a batch mostly share it. */
  private last: { key: Schema; value: Schema; compiled: Compiled } | null = null;

  constructor(private readonly options: BatchPlanOptions) {
    this.tableFor = compileTableNameFormat(options.tableNameFormat);
    this.ctx = encoderContext({ timezone: options.timezone });
    this.needsKeys = options.insertMode !== 'insert' || options.deleteEnabled;
  }

  private table(topic: string): TargetTable {
    let t = this.tables.get(topic);
    if (!t) {
      const ref = this.tableFor(topic);
      t = { ref, id: `${ref.database ?? ''}\u0000${ref.table}` };
      this.tables.set(topic, t);
    }
    return t;
  }

  private compile(key: Schema | null, value: Schema | null): Compiled {
    const k = key ?? NO_SCHEMA;
    const v = value ?? NO_SCHEMA;
    const last = this.last;
    if (last !== null && last.key === k && last.value === v) return last.compiled;
    const compiled = this.compileNew(k, v, key, value);
    this.last = { key: k, value: v, compiled };
    return compiled;
  }

  private compileNew(k: Schema, v: Schema, key: Schema | null, value: Schema | null): Compiled {
    let inner = this.cache.get(k);
    if (!inner) {
      inner = new WeakMap();
      this.cache.set(k, inner);
    }
    let compiled = inner.get(v);
    if (!compiled) {
      const shape = tableShape(key, value, this.options);
      const keyColumns = shape.columns.filter((c) => c.key);
      if (this.needsKeys && this.options.insertMode !== 'insert' && value !== null && keyColumns.length === 0) {
        throw new SinkError('CONFIG_INVALID', `insert.mode=${this.options.insertMode} needs key columns, but pk.mode=${this.options.pkMode} gives none`);
      }
      const keyEncoders: Encoder[] = keyColumns.map((c) => sqlEncoder(c.schema, this.ctx));
      const keyTextEncoders: Encoder[] = keyColumns.map((c) => csvFieldEncoder(c.schema, this.ctx));
      const keyValues = (record: SinkRecord, encoders: Encoder[]): string[] =>
        keyColumns.map((c, i) => {
          const kv = keyValue(record, c);
          if (kv === null || kv === undefined) throw new SinkError('VALUE_OUT_OF_RANGE', `key column ${JSON.stringify(c.name)} is null`);
          return encoders[i](kv);
        });
      compiled = {
        shape,
        signature: shape.columns.map((c) => `${c.name}\u0001${formatColumnType(c.type)}\u0001${c.nullable}\u0001${c.key}`).join('\u0000'),
        keySignature: keyColumns.map((c) => c.name).join('\u0000'),
        encode: value === null ? null : compileRowEncoder(shape, this.ctx),
        keyColumns,
        keyIndexes: shape.columns.flatMap((c, i) => (c.key ? [i] : [])),
        keyLiterals: (record) => keyValues(record, keyEncoders),
        keyTexts: (record) => keyValues(record, keyTextEncoders),
      };
      inner.set(v, compiled);
    }
    return compiled;
  }

  /**
   * The table shape records with these schemas are planned with (the same object for as long as the
   * schemas live): a host that encodes rows itself encodes them for this shape (`SinkRecord.encoded`).
   */
  shapeFor(key: Schema | null, value: Schema): TableShape {
    return this.compile(key, value).shape;
  }

  plan(records: readonly SinkRecord[]): BatchPlan {
    const plan: BatchPlan = { operations: [], ignoredTombstones: [], superseded: [], failed: [] };
    const byTable = new Map<string, TableEvents>();
    // Without deletes, insert needs no event list: every row is appended, in offset order.
    const plainAppends = this.options.insertMode === 'insert' && !this.options.deleteEnabled;
    let index = 0;
    for (const record of records) {
      if (record.value === null && !this.options.deleteEnabled) {
        plan.ignoredTombstones.push(record);
        continue;
      }
      const table = this.table(record.topic);
      let te = byTable.get(table.id);
      if (!te) {
        te = { table: table.ref, events: [], appends: plainAppends ? new WriteOps('insert', table.ref, []) : null };
        byTable.set(table.id, te);
      }
      try {
        if (record.value === null) {
          if (!record.key) throw new SinkError('SCHEMA_INCOMPATIBLE', 'a tombstone without a key cannot delete anything');
          const compiled = this.compile(record.key.schema, null);
          if (compiled.keyColumns.length === 0) throw new SinkError('CONFIG_INVALID', `delete.enabled=true needs pk.mode=record_key, got ${this.options.pkMode}`);
          const keys = compiled.keyLiterals(record);
          te.events.push({ kind: 'delete', record, compiled, keys, keyId: keyIdOf(compiled, compiled.keyTexts(record)), index: index++ });
        } else {
          const compiled = this.compile(record.key?.schema ?? null, record.value.schema);
          const row = record.encoded === undefined ? compiled.encode!(record) : encodedByHost(record.encoded, compiled.shape);
          if (te.appends !== null) {
            te.appends.add(compiled.shape, row, record, compiled.signature);
            continue;
          }
          let keyId: string | null = null;
          if (this.needsKeys && compiled.keyColumns.length > 0) keyId = keyIdOf(compiled, rowKeyTexts(compiled, row, record));
          te.events.push({ kind: 'row', record, compiled, row, keyId, index: index++ });
        }
      } catch (err) {
        if (err instanceof SinkError && err.isRecordError) plan.failed.push({ record, error: err.at({ topic: record.topic, partition: record.partition, offset: record.offset }) });
        else throw err;
      }
    }
    for (const te of byTable.values()) {
      if (te.appends !== null) plan.operations.push(...te.appends.operations);
      else this.planTable(te, plan);
    }
    return plan;
  }

  private planTable(te: TableEvents, plan: BatchPlan): void {
    const mode = this.options.insertMode;
    const deletes = te.events.filter((e): e is Extract<Event, { kind: 'delete' }> => e.kind === 'delete');
    const rows = te.events.filter((e): e is Extract<Event, { kind: 'row' }> => e.kind === 'row');
    const lastByKey = new Map<string, Event>();
    for (const e of te.events) if (e.keyId !== null) lastByKey.set(e.keyId, e);
    const lastDelete = new Map<string, number>();
    for (const d of deletes) lastDelete.set(d.keyId, d.index);

    // Deletes: one per key (first-appearance order), grouped by key columns.
    let deleted: Extract<Event, { kind: 'delete' }>[];
    if (mode === 'upsert') deleted = deletes.filter((d) => lastByKey.get(d.keyId) === d);
    else deleted = deletes.filter((d) => lastDelete.get(d.keyId) === d.index);
    const seenDelete = new Set(deleted);
    for (const d of deletes) if (!seenDelete.has(d)) plan.superseded.push(d.record);
    const deleteOps = new Map<string, DeleteOperation>();
    for (const d of deleted) {
      let op = deleteOps.get(d.compiled.keySignature);
      if (!op) {
        op = { kind: 'delete', table: te.table, keyColumns: d.compiled.keyColumns, keys: [], records: [] };
        deleteOps.set(d.compiled.keySignature, op);
        plan.operations.push(op);
      }
      op.keys.push(d.keys);
      op.records.push(d.record);
    }

    const writeOps = new WriteOps(mode, te.table, plan.operations);
    const add = (e: Extract<Event, { kind: 'row' }>, groupKey: string) => writeOps.add(e.compiled.shape, e.row, e.record, groupKey);

    if (mode === 'insert') {
      for (const e of rows) {
        const d = e.keyId === null ? undefined : lastDelete.get(e.keyId);
        if (d !== undefined && d > e.index) plan.superseded.push(e.record);
        else add(e, e.compiled.signature);
      }
    } else if (mode === 'upsert') {
      for (const e of rows) {
        if (lastByKey.get(e.keyId!) === e) add(e, e.compiled.signature);
        else plan.superseded.push(e.record);
      }
    } else {
      // update: tombstoned keys are only deleted; the rest in shape segments, last per key per segment
      // (at the place of the key's first record in the segment).
      let segment = 0;
      let current: string | null = null;
      const last = new Map<string, { e: Extract<Event, { kind: 'row' }>; groupKey: string }>();
      for (const e of rows) {
        if (lastDelete.has(e.keyId!)) {
          plan.superseded.push(e.record);
          continue;
        }
        if (e.compiled.signature !== current) {
          current = e.compiled.signature;
          segment++;
        }
        const groupKey = `${segment}\u0003${current}`;
        const segmentKey = `${groupKey}\u0002${e.keyId!}`;
        const prior = last.get(segmentKey);
        if (prior) plan.superseded.push(prior.e.record);
        last.set(segmentKey, { e, groupKey });
      }
      for (const { e, groupKey } of last.values()) add(e, groupKey);
    }
  }
}

/** One-off planning (no cache across batches). */
export function planBatch(records: readonly SinkRecord[], options: BatchPlanOptions): BatchPlan {
  return new BatchPlanner(options).plan(records);
}
