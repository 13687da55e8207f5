import pino from 'pino';
import { SinkError } from '../errors';
import type { DeadLetterQueue, ErrorStage } from '../ports/dead-letter-queue';
import type { BatchContext, PartitionBatch, RawRecord, RecordSource, TopicPartitionOffset } from '../ports/record-source';
import type { OffsetCommit, OffsetWrite, RecordFailure, TransactionalRecordWriter, WriteOptions } from '../ports/record-writer';
import type { SinkRecord } from '../record/sink-record';
import { SinkTask, type SinkTaskOptions } from './sink-task';
import { stringBatch, stringConverter } from '../../test-support/task-input';

/**
 * The consumer loop over a transactional writer (exactly.once.enabled): what it asks the writer to
 * store, what it reports, what it commits to Kafka. The writer fake keeps the partition's offset as
 * Databend would: in the same step as the rows, and never moving backwards.
 */
class OffsetStore implements TransactionalRecordWriter {
  stored = -1n;
  written: string[] = [];
  asked: string[] = [];
  events: string[] = [];
  async writeWithOffset(records: SinkRecord[], offset: OffsetCommit, options: WriteOptions = {}): Promise<OffsetWrite> {
    this.asked.push(offset.next);
    const from = this.stored;
    if (from >= BigInt(offset.next)) return { from: String(from), next: String(from), failed: [] };
    let rows = records.filter((r) => BigInt(r.offset) >= from);
    let next = BigInt(offset.next);
    const failed: RecordFailure[] = rows.filter((r) => r.value?.value === 'reject').map((record) => ({ record, error: new SinkError('ROW_REJECTED', 'value out of range') }));
    if (options.stopAtFirstFailure && failed.length > 0) {
      next = BigInt(failed[0].record.offset);
      failed.splice(1);
    }
    rows = rows.filter((r) => BigInt(r.offset) < next && !failed.some((f) => f.record === r));
    await offset.beforeCommit(String(from), failed);
    this.events.push(`commit ${next}`);
    this.written.push(...rows.map((r) => r.offset));
    this.stored = next;
    return { from: String(from), next: String(next), failed };
  }
}

class Source implements RecordSource {
  commits: TopicPartitionOffset[] = [];
  constructor(
    private readonly batches: PartitionBatch[],
    private readonly events: string[] = [],
  ) {}
  async run(handler: (b: PartitionBatch, c: BatchContext) => Promise<void>): Promise<void> {
    for (const b of this.batches) await handler(b, { stillOwned: () => true, heartbeat: async () => undefined, signal: new AbortController().signal });
  }
  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    this.events.push(...offsets.map((o) => `kafka ${o.offset}`));
    this.commits.push(...offsets);
  }
  async stop(): Promise<void> {}
}

class Dlq implements DeadLetterQueue {
  constructor(private readonly events: string[]) {}
  async report(record: RawRecord, error: SinkError, stage: ErrorStage) {
    this.events.push(`dlq ${record.offset} ${error.code} ${stage}`);
  }
  async close() {}
}

const batch = stringBatch;
const converter = stringConverter;

const options = (o: Partial<SinkTaskOptions> = {}): SinkTaskOptions => ({
  batchSize: 100,
  tolerance: 'all',
  logErrors: false,
  logMessages: false,
  retry: { maxRetries: 1, backoffMs: 1 },
  progressIntervalMs: 0,
  inFlightGraceMs: 1000,
  ...o,
});
const silent = pino({ level: 'silent' });

describe('SinkTask under exactly-once', () => {
  it('records below the offset Databend holds are neither written nor dead-lettered again; Kafka commits what Databend stored', async () => {
    const writer = new OffsetStore();
    writer.stored = 2n;
    const events = writer.events;
    const source = new Source([batch(['a', 'bad', 'c', 'bad', 'e'])], events);
    await new SinkTask(source, converter, converter, writer, new Dlq(events), silent, options()).run();
    expect(writer.written).toEqual(['2', '4']);
    expect(events).toEqual(['dlq 3 RECORD_UNDECODABLE VALUE_CONVERTER', 'commit 5', 'kafka 5']);
  });

  it('tolerance=all: dead-letter records are sent inside the transaction, before the COMMIT that moves the offset past them', async () => {
    const writer = new OffsetStore();
    const events = writer.events;
    const source = new Source([batch(['a', 'reject', 'bad', 'd'])], events);
    await new SinkTask(source, converter, converter, writer, new Dlq(events), silent, options()).run();
    expect(writer.written).toEqual(['0', '3']);
    expect(events).toEqual(['dlq 1 ROW_REJECTED TASK_PUT', 'dlq 2 RECORD_UNDECODABLE VALUE_CONVERTER', 'commit 4', 'kafka 4']);
  });

  it('tolerance=none: the offset stored with the rows stops at the first bad record, Kafka follows, the sink stops with it', async () => {
    const writer = new OffsetStore();
    const source = new Source([batch(['a', 'b', 'bad', 'd'])]);
    await expect(new SinkTask(source, converter, converter, writer, null, silent, options({ tolerance: 'none' })).run()).rejects.toMatchObject({ code: 'RECORD_UNDECODABLE', position: { offset: '2' } });
    expect(writer.asked).toEqual(['2']);
    expect(writer.written).toEqual(['0', '1']);
    expect(source.commits.map((c) => c.offset)).toEqual(['2']);
  });

  it('tolerance=none: a row Databend rejects ends the committed rows right before it', async () => {
    const writer = new OffsetStore();
    const source = new Source([batch(['a', 'reject', 'c'])]);
    await expect(new SinkTask(source, converter, converter, writer, null, silent, options({ tolerance: 'none' })).run()).rejects.toMatchObject({ code: 'ROW_REJECTED', position: { offset: '1' } });
    expect(writer.written).toEqual(['0']);
    expect(source.commits.map((c) => c.offset)).toEqual(['1']);
  });

  it('a batch consumed again after a crash (Kafka behind Databend) writes nothing and moves Kafka up to Databend', async () => {
    const writer = new OffsetStore();
    writer.stored = 10n;
    const source = new Source([batch(['a', 'b', 'c'], 5)]);
    await new SinkTask(source, converter, converter, writer, null, silent, options()).run();
    expect(writer.written).toEqual([]);
    expect(source.commits.map((c) => c.offset)).toEqual(['10']);
  });

  it('a failed record below the stored offset (handled by the member that wrote it) neither stops the sink under tolerance=none nor cuts the chunk', async () => {
    const writer = new OffsetStore();
    writer.stored = 2n;
    const source = new Source([batch(['a', 'bad', 'c'])]);
    await new SinkTask(source, converter, converter, writer, null, silent, options({ tolerance: 'none' })).run();
    // First asked to stop at the bad record (1), then, told the offset is past it, the whole chunk.
    expect(writer.asked).toEqual(['1', '3']);
    expect(writer.written).toEqual(['2']);
    expect(source.commits.map((c) => c.offset)).toEqual(['3']);
  });
});
