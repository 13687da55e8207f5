import { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { SinkError } from '../errors';
import { sizeFetches } from './kafkajs-runtime';
import type { SinkEventPublisher } from '../events/sink-events';
import type { Logger } from '../logging/logger';
import { unreachableBrokers } from './broker-reachability';
import { type ConsumerTuning, FetchSizing } from './kafka-client-settings';
import { kafkaAuthenticationError } from './kafka-authentication-error';
import { BatchInterrupted, type BatchContext, type PartitionBatch, type RawRecord, type RecordSource, type TopicPartitionOffset } from '../ports/record-source';

/** Broker error types after which this member must rejoin its group (kafkajs's runner rejoins when eachBatch throws one of them). */
const REJOIN_ERRORS: ReadonlySet<string> = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

/** kafkajs's defaults, which apply when `consumer.override.*` does not set them. */
const KAFKAJS_SESSION_TIMEOUT_MS = 30_000;
const KAFKAJS_HEARTBEAT_INTERVAL_MS = 3_000;
/** How often start-up progress (unreachable brokers, a join that waits) is reported until the group is joined. */
const STARTUP_REPORT_MS = 10_000;
/** How long a bootstrap broker may take to accept a TCP connection before it is called unreachable. */
const PROBE_TIMEOUT_MS = 3_000;

export type RejoinError = Error & { type: string };

/**
 * The broker's error that asks for a rejoin, wherever it sits in the cause chain. kafkajs does not
 * throw it bare from `commitOffsets`: its retrier wraps a non-retriable error in a
 * KafkaJSNonRetriableError and an exhausted retriable one in a KafkaJSNumberOfRetriesExceeded, both
 * without `type`, with the broker's KafkaJSProtocolError as `cause` (kafkajs src/retry/index.js).
 */
export function rejoinCause(err: unknown): RejoinError | undefined {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && REJOIN_ERRORS.has(type)) return e as RejoinError;
  }
  return undefined;
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

/** Rejects with the signal's reason once it aborts; never settles otherwise. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** True when every promise settled within `ms`. */
async function settledWithin(promises: Promise<unknown>[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([Promise.allSettled(promises).then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
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
  /** `batch.size`: a partition's fetch is sized in bytes to hold about this many records. */
  batchSize: number;
  /** Group membership timings from `consumer.override.*`. */
  tuning: ConsumerTuning;
  /** Start-up progress, membership changes, shutdown. */
  log: Logger;
  /** Where membership changes are published (`events/sink-events.ts`). */
  events?: SinkEventPublisher;
}

export class KafkajsRecordSource implements RecordSource {
  private readonly consumer: Consumer;
  private readonly log: Logger;
  private readonly fetchSizing: FetchSizing;
  private stopping = false;
  private connected = false;
  private joinedOnce = false;
  /** Handlers still running: a graceful stop lets them finish and commit before leaving the group. */
  private readonly inflight = new Set<Promise<void>>();
  /** Topics batches came from: paused at shutdown, so that nothing more is fetched. */
  private readonly topicsSeen = new Set<string>();
  /** One per group generation: aborted when this member lost its membership, replaced when it joins again. */
  private membership = new AbortController();
  /** Aborted when the shutdown grace period ran out: the batches in flight are given up. */
  private readonly shutdown = new AbortController();
  private resolveStopped: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => {
    this.resolveStopped = resolve;
  });

  constructor(private readonly options: KafkajsSourceOptions) {
    this.log = options.log;
    this.fetchSizing = new FetchSizing(options.batchSize, options.concurrency);
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
      ...this.fetchSizing.sizes(),
      retry: { retries: 8 },
      ...options.tuning,
    });
  }

  private get sessionTimeoutMs(): number {
    return this.options.tuning.sessionTimeout ?? KAFKAJS_SESSION_TIMEOUT_MS;
  }

  async run(handler: (batch: PartitionBatch, context: BatchContext) => Promise<void>): Promise<void> {
    if (this.stopping) return;
    const crashed = new Promise<never>((_, reject) => {
      this.consumer.on(this.consumer.events.CRASH, (event) => {
        if (!event.payload.restart && !this.stopping) {
          const { error } = event.payload;
          reject(this.authenticationError(error) ?? new SinkError('KAFKA_UNAVAILABLE', `Kafka consumer stopped: ${error.message}`, undefined, { cause: error }));
        }
      });
    });
    crashed.catch(() => undefined);
    this.consumer.on(this.consumer.events.CONNECT, () => (this.connected = true));
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => this.joined(payload.memberId, payload.memberAssignment, payload.duration));
    const startedAt = Date.now();
    const stopReports = this.reportStartup(startedAt);
    try {
      const connecting = (async () => {
        await this.consumer.connect();
        const topics: (string | RegExp)[] = this.options.topics ?? [this.options.topicsRegex as RegExp];
        await this.consumer.subscribe({ topics, fromBeginning: true });
      })();
      await Promise.race([connecting, this.stopped]);
      connecting.catch(() => undefined);
    } catch (err) {
      stopReports();
      throw this.authenticationError(err) ?? new SinkError('KAFKA_UNAVAILABLE', `cannot reach Kafka at ${this.options.brokers.join(',')}: ${(err as Error).message}`, undefined, { cause: err });
    }
    if (this.stopping) return stopReports();
    this.log.info(
      { groupId: this.options.groupId, sessionTimeoutMs: this.sessionTimeoutMs },
      `joining consumer group ${this.options.groupId}; after a member stopped without leaving it (crash, SIGKILL), the join waits until that member's session expires (session.timeout.ms=${this.sessionTimeoutMs})`,
    );
    // Each fetch sized in bytes for about batch.size of the records seen so far.
    const stopSizing = sizeFetches(this.options.groupId, () => this.fetchSizing.sizes());
    try {
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.concurrency,
        eachBatch: (payload) => this.eachBatch(payload, handler),
      });
      await Promise.race([this.stopped, crashed]);
    } finally {
      stopSizing();
      stopReports();
    }
  }

  /**
   * One partition batch: the handler runs while a timer keeps the member's heartbeats going, so a
   * write longer than `session.timeout.ms` does not cost the membership. When the membership is
   * lost anyway (the group rebalanced, the session expired), the batch's signal aborts: its handler
   * writes and commits nothing more, and the broker's error is thrown to kafkajs, which rejoins.
   */
  private async eachBatch({ batch, isRunning, isStale, heartbeat, resolveOffset }: EachBatchPayload, handler: (batch: PartitionBatch, context: BatchContext) => Promise<void>): Promise<void> {
    if (this.stopping || batch.messages.length === 0) return;
    this.topicsSeen.add(batch.topic);
    const membership = this.membership;
    const signal = AbortSignal.any([membership.signal, this.shutdown.signal]);
    const beat = async (): Promise<void> => {
      try {
        await heartbeat();
      } catch (err) {
        const rejoin = rejoinCause(err);
        if (rejoin) this.lose(membership, rejoin, 'heartbeat');
        throw new BatchInterrupted(`heartbeat failed: ${(err as Error).message}`, { cause: rejoin ?? err });
      }
    };
    // kafkajs sends a heartbeat only when one is due, so asking twice per interval keeps them on time.
    const heartbeats = setInterval(() => beat().catch(() => undefined), (this.options.tuning.heartbeatInterval ?? KAFKAJS_HEARTBEAT_INTERVAL_MS) / 2);
    let bytes = 0;
    const records: RawRecord[] = batch.messages.map((m) => {
      const headers = rawHeaders(m.headers);
      bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
      for (const h of headers) bytes += h.key.length + (h.value?.length ?? 0);
      return { topic: batch.topic, partition: batch.partition, offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value, headers };
    });
    this.fetchSizing.observe(records.length, bytes);
    const context: BatchContext = {
      stillOwned: () => !signal.aborted && isRunning() && !isStale(),
      heartbeat: async () => {
        if (signal.aborted) throw signal.reason;
        await beat();
      },
      signal,
    };
    const handled = handler({ topic: batch.topic, partition: batch.partition, records, highWatermark: batch.highWatermark }, context);
    handled.catch(() => undefined);
    this.inflight.add(handled);
    try {
      // A batch given up at shutdown returns at once, even while a write of it is still in flight.
      await Promise.race([handled, aborted(this.shutdown.signal)]);
    } catch (err) {
      if (this.stopping) return;
      // kafkajs rejoins the group or reconnects when eachBatch throws its own error.
      throw rejoinCause(err) ?? (err instanceof BatchInterrupted ? err.cause : err);
    } finally {
      clearInterval(heartbeats);
      this.inflight.delete(handled);
    }
    // Membership lost while the handler ran: it committed nothing; rejoin and fetch from the committed offsets.
    if (membership.signal.aborted) throw rejoinCause(membership.signal.reason);
    // Moves the fetch position past the batch; without it kafkajs fetches the same records again.
    // A handler that hit a fatal error has stopped the source, and nothing is resolved.
    if (!this.stopping) resolveOffset(batch.lastOffset());
  }

  /** This member is no longer in the group generation its batches belong to. */
  private lose(membership: AbortController, err: RejoinError, during: string): void {
    if (membership.signal.aborted) return;
    this.log.warn(
      { groupId: this.options.groupId, error: err.type, during },
      `consumer group membership lost (${err.message}); the batches in flight are given up without committing and the group is joined again`,
    );
    membership.abort(new BatchInterrupted(`${during} failed: ${err.message}; this member must rejoin the group`, { cause: err }));
    this.options.events?.publish('group', { event: 'lost', groupId: this.options.groupId });
  }

  private joined(memberId: string, assignment: Record<string, number[]>, durationMs: number): void {
    this.membership = new AbortController();
    const first = !this.joinedOnce;
    this.joinedOnce = true;
    this.log.info(
      { groupId: this.options.groupId, memberId, partitions: assignment, joinMs: durationMs },
      `${first ? 'joined' : 'rejoined'} consumer group ${this.options.groupId}`,
    );
    this.options.events?.publish('group', { event: 'joined', groupId: this.options.groupId, assignment });
  }

  /**
   * Until the group is joined, every `STARTUP_REPORT_MS` (the first time at once): which bootstrap
   * brokers cannot be reached while the client is not connected, then how long the join has waited.
   * Returns the function that ends the reports.
   */
  private reportStartup(startedAt: number): () => void {
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    const waiting = () => !ended && !this.joinedOnce && !this.stopping;
    const report = async () => {
      if (!this.connected) {
        const down = await unreachableBrokers(this.options.brokers, PROBE_TIMEOUT_MS);
        if (waiting() && !this.connected && down.length > 0) {
          this.log.warn(
            { unreachable: down.map((d) => `${d.broker} (${d.reason})`), waitedMs: Date.now() - startedAt },
            `Kafka not reachable: ${down.length} of ${this.options.brokers.length} bootstrap broker(s) in bootstrap.servers do not accept connections; still trying`,
          );
        }
      } else if (Date.now() - startedAt >= STARTUP_REPORT_MS) {
        // The coordinator does not say whom it waits for (a group description waits behind the join).
        this.log.warn(
          { groupId: this.options.groupId, waitedMs: Date.now() - startedAt, sessionTimeoutMs: this.sessionTimeoutMs },
          `still joining consumer group ${this.options.groupId}: waiting for the previous members' sessions to expire (session.timeout.ms=${this.sessionTimeoutMs}; consumer.override.session.timeout.ms sets it)`,
        );
      }
    };
    const tick = () => {
      if (!waiting()) return;
      void report()
        .catch(() => undefined)
        .then(() => {
          if (waiting()) timer = setTimeout(tick, STARTUP_REPORT_MS);
        });
    };
    tick();
    return () => {
      ended = true;
      clearTimeout(timer);
    };
  }

  private authenticationError(err: unknown): SinkError | undefined {
    return kafkaAuthenticationError(err, this.options.brokers, this.options.security);
  }

  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const membership = this.membership;
    if (membership.signal.aborted) throw membership.signal.reason;
    if (this.shutdown.signal.aborted) throw this.shutdown.signal.reason;
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (err) {
      const rejoin = rejoinCause(err);
      if (!rejoin) throw new SinkError('KAFKA_UNAVAILABLE', `committing offsets failed: ${(err as Error).message}`, undefined, { cause: err });
      this.lose(membership, rejoin, 'offset commit');
      throw membership.signal.reason;
    }
  }

  async stop(graceMs: number): Promise<void> {
    if (this.stopping) return this.stopped;
    this.stopping = true;
    try {
      if (this.topicsSeen.size > 0) this.consumer.pause([...this.topicsSeen].map((topic) => ({ topic })));
    } catch {
      // Not running yet: there is nothing to fetch.
    }
    const inflight = [...this.inflight];
    if (inflight.length > 0 && !(await settledWithin(inflight, graceMs))) {
      this.log.warn({ batches: this.inflight.size, graceMs }, 'shutdown grace period over: the batches still in flight are given up without committing; they are consumed again after a restart');
      this.shutdown.abort(new BatchInterrupted('given up at shutdown: the grace period ran out', { cause: new Error('shutdown') }));
    }
    try {
      await this.consumer.disconnect();
    } finally {
      this.resolveStopped();
    }
  }
}
