/**
 * The ports of the consumer loop (task/sink-task.ts) live in this folder: what it reads
 * (`RecordSource`, here), how it converts (`Converter`), where it writes (`RecordWriter`) and where
 * errant records go (`DeadLetterQueue`). They name only the record model, errors and logging, so
 * that kafka/, databend/ and converters/ implement them without importing the loop.
 *
 * This is the only view the sink has of Kafka consumption. kafkajs is unmaintained, so everything
 * that touches it stays behind this interface (the implementation: kafka/kafkajs-record-source.ts).
 */
export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  /** ms since the epoch, as Kafka stores it. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: RawHeader[];
}

export interface RawHeader {
  key: string;
  value: Buffer | null;
}

/** Records of one partition in offset order, as fetched together. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  records: RawRecord[];
  /** Offset after the partition's last record at fetch time: `highWatermark - next offset` is the lag. */
  highWatermark: string;
}

export interface BatchContext {
  /** False once the partition was revoked (rebalance, lost membership) or given up at shutdown: do not commit. */
  stillOwned(): boolean;
  /** Keeps group membership alive between writes; throws `BatchInterrupted` when membership was lost. */
  heartbeat(): Promise<void>;
  /**
   * Aborted (with a `BatchInterrupted`) when the batch must be given up: the group took its
   * partition back, or the shutdown grace period ran out. Waits such as retry backoffs end at once,
   * and nothing more is written or committed for the batch; a call already in flight cannot be
   * called back and finishes on its own (its rows are written again by the next owner).
   */
  readonly signal: AbortSignal;
}

/**
 * Kafka took the batch back: the group is rebalancing (the partition may now belong to another
 * member), this member's session expired, or the shutdown grace period ran out. Thrown by
 * `BatchContext.heartbeat`, `RecordSource.commit` and as `BatchContext.signal`'s reason; the handler
 * stops working on the batch, commits nothing and rethrows it, so that the source can rejoin the
 * group and fetch again from the committed offsets. Rows already written are written again by
 * whoever owns the partition next (at-least-once).
 */
export class BatchInterrupted extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'BatchInterrupted';
  }
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to consume (last processed + 1), as Kafka commits it. */
  offset: string;
}

export interface RecordSource {
  /**
   * Consumes until `stop()`. The handler is called per partition batch, partitions concurrently up
   * to `concurrency`; the source never commits by itself. Resolves when consumption has stopped;
   * rejects when the client crashed for good.
   */
  run(handler: (batch: PartitionBatch, context: BatchContext) => Promise<void>): Promise<void>;
  /** Throws `BatchInterrupted` when the group is rebalancing, a retriable SinkError when Kafka is unreachable. */
  commit(offsets: TopicPartitionOffset[]): Promise<void>;
  /**
   * Stops fetching, gives the handlers in flight up to `graceMs` to finish (and commit), aborts the
   * ones still running (their `signal`), then leaves the group and disconnects.
   */
  stop(graceMs: number): Promise<void>;
}
