import type { SinkError } from '../errors';
import type { ErrorStage } from '../ports/dead-letter-queue';
import type { RawRecord } from '../ports/record-source';
import type { RecordFailure, TransactionalRecordWriter } from '../ports/record-writer';
import type { SinkRecord } from '../record/sink-record';

/** Where a record of a chunk is: all the chunk's write needs of the consumed record. */
export type RecordRef = Pick<RawRecord, 'topic' | 'partition' | 'offset'>;

/**
 * A record that failed in the task, with the stage it failed in; `raw` is the consumed record (the
 * standalone sink's RawRecord, the Kafka Connect plugin's reference to its batch position).
 */
export interface Failure<R extends RecordRef = RawRecord> {
  raw: R;
  error: SinkError;
  stage: ErrorStage;
}

/** What an exactly-once write of a chunk leaves the task to do. */
export interface ChunkWritten<R extends RecordRef = RawRecord> {
  /** The partition's offset now stored in Databend: what Kafka's committed offset follows. */
  next: bigint;
  /** Records written by this commit. */
  written: number;
  /** The chunk's failed records that this commit handled (none below the offset stored before it), in offset order. */
  failures: Failure<R>[];
}

/**
 * The write step of a chunk under `exactly.once.enabled`: its records and its partition's offset in
 * one transaction (ports/record-writer.ts `TransactionalRecordWriter`). Records below the offset
 * Databend already holds were handled before and are neither written nor reported again. Under
 * `errors.tolerance=all` the failed records are reported (dead-letter topic, or the log) inside the
 * transaction, before COMMIT: a crash after the commit cannot lose them; a retried transaction
 * reports them again (the dead-letter topic is at-least-once). Under `none` the offset stops at the
 * first failed record and the caller stops the sink with it.
 */
export async function writeChunkExactlyOnce<R extends RecordRef>(
  writer: TransactionalRecordWriter,
  chunk: readonly R[],
  converted: SinkRecord[],
  conversionFailures: readonly Failure<R>[],
  tolerance: 'none' | 'all',
  report: (failure: Failure<R>) => Promise<void>,
): Promise<ChunkWritten<R>> {
  const last = chunk[chunk.length - 1];
  let byOffset: Map<string, R> | null = null;
  const failuresFrom = (from: string, failed: RecordFailure[]): Failure<R>[] => {
    // Built only when Databend or the planner refused something.
    if (failed.length > 0) byOffset ??= new Map(chunk.map((r) => [r.offset, r]));
    const all = [...conversionFailures, ...failed.map((f) => ({ raw: (byOffset as Map<string, R>).get(f.record.offset) as R, error: f.error.at(f.record), stage: 'TASK_PUT' as const }))];
    return all.filter((f) => BigInt(f.raw.offset) >= BigInt(from)).sort((a, b) => (BigInt(a.raw.offset) < BigInt(b.raw.offset) ? -1 : 1));
  };
  // Under tolerance=none the chunk ends before its first failed record — the first at or after the
  // stored offset, which the writer tells: a failure below it was handled by an earlier commit.
  for (let floor = -1n; ; ) {
    const firstBad = tolerance === 'none' ? (conversionFailures.find((f) => BigInt(f.raw.offset) >= floor) ?? null) : null;
    const toWrite = firstBad ? converted.filter((r) => BigInt(r.offset) < BigInt(firstBad.raw.offset)) : converted;
    const result = await writer.writeWithOffset(
      toWrite,
      {
        topic: last.topic,
        partition: last.partition,
        next: firstBad ? firstBad.raw.offset : (BigInt(last.offset) + 1n).toString(),
        beforeCommit: async (from, failed) => {
          if (tolerance !== 'all') return;
          for (const failure of failuresFrom(from, failed)) await report(failure);
        },
      },
      { stopAtFirstFailure: tolerance === 'none' },
    );
    const from = BigInt(result.from);
    if (firstBad && from > BigInt(firstBad.raw.offset)) {
      floor = from;
      continue;
    }
    const next = BigInt(result.next);
    const failures = failuresFrom(result.from, result.failed);
    const failed = new Set(failures.map((f) => f.raw.offset));
    const written = toWrite.filter((r) => BigInt(r.offset) >= from && BigInt(r.offset) < next && !failed.has(r.offset)).length;
    return { next, written, failures };
  }
}
