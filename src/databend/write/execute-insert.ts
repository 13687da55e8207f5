import { insertValuesSql } from '../../dialect/dml';
import { loadRows, rowsBy } from './load-rows';
import type { WriteMode } from './write-mode';

/** insert.mode=insert: `INSERT INTO t (…) VALUES` with the rows. */
export const insertMode: WriteMode = {
  async execute(session, op, quoting) {
    await loadRows(session, insertValuesSql(op.table, op.shape.columns.map((c) => c.name), quoting), op);
  },
  statement(op, server) {
    return `INSERT by ${rowsBy(op, server)}`;
  },
};
