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

/**
 * What a transactional write stores with its rows (`exactly.once.enabled`): the partition's offset,
 * advanced in the same transaction, from the value it had when the transaction read it.
 */
export interface OffsetCommit {
  topic: string;
  partition: number;
  /** The offset after the last record the batch handles (written, failed or skipped). */
  next: string;
  /**
   * Called in the transaction after the rows are loaded, right before COMMIT, with the offset stored
   * before (records below it were committed earlier — by this process or another — and are left
   * out) and the batch's records that failed from it on: what must be durable before the offset
   * moves (dead-letter records). Called again when the transaction is retried.
   */
  beforeCommit(from: string, failed: RecordFailure[]): Promise<void>;
}

export interface OffsetWrite {
  /** The partition's offset as stored before this write (`-1`: none yet). */
  from: string;
  /**
   * The offset stored now: the one asked for, the offset of the first failed record under
   * `stopAtFirstFailure`, or — when the records were all written before — the one found.
   */
  next: string;
  /** The records from `from` on that failed (not written, offset advanced past them unless stopAtFirstFailure). */
  failed: RecordFailure[];
}

/**
 * Writes a partition's records and its offset in one transaction, so that no record is written
 * twice whoever writes the partition (a restarted process, a member that lost the partition).
 */
export interface TransactionalRecordWriter {
  writeWithOffset(records: SinkRecord[], offset: OffsetCommit, options?: WriteOptions): Promise<OffsetWrite>;
}
