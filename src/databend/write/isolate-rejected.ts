import { SinkError } from '../../errors';
import type { DeleteOperation, WriteOperation } from '../../planner/batch-plan';
import type { RecordFailure } from '../../ports/record-writer';
import type { SinkRecord } from '../../record/sink-record';
import { DatabendQueryError } from '../databend-session';

/**
 * Databend error codes that reject a value (CSV field or literal that does not fit its column,
 * overflow, bad date, bad JSON, constraint): the records are isolated and rejected one by one.
 * Any other error concerns the statement, and no record is to blame.
 */
const VALUE_REJECTION_CODES: ReadonlySet<number> = new Set([
  1006, // BadArguments: a literal that cannot be cast or evaluated for its column
  1010, // BadDataValueType
  1017, // DataStructMissMatch
  1018, // BadDataArrayLength
  1046, // BadBytes: a CSV field that does not parse for its column
  1049, // Overflow
  1060, // StrParseError
  1079, // InvalidDate
  1080, // InvalidTimestamp
  1090, // GeometryError
  1114, // UnmatchColumnDataType
  1133, // ConstraintError
  2513, // JiffError (dates and times)
]);

export function isValueRejection(err: DatabendQueryError): boolean {
  return err.databendCode !== null && VALUE_REJECTION_CODES.has(err.databendCode);
}

export interface Isolation<T> {
  /** Runs (a part of) the operation. */
  run(part: T): Promise<void>;
  /** The records `from` … `to` of the operation, as an operation. */
  slice(op: T, from: number, to: number): T;
  /** Databend refused (a part of) it: told before anything else (the table's cached metadata may be stale). */
  refused(err: DatabendQueryError): void;
  /** The error that stops the sink when Databend refused the statement itself. */
  statementRefused(err: DatabendQueryError): SinkError;
}

/**
 * The rejected-row isolation step: runs `op`; when Databend rejects a value of it, splits it in
 * halves until the rejected records are found (ROW_REJECTED each); the others are written exactly
 * once. A rejection of the statement itself (unsupported form, missing object, permission) is no
 * record's fault: it stops the sink.
 */
export async function isolateRejected<T extends { records: SinkRecord[] }>(op: T, how: Isolation<T>): Promise<RecordFailure[]> {
  if (op.records.length === 0) return [];
  try {
    await how.run(op);
    return [];
  } catch (err) {
    if (!(err instanceof DatabendQueryError)) throw err;
    how.refused(err);
    if (!isValueRejection(err)) throw how.statementRefused(err);
    if (op.records.length === 1) {
      const record = op.records[0];
      return [{ record, error: new SinkError('ROW_REJECTED', `Databend rejected the row: ${err.message}`).at(record) }];
    }
    const mid = Math.ceil(op.records.length / 2);
    return [...(await isolateRejected(how.slice(op, 0, mid), how)), ...(await isolateRejected(how.slice(op, mid, op.records.length), how))];
  }
}

export function sliceWrite(op: WriteOperation, from: number, to: number): WriteOperation {
  return { ...op, rows: op.rows.slice(from, to), records: op.records.slice(from, to) };
}

export function sliceDelete(op: DeleteOperation, from: number, to: number): DeleteOperation {
  return { ...op, keys: op.keys.slice(from, to), records: op.records.slice(from, to) };
}
