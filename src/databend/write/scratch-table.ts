import { createEmptyCopySql, dropTableSql, insertValuesSql } from '../../dialect/dml';
import type { IdentifierQuoting, TableRef } from '../../dialect/identifiers';
import type { DatabendSession } from '../databend-session';

let scratchCount = 0;

/**
 * Loads rows into a scratch table of `table`'s columns (an INSERT, which every server loads from a
 * stage) through `load(<INSERT … VALUES>)`, runs `apply(scratch)` and drops the scratch table.
 * Used where the statement that applies the rows cannot read a stage itself: REPLACE on current
 * servers, MERGE on all.
 */
export async function throughScratchTable(
  session: DatabendSession,
  table: TableRef,
  columns: readonly string[],
  quoting: IdentifierQuoting,
  purpose: 'upsert' | 'update',
  load: (insertSql: string) => Promise<unknown>,
  apply: (scratch: TableRef) => string,
): Promise<void> {
  // Unique per load: concurrent partition workers of one process may start a load in the same millisecond.
  const scratch: TableRef = { database: table.database, table: `__databend_sink_${purpose}_${process.pid}_${Date.now()}_${++scratchCount}` };
  await session.exec(createEmptyCopySql(scratch, table, columns, quoting));
  try {
    await load(insertValuesSql(scratch, columns, quoting));
    await session.exec(apply(scratch));
  } finally {
    await session.exec(dropTableSql(scratch, quoting));
  }
}
