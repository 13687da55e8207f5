/**
 * One load per table and batch, not per record shape: the write operations of a batch that the
 * table fit left (table-fit.ts), grouped so that records of different shapes — schemaless JSON
 * whose null members differ, two schema versions — go to Databend in one statement. Pure.
 *
 * A group's statement lists the union of its operations' columns; a row of a shape without one of
 * them holds NULL there. Leaving a column out of a statement gives it its DEFAULT, or NULL when it
 * has none: so operations are grouped only where that is the same thing, and their rows mean what
 * they meant apart:
 * - insert and upsert only: `update` sets the record's columns and leaves the others alone, which
 *   a NULL would not do (its operations stay one per shape segment);
 * - CSV rows only (the SQL-literal form is for the rare rows the CSV cannot hold);
 * - the same key columns (an upsert's `ON (…)`);
 * - the same columns left out among those with a DEFAULT in the table: a record whose schema lacks
 *   a field gets the column's DEFAULT, never a NULL written in its place (a schemaless JSON null
 *   member makes no column either, so it gets what an absent field gets, as before).
 * Columns without a DEFAULT left out by some operations of a group are nullable: the fit refused
 * the rows of a shape lacking a NOT NULL column without one.
 *
 * Grouping changes no outcome: appends commute, and the records of one table's upserts in a batch
 * hold distinct keys (the planner collapsed them); deletes stay before the writes of their table.
 * A group takes the place of its first operation.
 */
import type { ExistingColumn } from '../dialect/ddl';
import { type IdentifierQuoting, storedIdentifier, type TableRef } from '../dialect/identifiers';
import type { Row } from '../dialect/encode-rows';
import type { Operation, WriteOperation } from './batch-plan';
import { hasDefault } from './table-fit';
import type { ColumnSpec } from './table-shape';

export function groupLoads(operations: readonly Operation[], tableColumns: (table: TableRef) => readonly ExistingColumn[], quoting: IdentifierQuoting): Operation[] {
  const out: Operation[] = [];
  const groups = new Map<string, { at: number; ops: WriteOperation[] }>();
  for (const op of operations) {
    if (op.kind === 'delete' || op.kind === 'update' || op.form !== 'csv') {
      out.push(op);
      continue;
    }
    const key = groupKey(op, tableColumns(op.table), quoting);
    const group = groups.get(key);
    if (group) group.ops.push(op);
    else {
      groups.set(key, { at: out.length, ops: [op] });
      out.push(op);
    }
  }
  for (const { at, ops } of groups.values()) if (ops.length > 1) out[at] = merged(ops, quoting);
  return out;
}

function groupKey(op: WriteOperation, table: readonly ExistingColumn[], quoting: IdentifierQuoting): string {
  const stored = new Set(op.shape.columns.map((c) => storedIdentifier(c.name, quoting)));
  const defaultsLeftOut = table.filter((c) => hasDefault(c) && !stored.has(c.name)).map((c) => c.name);
  return [op.kind, op.table.database ?? '', op.table.table, op.shape.keyColumns.join('\u0001'), defaultsLeftOut.sort().join('\u0001')].join('\u0000');
}

/** One operation with the union of the columns (widest shape first) and every row laid out on it. */
function merged(ops: WriteOperation[], quoting: IdentifierQuoting): WriteOperation {
  const columns: ColumnSpec[] = [];
  const position = new Map<string, number>();
  for (const op of [...ops].sort((a, b) => b.shape.columns.length - a.shape.columns.length)) {
    for (const c of op.shape.columns) {
      const name = storedIdentifier(c.name, quoting);
      if (position.has(name)) continue;
      position.set(name, columns.length);
      columns.push(c);
    }
  }
  const width = columns.length;
  const rows: Row[] = [];
  const records: WriteOperation['records'] = [];
  for (const op of ops) {
    const at = op.shape.columns.map((c) => position.get(storedIdentifier(c.name, quoting)) as number);
    const laidOut = at.length === width && at.every((p, i) => p === i);
    for (const row of op.rows) {
      if (laidOut) {
        rows.push(row);
        continue;
      }
      const wide: Row = new Array(width).fill(null);
      for (let i = 0; i < at.length; i++) wide[at[i]] = row[i];
      rows.push(wide);
    }
    for (const record of op.records) records.push(record);
  }
  const first = ops[0];
  return { kind: first.kind, table: first.table, form: 'csv', shape: { columns, keyColumns: first.shape.keyColumns }, rows, records };
}
