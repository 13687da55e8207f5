import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { subscribeToSink } from '../events/sink-events';

/** What `/status` answers. */
export interface SinkStatus {
  connector: string;
  version: string;
  groupId: string;
  startedAt: string;
  /** Joined the consumer group (and not lost since). */
  joined: boolean;
  /** Partitions assigned to this member, by topic. */
  assignment: Record<string, number[]>;
  /** The next offset committed per partition (`topic` → `partition` → offset). */
  committed: Record<string, Record<string, string>>;
  /** Records after the last one handled, per partition. */
  lag: Record<string, Record<string, number>>;
  totals: { consumed: number; written: number; failed: number; retries: number; rebalances: number };
  databend: { reachable: boolean | null; error?: string };
  /** The last record failure or fatal error (no record content, no secret). */
  lastError: { code: string; message: string; at: string; fatal: boolean; topic?: string; partition?: number; offset?: string } | null;
}

export interface SinkIdentity {
  /** The events' instance (`SinkEventPublisher.instance`). */
  instance: string;
  connector: string;
  version: string;
  groupId: string;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Follows one sink's events (`events/sink-events.ts`) into Prometheus metrics (its own registry, so
 * that several sinks of one process do not mix) and the state `/status` and `/readyz` answer from.
 */
export class SinkObserver {
  readonly registry = new Registry();
  private readonly status: SinkStatus;
  private readonly unsubscribe: () => void;

  constructor(identity: SinkIdentity) {
    this.status = {
      connector: identity.connector,
      version: identity.version,
      groupId: identity.groupId,
      startedAt: new Date().toISOString(),
      joined: false,
      assignment: {},
      committed: {},
      lag: {},
      totals: { consumed: 0, written: 0, failed: 0, retries: 0, rebalances: 0 },
      databend: { reachable: null },
      lastError: null,
    };
    const registers = [this.registry];
    const prefix = 'databend_sink_';
    collectDefaultMetrics({ register: this.registry, prefix });
    new Gauge({ name: `${prefix}info`, help: 'The sink: connector name, version and consumer group (value 1).', labelNames: ['connector', 'version', 'group'], registers }).set(
      { connector: identity.connector, version: identity.version, group: identity.groupId },
      1,
    );
    const consumed = new Counter({ name: `${prefix}records_consumed_total`, help: 'Records read from Kafka and handled (written, dead-lettered or skipped).', labelNames: ['topic'], registers });
    const written = new Counter({ name: `${prefix}records_written_total`, help: 'Records written to Databend (rows loaded, replaced, merged or deleted).', labelNames: ['topic'], registers });
    const failed = new Counter({
      name: `${prefix}records_failed_total`,
      help: 'Records that could not be written for their own content: sent to the dead letter topic, or skipped (errors.tolerance=all without one).',
      labelNames: ['topic'],
      registers,
    });
    const lag = new Gauge({ name: `${prefix}consumer_lag`, help: 'Records in the partition after the last one the sink handled.', labelNames: ['topic', 'partition'], registers });
    const committed = new Gauge({ name: `${prefix}committed_offset`, help: 'The next offset the sink committed for the partition.', labelNames: ['topic', 'partition'], registers });
    const batch = new Histogram({ name: `${prefix}batch_duration_seconds`, help: 'Time to convert, write and report one chunk of a partition batch (before its commit).', buckets: SECONDS, registers });
    const load = new Histogram({ name: `${prefix}load_duration_seconds`, help: 'Time of one write to Databend (a stage load or statement, with its rejected-row isolation).', labelNames: ['kind'], buckets: SECONDS, registers });
    const retries = new Counter({ name: `${prefix}retries_total`, help: 'Retriable failures that were retried, by what was retried.', labelNames: ['what', 'code'], registers });
    const rebalances = new Counter({ name: `${prefix}rebalances_total`, help: 'Consumer group joins and membership losses.', labelNames: ['event'], registers });
    const tables = new Counter({ name: `${prefix}table_changes_total`, help: 'Tables created (auto.create) or evolved (auto.evolve).', labelNames: ['event'], registers });
    const assigned = new Gauge({ name: `${prefix}assigned_partitions`, help: 'Partitions assigned to this member.', registers });
    const databend = new Gauge({ name: `${prefix}databend_reachable`, help: '1 while Databend answers, 0 once it stopped answering.', registers });

    const status = this.status;
    this.unsubscribe = subscribeToSink(identity.instance, {
      batch: (e) => {
        consumed.inc({ topic: e.topic }, e.consumed);
        written.inc({ topic: e.topic }, e.written);
        if (e.failed > 0) failed.inc({ topic: e.topic }, e.failed);
        batch.observe(e.durationMs / 1000);
        status.totals.consumed += e.consumed;
        status.totals.written += e.written;
        status.totals.failed += e.failed;
      },
      lag: (e) => {
        lag.set({ topic: e.topic, partition: String(e.partition) }, e.lag);
        (status.lag[e.topic] ??= {})[String(e.partition)] = e.lag;
      },
      commit: (e) => {
        committed.set({ topic: e.topic, partition: String(e.partition) }, Number(e.offset));
        (status.committed[e.topic] ??= {})[String(e.partition)] = e.offset;
      },
      load: (e) => load.observe({ kind: e.kind }, e.durationMs / 1000),
      retry: (e) => {
        retries.inc({ what: e.what, code: e.code });
        status.totals.retries++;
      },
      group: (e) => {
        rebalances.inc({ event: e.event });
        status.totals.rebalances++;
        status.joined = e.event === 'joined';
        status.assignment = e.event === 'joined' ? (e.assignment ?? {}) : {};
        assigned.set(Object.values(status.assignment).reduce((n, partitions) => n + partitions.length, 0));
        // Partitions taken away keep no lag or offset of this member's.
        for (const topic of Object.keys(status.lag)) {
          for (const partition of Object.keys(status.lag[topic])) {
            if (!status.assignment[topic]?.includes(Number(partition))) {
              delete status.lag[topic][partition];
              lag.remove({ topic, partition });
            }
          }
        }
      },
      table: (e) => tables.inc({ event: e.event }),
      databend: (e) => {
        databend.set(e.reachable ? 1 : 0);
        status.databend = e.reachable ? { reachable: true } : { reachable: false, error: e.error };
      },
      failure: (e) => {
        status.lastError = { code: e.code, message: e.message, at: new Date().toISOString(), fatal: e.fatal, ...(e.topic !== undefined ? { topic: e.topic, partition: e.partition, offset: e.offset } : {}) };
      },
    });
  }

  /** Ready: joined the consumer group, and Databend answered the last call. */
  readiness(): { ready: boolean; reasons: string[] } {
    const reasons: string[] = [];
    if (!this.status.joined) reasons.push('not a member of the consumer group');
    if (this.status.databend.reachable !== true) reasons.push(this.status.databend.reachable === false ? `Databend does not answer: ${this.status.databend.error}` : 'Databend not reached yet');
    return { ready: reasons.length === 0, reasons };
  }

  snapshot(): SinkStatus {
    return structuredClone(this.status);
  }

  close(): void {
    this.unsubscribe();
    this.registry.clear();
  }
}
