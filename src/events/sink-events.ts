/**
 * What a running sink tells about itself, published on `node:diagnostics_channel`: the progress
 * line, the Prometheus metrics and `/status` subscribe; anyone else may too (an APM agent, a test).
 *
 * Several sinks may run in one process (the conformance suite's in-process adapter does), so every
 * event carries the `instance` of the sink that published it and `subscribeToSink` delivers only
 * one instance's events. Publishing costs nothing while nobody subscribes (`hasSubscribers`).
 *
 * | channel | event |
 * |---|---|
 * | `databend-sink:batch` | a chunk of a partition batch is done: records consumed, written, failed (dead-lettered or skipped), time taken |
 * | `databend-sink:lag` | a partition's lag after a chunk: high watermark − next offset |
 * | `databend-sink:commit` | offsets committed for a partition |
 * | `databend-sink:load` | one write statement or stage load: table, kind, rows, time taken |
 * | `databend-sink:retry` | a retriable failure, retried: what, attempt, code |
 * | `databend-sink:group` | the consumer group joined (with the assignment) or the membership lost |
 * | `databend-sink:table` | a table created or evolved: columns added, widened |
 * | `databend-sink:databend` | Databend answered, or stopped answering (published when that changes) |
 * | `databend-sink:failure` | a record failed (dead-lettered or skipped), or an error stops the sink |
 */
import diagnosticsChannel from 'node:diagnostics_channel';

interface Stamped {
  /** The sink that published it (`SinkEventPublisher.instance`). */
  instance: string;
}

export interface BatchEvent extends Stamped {
  topic: string;
  partition: number;
  consumed: number;
  written: number;
  failed: number;
  durationMs: number;
}

export interface LagEvent extends Stamped {
  topic: string;
  partition: number;
  /** Records after the last one handled (never negative). */
  lag: number;
}

export interface CommitEvent extends Stamped {
  topic: string;
  partition: number;
  /** The next offset to consume, as committed. */
  offset: string;
}

export interface LoadEvent extends Stamped {
  table: string;
  /** `insert`, `upsert`, `update` or `delete`. */
  kind: string;
  rows: number;
  durationMs: number;
}

export interface RetryEvent extends Stamped {
  /** What was retried (`writing to Databend`, `committing offsets`, …). */
  what: string;
  attempt: number;
  code: string;
}

export interface GroupEvent extends Stamped {
  event: 'joined' | 'lost';
  groupId: string;
  /** Joined: the partitions assigned to this member, by topic. */
  assignment?: Record<string, number[]>;
}

export interface TableEvent extends Stamped {
  table: string;
  event: 'created' | 'evolved';
  added: string[];
  widened: string[];
}

export interface DatabendEvent extends Stamped {
  reachable: boolean;
  /** Why not, when not. */
  error?: string;
}

export interface FailureEvent extends Stamped {
  code: string;
  message: string;
  /** True when the error stops the sink; false for a record dead-lettered or skipped. */
  fatal: boolean;
  topic?: string;
  partition?: number;
  offset?: string;
}

interface Events {
  batch: BatchEvent;
  lag: LagEvent;
  commit: CommitEvent;
  load: LoadEvent;
  retry: RetryEvent;
  group: GroupEvent;
  table: TableEvent;
  databend: DatabendEvent;
  failure: FailureEvent;
}

export type SinkEventName = keyof Events;

const NAMES: readonly SinkEventName[] = ['batch', 'lag', 'commit', 'load', 'retry', 'group', 'table', 'databend', 'failure'];

const channels = Object.fromEntries(NAMES.map((name) => [name, diagnosticsChannel.channel(`databend-sink:${name}`)])) as Record<SinkEventName, diagnosticsChannel.Channel>;

type Unstamped<E> = Omit<E, 'instance'>;

/** Publishes one sink's events, stamped with its instance. */
export class SinkEventPublisher {
  private static next = 0;

  /** `instance`: unique in the process (the connector name and a counter, unless given). */
  constructor(readonly instance: string = `sink-${++SinkEventPublisher.next}`) {}

  publish<K extends SinkEventName>(name: K, event: Unstamped<Events[K]>): void {
    const channel = channels[name];
    if (channel.hasSubscribers) channel.publish({ instance: this.instance, ...event });
  }
}

/** A publisher nobody listens to, for parts used on their own (tests, the bench). */
export const UNOBSERVED = new SinkEventPublisher('unobserved');

export type SinkEventHandlers = { [K in SinkEventName]?: (event: Events[K]) => void };

/** Delivers the events of one sink instance to `handlers`; returns the unsubscribe function. */
export function subscribeToSink(instance: string, handlers: SinkEventHandlers): () => void {
  const subscriptions: [diagnosticsChannel.Channel, (message: unknown) => void][] = [];
  for (const name of NAMES) {
    const handler = handlers[name] as ((event: unknown) => void) | undefined;
    if (!handler) continue;
    const listener = (message: unknown) => {
      if ((message as Stamped).instance === instance) handler(message);
    };
    channels[name].subscribe(listener);
    subscriptions.push([channels[name], listener]);
  }
  return () => {
    for (const [channel, listener] of subscriptions) channel.unsubscribe(listener);
  };
}
