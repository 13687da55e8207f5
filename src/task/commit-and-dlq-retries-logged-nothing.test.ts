import { Writable } from 'node:stream';
import pino from 'pino';
import { SinkError } from '../errors';
import type { DeadLetterQueue } from '../ports/dead-letter-queue';
import type { BatchContext, PartitionBatch, RawRecord, RecordSource, TopicPartitionOffset } from '../ports/record-source';
import type { SchemaAndValue } from '../record/schema';
import type { SinkRecord } from '../record/sink-record';
import type { RecordWriter } from '../ports/record-writer';
import { SinkTask } from './sink-task';

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
