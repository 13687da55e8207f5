import { deleteKeysSql } from '../../dialect/dml';
import type { IdentifierQuoting } from '../../dialect/identifiers';
import type { DeleteOperation } from '../../planner/batch-plan';
import { type DatabendSession, isMissingTable } from '../databend-session';

const DELETE_KEYS_PER_STATEMENT = 1000;

export const DELETE_STATEMENT = 'DELETE of tombstoned keys';

/** Tombstones (delete.enabled): `DELETE … WHERE key IN (…)`, at most DELETE_KEYS_PER_STATEMENT keys a statement. */
export async function executeDelete(session: DatabendSession, op: DeleteOperation, quoting: IdentifierQuoting): Promise<void> {
  const keyColumns = op.keyColumns.map((c) => c.name);
  try {
    for (let i = 0; i < op.keys.length; i += DELETE_KEYS_PER_STATEMENT) {
      await session.exec(deleteKeysSql(op.table, keyColumns, op.keys.slice(i, i + DELETE_KEYS_PER_STATEMENT), quoting));
    }
  } catch (err) {
    // Tombstones may arrive before any row of their table was written (tables are created for
    // rows only): a table that does not exist holds nothing to delete.
    if (isMissingTable(err)) return;
    throw err;
  }
}
