/**
 * The writer the plugin's Java task drives (connect-entry.ts `createWriter`): one hand-off text per
 * `put` in (record-handoff.ts), the records refused and — under `exactly.once.enabled` — the
 * offsets Databend now holds out, as JSON.
 *
 * Under exactly-once every partition of the batch is written as the standalone sink writes a chunk
 * (task/exactly-once-chunk.ts through databend/write/exactly-once-writer.ts): its rows and its
 * offset in one Databend transaction, records below the stored offset left out, a stale writer's
 * COMMIT refused. Refused records go to Connect's ErrantRecordReporter inside that transaction,
 * before COMMIT (the Java host's `report` waits for the reporter's future): an offset never moves
 * in Databend past a refused record that is not with the reporter.
 */
import { encodeCsv } from '../dialect/encode-rows';
import type { DatabendWriter } from '../databend/write/databend-writer';
import type { ExactlyOnceWriter } from '../databend/write/exactly-once-writer';
import { SinkError } from '../errors';
import type { ErrorStage } from '../ports/dead-letter-queue';
import type { SinkRecord } from '../record/sink-record';
import { type Failure, type RecordRef, writeChunkExactlyOnce } from '../task/exactly-once-chunk';
import { RecordHandoff } from './record-handoff';
import { RowPrograms } from './row-programs';

/** A refused record as the Java task reports it to Connect's ErrantRecordReporter (or stops on it). */
interface Refusal {
  index: number;
  stage: ErrorStage;
  code: string;
  message: string;
}

/** A partition's offset as Databend holds it: the next record to write. */
export interface StoredOffset {
  topic: string;
  partition: number;
  next: string;
}

/**
 * What `write` answers: the refused records by index (under exactly-once and errors.tolerance=all
 * already handed to the reporter, inside the transaction), and under exactly-once each written
 * partition's offset in Databend.
 */
export interface WriteAnswer {
  refused: Refusal[];
  stored: StoredOffset[];
}

/** The Java task's reporter (exported host object): '' once Connect's ErrantRecordReporter took the record, else why not. */
export interface ConnectReporter {
  report(index: number, message: string): string;
}

/** Where a settled promise's outcome goes (host objects cannot await). */
export interface Settled {
  done(result: string): void;
  failed(error: string): void;
}

/** A record of the batch by its position in the hand-off text. */
type BatchRef = RecordRef & { index: number };

export class ConnectWriter {
  private readonly programs: RowPrograms;
  private readonly handoff: RecordHandoff;

  constructor(
    private readonly writer: DatabendWriter,
    /** `exactly.once.enabled`: the transactional writer over the same DatabendWriter; null: at-least-once. */
    private readonly exactlyOnce: ExactlyOnceWriter | null = null,
  ) {
    this.programs = new RowPrograms((key, value) => writer.shapeFor(key, value));
    this.handoff = new RecordHandoff(this.programs);
  }

  /** The row program for records with these Connect schemas (row-programs.ts), JSON or `null`. */
  rowProgram(keySchemaText: string, valueSchemaText: string): string {
    return this.programs.define(keySchemaText, valueSchemaText);
  }

  resetRowPrograms(): void {
    this.programs.reset();
  }

  /**
   * A batch planned and encoded without Databend: per operation its kind, table and the CSV it would
   * load (or its delete keys), and the records refused, by index. The plugin's tests hold the rows
   * the Java side encodes to the script's own encoding with it (RowProgramTest).
   */
  plannedCsv(batch: string): string {
    const { records, indexes, failures } = this.handoff.read(batch);
    const plan = this.writer.plan(records);
    const indexOf = new Map(records.map((r, i) => [r, indexes[i]]));
    return JSON.stringify({
      operations: plan.operations.map((op) => (op.kind === 'delete' ? { kind: op.kind, table: op.table, keys: op.keys } : { kind: op.kind, table: op.table, form: op.form, csv: op.form === 'csv' ? encodeCsv(op.rows) : op.rows })),
      refused: [...failures.map((f) => ({ index: f.index, message: f.error.message })), ...plan.failed.map((f) => ({ index: indexOf.get(f.record), message: f.error.message }))].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)),
      superseded: plan.superseded.map((r) => indexOf.get(r)),
    });
  }

  /** `write`, its outcome (a `WriteAnswer`, or `{code, message, retriable}`) handed to the Java task's `settled`. */
  writeNow(batch: string, stopAtFirstFailure: boolean, reporter: ConnectReporter, settled: Settled): void {
    settle(this.write(batch, stopAtFirstFailure, reporter), settled);
  }

  /** `storedOffsets`, handed to `settled` (JSON `StoredOffset[]`). */
  storedOffsetsNow(partitionsJson: string, settled: Settled): void {
    settle(this.storedOffsets(JSON.parse(partitionsJson) as { topic: string; partition: number }[]), settled);
  }

  /**
   * The offsets Databend holds for partitions that just opened (exactly-once only; none without):
   * the task seeks there, as Kafka's committed offset may lag behind them.
   */
  async storedOffsets(partitions: { topic: string; partition: number }[]): Promise<string> {
    try {
      return JSON.stringify(this.exactlyOnce ? await this.exactlyOnce.storedOffsets(partitions) : []);
    } catch (err) {
      throw failure(err);
    }
  }

  /**
   * Writes one hand-off batch; resolves with a `WriteAnswer` (JSON) or rejects with
   * `{code, message, retriable}` (JSON) when the task must retry the batch or stop.
   */
  async write(batch: string, stopAtFirstFailure: boolean, reporter: ConnectReporter): Promise<string> {
    let answer: WriteAnswer;
    try {
      answer = this.exactlyOnce ? await this.writeExactlyOnce(this.exactlyOnce, batch, stopAtFirstFailure, reporter) : await this.writeAtLeastOnce(batch, stopAtFirstFailure);
    } catch (err) {
      throw failure(err);
    }
    answer.refused.sort((a, b) => a.index - b.index);
    return JSON.stringify(answer);
  }

  /** The refused records are the Java task's to report after the write; it commits offsets only once they are. */
  private async writeAtLeastOnce(batch: string, stopAtFirstFailure: boolean): Promise<WriteAnswer> {
    const refused: Refusal[] = [];
    const { records, indexes, failures } = this.handoff.read(batch);
    for (const f of failures) refused.push({ index: f.index, stage: f.stage, code: f.error.code, message: f.error.message });
    // Records keep the batch's order, so those before the first refused one are a prefix; the
    // index of a record the writer refused is looked up only when there is one (a per-record
    // callback is a cost of its own in the interpreter).
    const cut = stopAtFirstFailure && failures.length > 0 ? indexes.findIndex((i) => i >= failures[0].index) : -1;
    const toWrite = cut < 0 ? records : records.slice(0, cut);
    const writeFailures = await this.writer.write(toWrite, { stopAtFirstFailure });
    if (writeFailures.length > 0) {
      const indexOf = new Map(toWrite.map((r, i) => [r, indexes[i]]));
      for (const { record, error } of writeFailures) refused.push({ index: indexOf.get(record) as number, stage: 'TASK_PUT', code: error.code, message: error.at(record).message });
    }
    return { refused, stored: [] };
  }

  /**
   * Each partition of the batch in a transaction of its own, as the standalone sink writes a chunk.
   * Under stopAtFirstFailure the partitions after the first that stopped at a refused record are
   * not written (the task stops; the next owner starts from the offsets in Databend).
   */
  private async writeExactlyOnce(writer: ExactlyOnceWriter, batch: string, stopAtFirstFailure: boolean, reporter: ConnectReporter): Promise<WriteAnswer> {
    const { records, indexes, failures } = this.handoff.read(batch);
    const partitions = new Map<string, { chunk: BatchRef[]; converted: SinkRecord[]; failed: Failure<BatchRef>[] }>();
    const of = (topic: string, partition: number) => {
      const key = `${topic}\u0000${partition}`;
      let p = partitions.get(key);
      if (!p) partitions.set(key, (p = { chunk: [], converted: [], failed: [] }));
      return p;
    };
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      const p = of(r.topic, r.partition);
      p.chunk.push({ topic: r.topic, partition: r.partition, offset: r.offset, index: indexes[i] });
      p.converted.push(r);
    }
    for (const f of failures) {
      const ref: BatchRef = { topic: f.topic, partition: f.partition, offset: f.offset, index: f.index };
      const p = of(f.topic, f.partition);
      p.chunk.push(ref);
      p.failed.push({ raw: ref, error: f.error, stage: f.stage });
    }
    const report = (f: Failure<BatchRef>): Promise<void> => {
      const problem = reporter.report(f.raw.index, `${f.error.code}: ${f.error.message}`);
      // Retriable: the transaction is rolled back, its offset unmoved; the task retries the batch.
      if (problem !== '') return Promise.reject(new SinkError('KAFKA_UNAVAILABLE', `Connect's ErrantRecordReporter did not take ${f.raw.topic}/${f.raw.partition}@${f.raw.offset}: ${problem}`));
      return Promise.resolve();
    };
    const answer: WriteAnswer = { refused: [], stored: [] };
    for (const p of partitions.values()) {
      // Connect hands a partition's records over in offset order: the batch's order is theirs.
      p.chunk.sort((a, b) => a.index - b.index);
      p.failed.sort((a, b) => a.raw.index - b.raw.index);
      const done = await writeChunkExactlyOnce(writer, p.chunk, p.converted, p.failed, stopAtFirstFailure ? 'none' : 'all', report);
      const { topic, partition } = p.chunk[0];
      answer.stored.push({ topic, partition, next: done.next.toString() });
      for (const f of done.failures) answer.refused.push({ index: f.raw.index, stage: f.stage, code: f.error.code, message: f.error.message });
      if (stopAtFirstFailure && done.failures.length > 0) break;
    }
    return answer;
  }
}

/** A promise's outcome to the Java task's `Settled`; the session answers synchronously, so it lands within the call. */
function settle(work: Promise<string>, settled: Settled): void {
  work.then(
    (result) => settled.done(result),
    (err: unknown) => settled.failed(err instanceof Error ? err.message : String(err)),
  );
}

/** What the task is told when a call fails: `{code, message, retriable}` as JSON (the message of an Error). */
function failure(err: unknown): Error {
  const e = err instanceof SinkError ? err : new SinkError('INTERNAL', err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  return new Error(JSON.stringify({ code: e.code, message: e.message, retriable: e.isRetriable }), { cause: err });
}
