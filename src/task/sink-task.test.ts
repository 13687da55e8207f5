import pino from 'pino';
import { SinkError } from '../errors';
import type { DeadLetterQueue, ErrorStage } from '../ports/dead-letter-queue';
import type { BatchContext, PartitionBatch, RawRecord, RecordSource, TopicPartitionOffset } from '../ports/record-source';
import type { SchemaAndValue } from '../record/schema';
import type { SinkRecord } from '../record/sink-record';
import type { RecordWriter } from '../ports/record-writer';
import { SinkTask, SinkTaskOptions } from './sink-task';
import { Writable } from 'node:stream';
import { BatchInterrupted } from '../ports/record-source';
import { stringBatch, stringConverter } from '../../test-support/task-input';

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

const batch = stringBatch;
const converter = stringConverter;

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

describe('regression: commit and dead-letter retries logged nothing', () => {
/**
 * Regression: retries of offset commits and dead-letter writes were silent (`() => undefined`), so an
 * unavailable broker showed nothing in the log until the sink gave up. Each retry is now a warn line
 * with the attempt number and the record's position, never record content.
 */
const SECRET_CONTENT = 'customer-card-4111';

class FlakySource implements RecordSource {
  commitFailures = 2;
  commits: TopicPartitionOffset[] = [];
  async run(handler: (b: PartitionBatch, c: BatchContext) => Promise<void>): Promise<void> {
    const records: RawRecord[] = ['bad', 'ok'].map((v, i) => ({ topic: 't', partition: 0, offset: String(i), timestamp: '0', key: null, value: Buffer.from(`${v}:${SECRET_CONTENT}`), headers: [] }));
    await handler({ topic: 't', partition: 0, highWatermark: '2', records }, { stillOwned: () => true, heartbeat: async () => undefined, signal: new AbortController().signal });
  }
  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    if (this.commitFailures-- > 0) throw new SinkError('KAFKA_UNAVAILABLE', 'committing offsets: broker not available');
    this.commits.push(...offsets);
  }
  async stop(): Promise<void> {}
}

class FlakyDlq implements DeadLetterQueue {
  failures = 1;
  reported: string[] = [];
  async report(record: RawRecord): Promise<void> {
    if (this.failures-- > 0) throw new SinkError('KAFKA_UNAVAILABLE', 'writing to the dead-letter topic dlq failed: broker not available');
    this.reported.push(record.offset);
  }
  async close(): Promise<void> {}
}

const converter = {
  async toConnectData(_topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null> {
    if (bytes === null) return null;
    if (bytes.toString().startsWith('bad')) throw new SinkError('RECORD_UNDECODABLE', 'unknown magic byte');
    return { schema: { type: 'STRING', optional: true }, value: bytes.toString() };
  },
};
const writer: RecordWriter = { write: async (_records: SinkRecord[]) => [] };

test('a retried offset commit and a retried dead-letter write each log a warning with the attempt', async () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const source = new FlakySource();
  const dlq = new FlakyDlq();
  const options = { batchSize: 100, tolerance: 'all' as const, logErrors: false, logMessages: false, retry: { maxRetries: 3, backoffMs: 1 }, progressIntervalMs: 0, inFlightGraceMs: 1000 };
  await new SinkTask(source, converter, converter, writer, dlq, pino({ level: 'info' }, sink), options).run();

  expect(dlq.reported).toEqual(['0']);
  expect(source.commits).toEqual([{ topic: 't', partition: 0, offset: '2' }]);
  const warnings = lines.filter((l) => l.level === 40).map(({ msg, attempt, maxRetries, code, topic, partition, offset }) => ({ msg, attempt, maxRetries, code, topic, partition, offset }));
  expect(warnings).toEqual([
    { msg: 'dead-letter topic unavailable, retrying', attempt: 1, maxRetries: 3, code: 'KAFKA_UNAVAILABLE', topic: 't', partition: 0, offset: '0' },
    { msg: 'offset commit failed, retrying', attempt: 1, maxRetries: 3, code: 'KAFKA_UNAVAILABLE', topic: 't', partition: 0, offset: '2' },
    { msg: 'offset commit failed, retrying', attempt: 2, maxRetries: 3, code: 'KAFKA_UNAVAILABLE', topic: 't', partition: 0, offset: '2' },
  ]);
  expect(JSON.stringify(lines)).not.toContain(SECRET_CONTENT);
});
});

describe('regression: a rebalance during a batch stopped the sink', () => {
/**
 * Bug: when a second sink joined the group, the first one's heartbeat (or commit) during a batch
 * failed with kafkajs' "The group is rebalancing, so a rejoin is needed", and the sink stopped as
 * if that were a fatal error. A rebalance interrupts the batch instead: nothing is committed, the
 * error goes back to the source (which rejoins), and the batch is consumed again.
 */
const rebalancing = () => new BatchInterrupted('The group is rebalancing, so a rejoin is needed', { cause: new Error('REBALANCE_IN_PROGRESS') });

/** Hands each batch to the handler; an interrupted one is handed again, as kafkajs does after rejoining. */
class RebalancingSource implements RecordSource {
  commits: string[] = [];
  interruptions = 0;
  constructor(
    private readonly batches: PartitionBatch[],
    private heartbeatFailures: number,
    private commitFailures: number,
  ) {}
  async run(handler: (b: PartitionBatch, c: BatchContext) => Promise<void>): Promise<void> {
    for (const b of this.batches) {
      for (;;) {
        try {
          await handler(b, {
            stillOwned: () => true,
            heartbeat: async () => {
              if (this.heartbeatFailures-- > 0) throw rebalancing();
            },
            signal: new AbortController().signal,
          });
          break;
        } catch (err) {
          if (!(err instanceof BatchInterrupted)) throw err;
          this.interruptions++;
        }
      }
    }
  }
  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    if (this.commitFailures-- > 0) throw rebalancing();
    this.commits.push(...offsets.map((o) => o.offset));
  }
  async stop(): Promise<void> {}
}

const converter = stringConverter;
const batch = (first: number, count: number): PartitionBatch => stringBatch(Array<string>(count).fill('v'), first);

async function runThrough(source: RebalancingSource): Promise<string[]> {
  const written: string[] = [];
  const writer = { write: async (records: SinkRecord[]) => (written.push(...records.map((r) => r.offset)), []) };
  const options = { batchSize: 100, tolerance: 'none' as const, logErrors: true, logMessages: false, retry: { maxRetries: 2, backoffMs: 1 }, progressIntervalMs: 0, inFlightGraceMs: 1000 };
  await new SinkTask(source, converter, converter, writer, null, pino({ level: 'silent' }), options).run();
  return written;
}

describe('a rebalance during a batch', () => {
  it('failing the heartbeat: the sink keeps running and the batch is consumed again', async () => {
    const source = new RebalancingSource([batch(0, 2), batch(2, 1)], 1, 0);
    expect(await runThrough(source)).toEqual(['0', '1', '0', '1', '2']);
    expect(source.interruptions).toBe(1);
    expect(source.commits).toEqual(['2', '2', '3']);
  });

  it('failing the commit: nothing is retried against the old generation, the batch is consumed again', async () => {
    const source = new RebalancingSource([batch(0, 2)], 0, 1);
    expect(await runThrough(source)).toEqual(['0', '1', '0', '1']);
    expect(source.interruptions).toBe(1);
    expect(source.commits).toEqual(['2']);
  });
});
});
