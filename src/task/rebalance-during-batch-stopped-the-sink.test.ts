import pino from 'pino';
import { BatchInterrupted, type BatchContext, type PartitionBatch, type RecordSource, type TopicPartitionOffset } from '../ports/record-source';
import type { SchemaAndValue } from '../record/schema';
import type { SinkRecord } from '../record/sink-record';
import { SinkTask } from './sink-task';

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

const converter = {
  async toConnectData(_topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null> {
    return bytes === null ? null : { schema: { type: 'STRING', optional: true }, value: bytes.toString() };
  },
};

function batch(first: number, count: number): PartitionBatch {
  return {
    topic: 't',
    partition: 0,
    highWatermark: String(first + count),
    records: Array.from({ length: count }, (_, i) => ({ topic: 't', partition: 0, offset: String(first + i), timestamp: '0', key: null, value: Buffer.from('v'), headers: [] })),
  };
}

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
