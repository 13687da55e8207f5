import { encodeCsv, encodeCsvBytes, encodeSqlValues, type Row } from '../../dialect/encode-rows';
import type { WriteOperation } from '../../planner/batch-plan';
import type { DatabendServer, DatabendSession } from '../databend-session';

/**
 * Runs `sql` (ending in `VALUES`) with the operation's rows: encoded once into CSV bytes for a
 * stage load (form `csv`), or into a `VALUES` list of SQL literals run as one statement (form `sql`).
 */
export async function loadRows(session: DatabendSession, sql: string, op: WriteOperation): Promise<void> {
  if (op.form === 'csv') await session.loadCsv(sql, csvFor(session, op.rows));
  else await session.exec(`${sql} ${encodeSqlValues(op.rows)}`);
}

/** How the rows of `op` reach the server, for messages. */
export function rowsBy(op: WriteOperation, server: DatabendServer): string {
  return op.form === 'csv' ? `stage load (${server.loadPath === 'attachment' ? 'stage attachment' : 'upload, then INSERT … FROM @~'})` : 'SQL literals';
}

/** The rows as CSV in the form the session takes (`DatabendSession.csvAsText`). */
export function csvFor(session: DatabendSession, rows: readonly Row[]): string | Buffer {
  return session.csvAsText ? encodeCsv(rows) : encodeCsvBytes(rows);
}
