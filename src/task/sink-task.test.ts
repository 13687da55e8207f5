import pino from 'pino';
import { SinkError } from '../errors';
import type { DeadLetterQueue, ErrorStage } from '../ports/dead-letter-queue';
import type { BatchContext, PartitionBatch, RawRecord, RecordSource, TopicPartitionOffset } from '../ports/record-source';
import type { SchemaAndValue } from '../record/schema';
import type { SinkRecord } from '../record/sink-record';
import type { RecordWriter } from '../ports/record-writer';
import { SinkTask, SinkTaskOptions } from './sink-task';

/** Delivers fixed batches once, records commits. */
class FakeSource implements RecordSource {
  commits: TopicPartitionOffset[] = [];
  stopped = false;
  owned = true;
  constructor(private readonly batches: PartitionBatch[]) {}
  async run(handler: (b: PartitionBatch, c: BatchContext) => Promise<void>): Promise<void> {
    for (const b of this.batches) {
      if (this.stopped) break;
      await handler(b, { stillOwned: () => this.owned && !this.stopped, heartbeat: async () => undefined, signal: new AbortController().signal });
    }
  }
  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    this.commits.push(...offsets);
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

const stringSchema = { type: 'STRING', optional: true } as const;
/** Value "bad" does not decode; anything else becomes a string value. */
const converter = {
  async toConnectData(_topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null> {
    if (bytes === null) return null;
    if (bytes.toString() === 'bad') throw new SinkError('RECORD_UNDECODABLE', 'unknown magic byte');
    return { schema: stringSchema, value: bytes.toString() };
  },
};

class FakeWriter implements RecordWriter {
  written: string[] = [];
  failuresLeft = 0;
  async write(records: SinkRecord[]) {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new SinkError('DATABEND_UNAVAILABLE', 'connection refused');
    }
    const rejected = records.filter((r) => r.value?.value === 'reject');
    this.written.push(...records.filter((r) => !rejected.includes(r)).map((r) => r.offset));
    return rejected.map((record) => ({ record, error: new SinkError('ROW_REJECTED', 'value out of range') }));
  }
}

class FakeDlq implements DeadLetterQueue {
  reports: { offset: string; code: string; stage: ErrorStage }[] = [];
  async report(record: RawRecord, error: SinkError, stage: ErrorStage) {
    this.reports.push({ offset: record.offset, code: error.code, stage });
  }
  async close() {}
}

function batch(values: string[], first = 0): PartitionBatch {
  return {
    topic: 't',
    partition: 0,
    highWatermark: String(first + values.length),
    records: values.map((v, i) => ({ topic: 't', partition: 0, offset: String(first + i), timestamp: '0', key: null, value: Buffer.from(v), headers: [] })),
  };
}

const options = (o: Partial<SinkTaskOptions> = {}): SinkTaskOptions => ({
  batchSize: 100,
  tolerance: 'none',
  logErrors: true,
  logMessages: false,
  retry: { maxRetries: 2, backoffMs: 1 },
  progressIntervalMs: 0,
  inFlightGraceMs: 1000,
  ...o,
});
const silent = pino({ level: 'silent' });

describe('SinkTask', () => {
  it('writes every record, then commits the next offset per chunk of batch.size', async () => {
    const source = new FakeSource([batch(['a', 'b', 'c', 'd', 'e'])]);
    const writer = new FakeWriter();
    await new SinkTask(source, converter, converter, writer, null, silent, options({ batchSize: 2 })).run();
    expect(writer.written).toEqual(['0', '1', '2', '3', '4']);
    expect(source.commits.map((c) => c.offset)).toEqual(['2', '4', '5']);
  });

  it('tolerance=none: an undecodable record stops the sink, records before it are written and committed, nothing past it', async () => {
    const source = new FakeSource([batch(['a', 'b', 'bad', 'd']), batch(['e'], 4)]);
    const writer = new FakeWriter();
    const run = new SinkTask(source, converter, converter, writer, null, silent, options()).run();
    await expect(run).rejects.toThrow('unknown magic byte (topic t, partition 0, offset 2)');
    expect(writer.written).toEqual(['0', '1']);
    expect(source.commits).toEqual([{ topic: 't', partition: 0, offset: '2' }]);
  });

  it('tolerance=none: a row Databend rejects stops the sink without committing past it', async () => {
    const source = new FakeSource([batch(['a', 'reject', 'c'])]);
    const run = new SinkTask(source, converter, converter, new FakeWriter(), null, silent, options()).run();
    await expect(run).rejects.toMatchObject({ code: 'ROW_REJECTED', position: { offset: '1' } });
    expect(source.commits.map((c) => c.offset)).toEqual(['1']);
  });

  it('tolerance=all: bad records go to the DLQ with their stage, the rest is written once and all is committed', async () => {
    const source = new FakeSource([batch(['a', 'bad', 'reject', 'd'])]);
    const writer = new FakeWriter();
    const dlq = new FakeDlq();
    await new SinkTask(source, converter, converter, writer, dlq, silent, options({ tolerance: 'all' })).run();
    expect(writer.written).toEqual(['0', '3']);
    expect(dlq.reports).toEqual([
      { offset: '1', code: 'RECORD_UNDECODABLE', stage: 'VALUE_CONVERTER' },
      { offset: '2', code: 'ROW_REJECTED', stage: 'TASK_PUT' },
    ]);
    expect(source.commits.map((c) => c.offset)).toEqual(['4']);
  });

  it('retries an unavailable Databend, then succeeds without losing or doubling records', async () => {
    const source = new FakeSource([batch(['a', 'b'])]);
    const writer = new FakeWriter();
    writer.failuresLeft = 2;
    await new SinkTask(source, converter, converter, writer, null, silent, options()).run();
    expect(writer.written).toEqual(['0', '1']);
    expect(source.commits.map((c) => c.offset)).toEqual(['2']);
  });

  it('stops after max.retries without committing', async () => {
    const source = new FakeSource([batch(['a'])]);
    const writer = new FakeWriter();
    writer.failuresLeft = 10;
    await expect(new SinkTask(source, converter, converter, writer, null, silent, options()).run()).rejects.toThrow(
      'writing to Databend failed after 2 retries: connection refused',
    );
    expect(source.commits).toEqual([]);
  });

  it('does not commit a batch whose partition was revoked meanwhile', async () => {
    const source = new FakeSource([batch(['a'])]);
    source.owned = false;
    const writer = new FakeWriter();
    await new SinkTask(source, converter, converter, writer, null, silent, options()).run();
    expect(writer.written).toEqual(['0']);
    expect(source.commits).toEqual([]);
  });
});
