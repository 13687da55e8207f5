import { replaceIntoSql, replaceSelectSql } from '../../dialect/dml';
import type { IdentifierQuoting, TableRef } from '../../dialect/identifiers';
import type { DatabendSession } from '../databend-session';
import { csvFor, loadRows, rowsBy } from './load-rows';
import { throughScratchTable } from './scratch-table';
import type { WriteMode } from './write-mode';

/** insert.mode=upsert: `REPLACE INTO t (…) ON (keys)`, the last value per key (the planner keeps one record per key). */
export const upsertMode: WriteMode = {
  async execute(session, op, quoting) {
    const names = op.shape.columns.map((c) => c.name);
    if (op.form === 'csv') await upsertCsv(session, op.table, names, op.shape.keyColumns, quoting, csvFor(session, op.rows));
    else await loadRows(session, `${replaceIntoSql(op.table, names, op.shape.keyColumns, quoting)} VALUES`, op);
  },
  statement(op, server) {
    const rows = rowsBy(op, server);
    return op.form === 'sql' || server.loadPath === 'attachment' ? `REPLACE by ${rows}` : `REPLACE through a scratch table loaded by ${rows}`;
  },
};

/**
 * Upserts CSV rows into `table` the way the server takes them: `REPLACE … VALUES` with the rows as a
 * stage attachment (servers ≤ 1.2.781), else — servers refuse `REPLACE … FROM @stage` — loaded into a
 * scratch table, then `REPLACE … SELECT`.
 */
export async function upsertCsv(session: DatabendSession, table: TableRef, columns: string[], keys: string[], quoting: IdentifierQuoting, csv: string | Buffer): Promise<void> {
  const replace = replaceIntoSql(table, columns, keys, quoting);
  if (session.server.loadPath === 'attachment') {
    await session.loadCsv(`${replace} VALUES`, csv);
    return;
  }
  await throughScratchTable(session, table, columns, quoting, 'upsert', (insert) => session.loadCsv(insert, csv), (scratch) => replaceSelectSql(replace, columns, scratch, quoting));
}
