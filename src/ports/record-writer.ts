import type { SinkError } from '../errors';
import type { SinkRecord } from '../record/sink-record';

/** A record that could not be written because of its own content. */
export interface RecordFailure {
  record: SinkRecord;
  error: SinkError;
}

/**
 * Writes converted records into Databend. Returns the records rejected for their own content;
 * throws a retriable SinkError when Databend is unreachable (then nothing of the call is assumed
 * written) and any other SinkError when the sink must stop.
 */
export interface RecordWriter {
  write(records: SinkRecord[], options?: WriteOptions): Promise<RecordFailure[]>;
}

export interface WriteOptions {
  /**
   * errors.tolerance=none: records after a failed one are not written where the writer can still
   * tell before writing, so that stopping at the failure leaves nothing past it in the table.
   */
  stopAtFirstFailure?: boolean;
}
