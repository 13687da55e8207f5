import type { Converter } from '../ports/converter';
import { SinkError } from '../errors';
import { UNOBSERVED, type SinkEventPublisher } from '../events/sink-events';
import type { DeadLetterQueue, ErrorStage } from '../ports/dead-letter-queue';
import { BatchInterrupted, type BatchContext, type PartitionBatch, type RawRecord, type RecordSource } from '../ports/record-source';
import type { Logger } from '../logging/logger';
import type { RecordWriter, TransactionalRecordWriter } from '../ports/record-writer';
import type { SinkRecord } from '../record/sink-record';
import { type Failure, writeChunkExactlyOnce } from './exactly-once-chunk';
import { ProgressMeter } from './progress-meter';
import { RetryPolicy, withRetries } from '../retry/retry';

export interface SinkTaskOptions {
  batchSize: number;
  tolerance: 'none' | 'all';
  logErrors: boolean;
  logMessages: boolean;
  retry: RetryPolicy;
  /** `progress.interval.ms`: one progress line per interval (0: none). */
  progressIntervalMs: number;
  /** How long batches in flight may still finish (and commit) once the sink stops; then they are given up. */
  inFlightGraceMs: number;
  /** Where the task's events go (`events/sink-events.ts`); the progress line subscribes to them. */
  events?: SinkEventPublisher;
}

/**
 * The consumer loop: per partition batch, convert, write, report errant records, then commit.
 * Offsets are committed only after the rows are durable (and errant records are in the DLQ), so
 * delivery is at-least-once; a record error under `errors.tolerance=none` stops the sink with the
 * committed offset right before that record.
 */
export class SinkTask {
  private fatal: SinkError | Error | null = null;
  private readonly progress: ProgressMeter;
  private readonly events: SinkEventPublisher;

  constructor(
    private readonly source: RecordSource,
    private readonly keyConverter: Converter,
    private readonly valueConverter: Converter,
    /** A transactional writer (exactly.once.enabled) stores each chunk's offset with its rows. */
    private readonly writer: RecordWriter | TransactionalRecordWriter,
    private readonly dlq: DeadLetterQueue | null,
    private readonly log: Logger,
    private readonly options: SinkTaskOptions,
  ) {
    this.events = options.events ?? UNOBSERVED;
    this.progress = new ProgressMeter(log, options.progressIntervalMs, this.events.instance);
  }

  /** Runs until stopped; rejects with the error that stopped the sink. */
  async run(): Promise<void> {
    this.progress.start();
    try {
      await this.source.run((batch, context) => this.handle(batch, context));
    } finally {
      this.progress.stop();
    }
    if (this.fatal) throw this.fatal;
  }

  /** Stops fetching; the batches in flight get `inFlightGraceMs` to finish and commit, then the group is left. */
  async stop(): Promise<void> {
    await this.source.stop(this.options.inFlightGraceMs);
  }

  private async handle(batch: PartitionBatch, context: BatchContext): Promise<void> {
    if (this.fatal) return;
    try {
      for (let start = 0; start < batch.records.length && !this.fatal; start += this.options.batchSize) {
        // A batch taken back (or given up at shutdown) is not written any further: its next owner writes it.
        context.signal.throwIfAborted();
        const chunk = batch.records.slice(start, start + this.options.batchSize);
        await this.process(chunk, context);
        const lag = BigInt(batch.highWatermark) - BigInt(chunk[chunk.length - 1].offset) - 1n;
        this.events.publish('lag', { topic: batch.topic, partition: batch.partition, lag: lag > 0n ? Number(lag) : 0 });
      }
    } catch (err) {
      // Not a failure of the sink: the source rejoins its group and the batch is consumed again.
      if (err instanceof BatchInterrupted) {
        this.log.info({ topic: batch.topic, partition: batch.partition, reason: err.message }, 'batch given up (group membership lost or shutdown); its offsets are not committed, it is consumed again');
        throw err;
      }
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private async process(chunk: RawRecord[], context: BatchContext): Promise<void> {
    const started = Date.now();
    const converted: SinkRecord[] = [];
    const failures: Failure[] = [];
    for (const raw of chunk) {
      if (this.convertNow(raw, converted, failures)) continue;
      const result = await this.convert(raw, context.signal);
      if ('failure' in result) failures.push(result.failure);
      else converted.push(result.record);
    }
    const writer = this.writer;
    if ('writeWithOffset' in writer) return this.processExactlyOnce(writer, chunk, converted, failures, context, started);
    // Under tolerance=none nothing at or after the first bad record may be committed.
    const firstBad = this.options.tolerance === 'none' && failures.length > 0 ? failures[0] : null;
    const toWrite = firstBad ? converted.filter((r) => BigInt(r.offset) < BigInt(firstBad.raw.offset)) : converted;

    const rejected = await withRetries(
      'writing to Databend',
      this.options.retry,
      () => writer.write(toWrite, { stopAtFirstFailure: this.options.tolerance === 'none' }),
      (attempt, error) => this.writeRetried(attempt, error),
      context.signal,
    );
    if (rejected.length > 0) {
      // Built only when Databend rejected something: a map of every record per chunk was a cost of every write.
      const byOffset = new Map(chunk.map((r) => [r.offset, r]));
      for (const r of rejected) failures.push({ raw: byOffset.get(r.record.offset) as RawRecord, error: r.error.at(r.record), stage: 'TASK_PUT' });
      failures.sort((a, b) => (BigInt(a.raw.offset) < BigInt(b.raw.offset) ? -1 : 1));
    }

    if (this.options.tolerance === 'none' && failures.length > 0) {
      const first = failures[0];
      // Records before the bad one are durable: commit up to it, never past it.
      if (context.stillOwned()) await this.commitUpTo(first.raw, BigInt(first.raw.offset), context.signal);
      throw first.error;
    }
    for (const failure of failures) await this.report(failure, context.signal);

    const last = chunk[chunk.length - 1];
    this.events.publish('batch', { topic: last.topic, partition: last.partition, consumed: chunk.length, written: toWrite.length - rejected.length, failed: failures.length, durationMs: Date.now() - started });
    if (context.stillOwned()) await this.commitUpTo(last, BigInt(last.offset) + 1n, context.signal);
    else this.log.info({ topic: last.topic, partition: last.partition }, 'partition revoked during the batch; offsets not committed, the new owner rewrites it');
    await context.heartbeat();
  }

  /** `process` under exactly-once: the offset moves with the rows in Databend; Kafka's follows. */
  private async processExactlyOnce(writer: TransactionalRecordWriter, chunk: RawRecord[], converted: SinkRecord[], failures: Failure[], context: BatchContext, started: number): Promise<void> {
    const done = await withRetries(
      'writing to Databend',
      this.options.retry,
      () => writeChunkExactlyOnce(writer, chunk, converted, failures, this.options.tolerance, (failure) => this.report(failure, context.signal)),
      (attempt, error) => this.writeRetried(attempt, error),
      context.signal,
    );
    const last = chunk[chunk.length - 1];
    if (this.options.tolerance === 'none' && done.failures.length > 0) {
      if (context.stillOwned()) await this.commitUpTo(last, done.next, context.signal);
      throw done.failures[0].error;
    }
    this.events.publish('batch', { topic: last.topic, partition: last.partition, consumed: chunk.length, written: done.written, failed: done.failures.length, durationMs: Date.now() - started });
    if (context.stillOwned()) await this.commitUpTo(last, done.next, context.signal);
    else this.log.info({ topic: last.topic, partition: last.partition }, 'partition revoked during the batch; its rows and offset are in Databend, the Kafka offset is left to the new owner');
    await context.heartbeat();
  }

  /**
   * The synchronous path (no promise per record): false when a converter needs I/O first (a schema
   * not fetched yet) or threw something other than a record error — then `convert` runs, with retries.
   */
  private convertNow(raw: RawRecord, converted: SinkRecord[], failures: Failure[]): boolean {
    const keyConverter = this.keyConverter;
    const valueConverter = this.valueConverter;
    if (!keyConverter.tryConvert || !valueConverter.tryConvert) return false;
    let stage: ErrorStage = 'KEY_CONVERTER';
    try {
      const key = keyConverter.tryConvert(raw.topic, raw.key);
      if (key === undefined) return false;
      stage = 'VALUE_CONVERTER';
      const value = valueConverter.tryConvert(raw.topic, raw.value);
      if (value === undefined) return false;
      converted.push({ topic: raw.topic, partition: raw.partition, offset: raw.offset, timestamp: raw.timestamp, key, value });
      return true;
    } catch (err) {
      if (!(err instanceof SinkError) || !err.isRecordError) return false;
      failures.push({ raw, error: err.at(raw), stage });
      return true;
    }
  }

  private async convert(raw: RawRecord, signal: AbortSignal): Promise<{ record: SinkRecord } | { failure: Failure }> {
    let stage: ErrorStage = 'KEY_CONVERTER';
    try {
      const convert = (c: Converter, bytes: Buffer | null) =>
        withRetries(
          'reading the schema registry',
          this.options.retry,
          () => c.toConnectData(raw.topic, bytes),
          (attempt, error) => {
            this.retried('reading the schema registry', attempt, error);
            this.log.warn({ attempt, code: error.code, err: error.message }, 'Schema Registry unavailable, retrying');
          },
          signal,
        );
      const key = await convert(this.keyConverter, raw.key);
      stage = 'VALUE_CONVERTER';
      const value = await convert(this.valueConverter, raw.value);
      return { record: { topic: raw.topic, partition: raw.partition, offset: raw.offset, timestamp: raw.timestamp, key, value } };
    } catch (err) {
      if (err instanceof SinkError && err.isRecordError) return { failure: { raw, error: err.at(raw), stage } };
      throw err instanceof SinkError ? err.at(raw) : err;
    }
  }

  private async report(failure: Failure, signal: AbortSignal): Promise<void> {
    const { raw, error, stage } = failure;
    this.events.publish('failure', { code: error.code, message: error.message, fatal: false, topic: raw.topic, partition: raw.partition, offset: raw.offset });
    if (this.options.logErrors || !this.dlq) {
      const entry: Record<string, unknown> = { topic: raw.topic, partition: raw.partition, offset: raw.offset, stage, code: error.code, err: error.message };
      if (this.options.logMessages) {
        entry.key = raw.key?.toString('base64') ?? null;
        entry.value = raw.value?.toString('base64') ?? null;
      }
      this.log.warn(entry, this.dlq ? 'record sent to the dead-letter topic' : 'record skipped (errors.tolerance=all, no dead-letter topic)');
    }
    if (this.dlq) {
      const dlq = this.dlq;
      await withRetries(
        'writing to the dead-letter topic',
        this.options.retry,
        () => dlq.report(raw, error, stage),
        (attempt, retryError) => {
          this.retried('writing to the dead-letter topic', attempt, retryError);
          this.log.warn(
            { attempt, maxRetries: this.options.retry.maxRetries, code: retryError.code, err: retryError.message, topic: raw.topic, partition: raw.partition, offset: raw.offset },
            'dead-letter topic unavailable, retrying',
          );
        },
        signal,
      );
    }
  }

  private async commitUpTo(record: RawRecord, next: bigint, signal: AbortSignal): Promise<void> {
    const offset = next.toString();
    await withRetries(
      'committing offsets',
      this.options.retry,
      () => this.source.commit([{ topic: record.topic, partition: record.partition, offset }]),
      (attempt, error) => {
        this.retried('committing offsets', attempt, error);
        this.log.warn({ attempt, maxRetries: this.options.retry.maxRetries, code: error.code, err: error.message, topic: record.topic, partition: record.partition, offset }, 'offset commit failed, retrying');
      },
      signal,
    );
    this.events.publish('commit', { topic: record.topic, partition: record.partition, offset });
  }

  private retried(what: string, attempt: number, error: SinkError): void {
    this.events.publish('retry', { what, attempt, code: error.code });
  }

  private writeRetried(attempt: number, error: SinkError): void {
    this.retried('writing to Databend', attempt, error);
    this.log.warn({ attempt, maxRetries: this.options.retry.maxRetries, code: error.code, err: error.message }, 'Databend unavailable, retrying');
  }

  private fail(error: Error): void {
    if (this.fatal) return;
    this.fatal = error;
    const code = error instanceof SinkError ? error.code : 'INTERNAL';
    const position = error instanceof SinkError && error.position ? { topic: error.position.topic, partition: error.position.partition, offset: error.position.offset } : {};
    this.events.publish('failure', { code, message: error.message, fatal: true, ...position });
    this.log.error({ code, err: error.message }, 'sink stopping');
    void this.source.stop(this.options.inFlightGraceMs);
  }
}
