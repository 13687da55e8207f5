import { mergeUpdateSql } from '../../dialect/dml';
import { loadRows, rowsBy } from './load-rows';
import { throughScratchTable } from './scratch-table';
import type { WriteMode } from './write-mode';

/**
 * insert.mode=update: the rows are loaded into a scratch table, then `MERGE … WHEN MATCHED THEN
 * UPDATE` sets the record's non-key columns where the key exists; absent keys are not created.
 */
export const updateMode: WriteMode = {
  async execute(session, op, quoting) {
    const names = op.shape.columns.map((c) => c.name);
    const merge = (scratch: Parameters<typeof mergeUpdateSql>[1]) => mergeUpdateSql(op.table, scratch, op.shape.columns, op.shape.keyColumns, quoting);
    // Only key columns: nothing to update, and the rows must not be created.
    if (merge(op.table) === null) return;
    await throughScratchTable(session, op.table, names, quoting, 'update', (insert) => loadRows(session, insert, op), (scratch) => merge(scratch) as string);
  },
  statement(op, server) {
    return `MERGE (update) through a scratch table loaded by ${rowsBy(op, server)}`;
  },
};
