import type { Consumer, ConsumerRunConfig, EachBatchPayload, KafkaJSProtocolError } from 'kafkajs';
import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { isRebalancing } from 'kafkajs/src/errors';
import { createErrorFromCode } from 'kafkajs/src/protocol/error';
import createRetry from 'kafkajs/src/retry';
import pino from 'pino';
import { SinkError } from '../errors';
import type { SchemaAndValue } from '../record/schema';
import type { SinkRecord } from '../record/sink-record';
import { SinkTask } from '../task/sink-task';
import { KafkajsRecordSource, rejoinCause } from './kafkajs-record-source';

/**
 * Bug: a batch slower than session.timeout.ms (Databend paused 45 s) cost the sink its group
 * membership; the commit then failed with UNKNOWN_MEMBER_ID, and `needsRejoin` read `err.type`
 * of what kafkajs threw — a KafkaJSNonRetriableError, whose `type` is undefined, with the broker's
 * error in `cause` — so the commit was retried 10 times and the sink exited 4. The old test threw a
 * hand-made BatchInterrupted from a fake source, so the real shape was never seen.
 *
 * Here the errors are kafkajs's own: the broker's error from its protocol table, wrapped by its own
 * retrier exactly as `consumer.commitOffsets` wraps it; only the network is faked (the consumer).
 */
const UNKNOWN_MEMBER_ID = 25;
const REBALANCE_IN_PROGRESS = 27;
const NOT_COORDINATOR = 16;

/** What `consumer.commitOffsets` rejects with when the broker answers `code` (kafkajs runner.commitOffsets → retrier). */
async function asCommitRejects(code: number): Promise<Error> {
  try {
    await createRetry({ retries: 0, initialRetryTime: 1 })(async () => {
      throw createErrorFromCode(code);
    });
  } catch (err) {
    return err as Error;
  }
  throw new Error('the retrier did not reject');
}

/** The consumer as the source sees it: eachBatch is driven by the test, errors are kafkajs's. */
class FakeConsumer {
  // The event names of a real consumer (the Kafka class itself is replaced below).
  readonly events = new (jest.requireActual('kafkajs') as typeof import('kafkajs')).Kafka({ brokers: ['127.0.0.1:1'] }).consumer({ groupId: 'events' }).events;
  private readonly listeners = new Map<string, ((event: { payload: unknown }) => void)[]>();
  eachBatch?: (payload: EachBatchPayload) => Promise<void>;
  commitFailures: Error[] = [];
  commits: string[] = [];
  heartbeatFailures: Error[] = [];
  heartbeats = 0;
  disconnected = false;
  resolved: string[] = [];

  on(event: string, listener: (event: { payload: unknown }) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: string, payload: unknown): void {
    for (const l of this.listeners.get(event) ?? []) l({ payload });
  }
  async connect(): Promise<void> {
    this.emit(this.events.CONNECT, {});
  }
  async subscribe(): Promise<void> {}
  async run(config: ConsumerRunConfig): Promise<void> {
    this.eachBatch = config.eachBatch;
    this.join();
  }
  join(): void {
    this.emit(this.events.GROUP_JOIN, { memberId: 'm', memberAssignment: { t: [0] }, duration: 1 });
  }
  async commitOffsets(offsets: { offset: string }[]): Promise<void> {
    const failure = this.commitFailures.shift();
    if (failure) throw failure;
    this.commits.push(...offsets.map((o) => o.offset));
  }
  pause(): void {}
  async disconnect(): Promise<void> {
    this.disconnected = true;
  }

  /** One partition batch of `count` records, as kafkajs hands it to eachBatch. */
  payload(count: number): EachBatchPayload {
    const messages = Array.from({ length: count }, (_, i) => ({ offset: String(i), timestamp: '0', key: null, value: Buffer.from(`v${i}`), headers: {}, attributes: 0, size: 0 }));
    return {
      batch: { topic: 't', partition: 0, highWatermark: String(count), messages, lastOffset: () => String(count - 1) },
      isRunning: () => true,
      isStale: () => false,
      heartbeat: async () => {
        this.heartbeats++;
        const failure = this.heartbeatFailures.shift();
        if (failure) throw failure;
      },
      resolveOffset: (offset: string) => this.resolved.push(offset),
    } as unknown as EachBatchPayload;
  }
}

let consumer: FakeConsumer;
jest.mock('kafkajs', () => {
  const actual = jest.requireActual('kafkajs');
  return { ...actual, Kafka: class extends actual.Kafka { consumer = () => consumer as unknown as Consumer; } };
});

const converter = {
  async toConnectData(_topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null> {
    return bytes === null ? null : { schema: { type: 'STRING', optional: true }, value: bytes.toString() };
  },
};

/** A Databend writer whose writes the test can hold, fail, or let through. */
class Writer {
  writes = 0;
  failures: SinkError[] = [];
  hold?: Promise<void>;
  async write(records: SinkRecord[]): Promise<[]> {
    this.writes++;
    if (this.hold) await this.hold;
    const failure = this.failures.shift();
    if (failure) throw failure;
    void records;
    return [];
  }
}

function start(writer: Writer, options: { heartbeatIntervalMs?: number; backoffMs?: number } = {}) {
  const source = new KafkajsRecordSource({
    clientId: 'test',
    brokers: ['127.0.0.1:1'],
    security: {},
    groupId: 'g',
    topics: ['t'],
    topicsRegex: null,
    concurrency: 1,
    maxWaitMs: 100,
    batchSize: 100,
    tuning: options.heartbeatIntervalMs ? { heartbeatInterval: options.heartbeatIntervalMs, sessionTimeout: options.heartbeatIntervalMs * 3 } : {},
    log: pino({ level: 'silent' }),
  });
  const task = new SinkTask(source, converter, converter, writer, null, pino({ level: 'silent' }), {
    batchSize: 100,
    tolerance: 'none',
    logErrors: false,
    logMessages: false,
    retry: { maxRetries: 10, backoffMs: options.backoffMs ?? 1 },
    progressIntervalMs: 0,
    inFlightGraceMs: 200,
  });
  let failed: unknown;
  const running = task.run().catch((err: unknown) => (failed = err));
  return { source, task, running, failed: () => failed };
}

async function started(): Promise<(payload: EachBatchPayload) => Promise<void>> {
  for (let i = 0; i < 100 && !consumer.eachBatch; i++) await new Promise((r) => setTimeout(r, 5));
  if (!consumer.eachBatch) throw new Error('the source never called consumer.run');
  return consumer.eachBatch;
}

async function rejection(p: Promise<unknown>): Promise<Error & { type?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { type?: string };
  }
  throw new Error('expected a rejection');
}

beforeEach(() => {
  consumer = new FakeConsumer();
});

describe('kafkajs error shapes', () => {
  it('finds the broker error kafkajs wraps: KafkaJSNonRetriableError and KafkaJSNumberOfRetriesExceeded carry it in cause, without type', async () => {
    const nonRetriable = await asCommitRejects(UNKNOWN_MEMBER_ID);
    expect(nonRetriable).toBeInstanceOf(KafkaJSNonRetriableError);
    expect((nonRetriable as KafkaJSProtocolError).type).toBeUndefined();
    expect(rejoinCause(nonRetriable)?.type).toBe('UNKNOWN_MEMBER_ID');
    const exhausted = await asCommitRejects(NOT_COORDINATOR);
    expect(exhausted).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
    expect(rejoinCause(exhausted)?.type).toBe('NOT_COORDINATOR_FOR_GROUP');
    expect(rejoinCause(await asCommitRejects(58))).toBeUndefined(); // SASL_AUTHENTICATION_FAILED: no rejoin
  });
});

describe('regression: lost group membership killed the sink', () => {
  it('a commit refused with UNKNOWN_MEMBER_ID: the source rejoins (kafkajs gets the broker error), the sink goes on and commits after the rejoin', async () => {
    const writer = new Writer();
    consumer.commitFailures.push(await asCommitRejects(UNKNOWN_MEMBER_ID));
    const { source, running, failed } = start(writer);
    const eachBatch = await started();

    const thrown = await rejection(eachBatch(consumer.payload(3)));
    // kafkajs's runner rejoins (memberId reset) when eachBatch throws an error of this type.
    expect(thrown.type).toBe('UNKNOWN_MEMBER_ID');
    expect(consumer.commits).toEqual([]);
    expect(consumer.resolved).toEqual([]);
    expect(failed()).toBeUndefined();

    consumer.join();
    await eachBatch(consumer.payload(3));
    expect(consumer.commits).toEqual(['3']);
    expect(consumer.resolved).toEqual(['2']);
    expect(writer.writes).toBe(2); // the batch is written again by its (new) owner: at-least-once

    await source.stop(100);
    await running;
    expect(failed()).toBeUndefined();
  });

  it('REBALANCE_IN_PROGRESS on a commit is a rebalance for kafkajs too (its isRebalancing), not a Kafka outage', async () => {
    consumer.commitFailures.push(await asCommitRejects(REBALANCE_IN_PROGRESS));
    const { source, running, failed } = start(new Writer());
    const thrown = await rejection((await started())(consumer.payload(1)));
    expect(isRebalancing(thrown)).toBe(true);
    await source.stop(100);
    await running;
    expect(failed()).toBeUndefined();
  });

  it('heartbeats keep flowing while one write runs longer than the session timeout', async () => {
    const writer = new Writer();
    let release: () => void = () => undefined;
    writer.hold = new Promise((r) => (release = r));
    const { source, running } = start(writer, { heartbeatIntervalMs: 100 });
    const handled = (await started())(consumer.payload(2));
    await new Promise((r) => setTimeout(r, 700)); // more than twice the 300 ms session timeout
    expect(consumer.heartbeats).toBeGreaterThanOrEqual(5);
    release();
    await handled;
    expect(consumer.commits).toEqual(['2']);
    const afterWrite = consumer.heartbeats;
    await new Promise((r) => setTimeout(r, 300));
    expect(consumer.heartbeats).toBeLessThanOrEqual(afterWrite + 1); // the timer ends with the batch
    await source.stop(100);
    await running;
  });

  it('membership lost during a write (heartbeat REBALANCE_IN_PROGRESS): no retry, no commit, no further write of the batch; kafkajs rejoins', async () => {
    const writer = new Writer();
    // Databend is down: the write fails and waits 10 s before its retry; the rebalance comes meanwhile.
    writer.failures.push(new SinkError('DATABEND_UNAVAILABLE', 'connection refused'));
    consumer.heartbeatFailures.push(createErrorFromCode(REBALANCE_IN_PROGRESS));
    const { source, running, failed } = start(writer, { heartbeatIntervalMs: 100, backoffMs: 10_000 });
    const begun = Date.now();
    const thrown = await rejection((await started())(consumer.payload(2)));
    expect(Date.now() - begun).toBeLessThan(5_000); // the 10 s backoff ended at the loss
    expect(thrown.type).toBe('REBALANCE_IN_PROGRESS');
    expect(writer.writes).toBe(1);
    expect(consumer.commits).toEqual([]);
    expect(failed()).toBeUndefined();
    await source.stop(100);
    await running;
  });
});

describe('shutdown', () => {
  it('a write that does not finish within the grace period is given up: no commit, the group is left, the sink stops without error', async () => {
    const writer = new Writer();
    writer.hold = new Promise(() => undefined); // Databend never answers
    const { task, running, failed } = start(writer);
    const handled = (await started())(consumer.payload(2));
    await new Promise((r) => setTimeout(r, 50));
    const begun = Date.now();
    await task.stop();
    await handled; // eachBatch returns: kafkajs can leave the group
    await running;
    expect(Date.now() - begun).toBeLessThan(2_000);
    expect(consumer.disconnected).toBe(true);
    expect(consumer.commits).toEqual([]);
    expect(consumer.resolved).toEqual([]);
    expect(failed()).toBeUndefined();
  });

  it('a write that finishes within the grace period is committed before the group is left', async () => {
    const writer = new Writer();
    let release: () => void = () => undefined;
    writer.hold = new Promise((r) => (release = r));
    const { task, running } = start(writer);
    const handled = (await started())(consumer.payload(4));
    setTimeout(() => release(), 50);
    await task.stop();
    await handled;
    await running;
    expect(consumer.commits).toEqual(['4']);
    expect(consumer.disconnected).toBe(true);
  });
});
