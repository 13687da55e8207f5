import type { IdentifierQuoting } from '../../dialect/identifiers';
import type { WriteOperation } from '../../planner/batch-plan';
import type { DatabendServer, DatabendSession } from '../databend-session';

/**
 * The execute stage of one write mode (`insert.mode`): one module per mode (execute-insert.ts,
 * execute-upsert.ts, execute-update.ts), chosen once when the writer is built; tombstones go
 * through execute-delete.ts whatever the mode.
 */
export interface WriteMode {
  /** Writes the operation's rows; throws what the session throws (DatabendQueryError: refused). */
  execute(session: DatabendSession, op: WriteOperation, quoting: IdentifierQuoting): Promise<void>;
  /** The statement(s) the mode runs for `op` on `server`, as messages name them. */
  statement(op: WriteOperation, server: DatabendServer): string;
}
