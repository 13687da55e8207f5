import { Consumer, IHeaders, Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { SinkError } from '../errors';
import './kafkajs-runtime';
import type { ConsumerTuning, FetchSizes } from './kafka-client-settings';
import { kafkaAuthenticationError } from './kafka-authentication-error';
import { BatchInterrupted, type BatchContext, type PartitionBatch, type RawRecord, type RecordSource, type TopicPartitionOffset } from './record-source';

/** kafkajs errors after which the consumer must rejoin its group (kafkajs rejoins when eachBatch throws them). */
const REJOIN_ERRORS: ReadonlySet<string> = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

function needsRejoin(err: unknown): boolean {
  return REJOIN_ERRORS.has((err as { type?: string }).type ?? '');
}

const NO_HEADERS: RawRecord['headers'] = Object.freeze([]) as unknown as RawRecord['headers'];

/** kafkajs headers (`{key: value | value[]}`) as the record's list; one shared empty list for none (most records). */
function rawHeaders(headers: IHeaders | undefined): RawRecord['headers'] {
  if (headers === undefined || !hasOwnKey(headers)) return NO_HEADERS;
  return Object.entries(headers).flatMap(([key, v]) =>
    (Array.isArray(v) ? v : [v]).map((value) => ({ key, value: value === undefined ? null : typeof value === 'string' ? Buffer.from(value) : value })),
  );
}

function hasOwnKey(o: object): boolean {
  for (const key in o) if (Object.hasOwn(o, key)) return true;
  return false;
}

export interface KafkajsSourceOptions {
  clientId: string;
  brokers: string[];
  security: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  groupId: string;
  topics: string[] | null;
  topicsRegex: RegExp | null;
  /** Partition batches handled at once (`tasks.max`). */
  concurrency: number;
  /** How long the broker may hold a fetch to fill it (`linger.ms`). */
  maxWaitMs: number;
  /** Fetch limits (`fetchSizes`): a batch can reach `batch.size` records. */
  fetch: FetchSizes;
  /** Group membership timings from `consumer.override.*`. */
  tuning: ConsumerTuning;
}

export class KafkajsRecordSource implements RecordSource {
  private readonly consumer: Consumer;
  private stopping = false;
  /** Handlers still running: a graceful stop lets them finish and commit before leaving the group. */
  private readonly inflight = new Set<Promise<void>>();
  private resolveStopped: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => {
    this.resolveStopped = resolve;
  });

  constructor(private readonly options: KafkajsSourceOptions) {
    const kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 8 },
      ...options.security,
    });
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: options.maxWaitMs,
      ...options.fetch,
      retry: { retries: 8 },
      ...options.tuning,
    });
  }

  async run(handler: (batch: PartitionBatch, context: BatchContext) => Promise<void>): Promise<void> {
    const crashed = new Promise<never>((_, reject) => {
      this.consumer.on(this.consumer.events.CRASH, (event) => {
        if (!event.payload.restart) {
          const { error } = event.payload;
          reject(this.authenticationError(error) ?? new SinkError('KAFKA_UNAVAILABLE', `Kafka consumer stopped: ${error.message}`, undefined, { cause: error }));
        }
      });
    });
    crashed.catch(() => undefined);
    try {
      await this.consumer.connect();
      const topics: (string | RegExp)[] = this.options.topics ?? [this.options.topicsRegex as RegExp];
      await this.consumer.subscribe({ topics, fromBeginning: true });
    } catch (err) {
      throw this.authenticationError(err) ?? new SinkError('KAFKA_UNAVAILABLE', `cannot reach Kafka at ${this.options.brokers.join(',')}: ${(err as Error).message}`, undefined, { cause: err });
    }
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrency,
      eachBatch: async ({ batch, isRunning, isStale, heartbeat, resolveOffset }) => {
        if (this.stopping || batch.messages.length === 0) return;
        const records: RawRecord[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          timestamp: m.timestamp,
          key: m.key,
          value: m.value,
          headers: rawHeaders(m.headers),
        }));
        const context: BatchContext = {
          stillOwned: () => isRunning() && !isStale(),
          heartbeat: async () => {
            try {
              await heartbeat();
            } catch (err) {
              throw new BatchInterrupted(`heartbeat failed: ${(err as Error).message}`, { cause: err });
            }
          },
        };
        const handled = handler({ topic: batch.topic, partition: batch.partition, records, highWatermark: batch.highWatermark }, context);
        this.inflight.add(handled);
        try {
          await handled;
        } catch (err) {
          // kafkajs rejoins the group or reconnects when eachBatch throws its own error.
          if (err instanceof BatchInterrupted) throw err.cause;
          throw err;
        } finally {
          this.inflight.delete(handled);
        }
        // Moves the fetch position past the batch; without it kafkajs fetches the same records again.
        // A handler that hit a fatal error has stopped the source, and nothing is resolved.
        if (!this.stopping) resolveOffset(batch.lastOffset());
      },
    });
    await Promise.race([this.stopped, crashed]);
  }

  private authenticationError(err: unknown): SinkError | undefined {
    return kafkaAuthenticationError(err, this.options.brokers, this.options.security);
  }

  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (err) {
      if (needsRejoin(err)) throw new BatchInterrupted(`committing offsets failed: ${(err as Error).message}`, { cause: err });
      throw new SinkError('KAFKA_UNAVAILABLE', `committing offsets failed: ${(err as Error).message}`, undefined, { cause: err });
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    try {
      await Promise.allSettled([...this.inflight]);
      await this.consumer.disconnect();
    } finally {
      this.resolveStopped();
    }
  }
}
