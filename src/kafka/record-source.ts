/**
 * The only view the sink has of Kafka consumption. kafkajs is unmaintained, so everything that
 * touches it stays behind this interface (see kafkajs-record-source.ts).
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
  /** False once the partition was revoked (rebalance) or the source is stopping: do not commit. */
  stillOwned(): boolean;
  /** Keeps group membership alive during long writes; throws `BatchInterrupted` when that failed. */
  heartbeat(): Promise<void>;
}

/**
 * Kafka took the batch back: the group is rebalancing (the partition may now belong to another
 * member) or the group coordinator cannot be reached. Thrown by `BatchContext.heartbeat` and
 * `RecordSource.commit`; the handler stops working on the batch, commits nothing and rethrows it,
 * so that the source can rejoin the group and fetch again from the committed offsets. Rows already
 * written are written again by whoever owns the partition next (at-least-once).
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
  /** Leaves the group and disconnects; the current handler calls finish first. */
  stop(): Promise<void>;
}
