/**
 * Exactly-once appends (`exactly.once.enabled=true`, `insert.mode=insert`): the rows of a partition
 * batch and the partition's offset are written in one Databend transaction.
 *
 * Per batch, on one session:
 * 1. outside any transaction (DDL would commit it): the offsets table and the partition's row
 *    (`next_offset` -1) exist; the batch is planned, its tables created or evolved, its rows fitted;
 * 2. `BEGIN`; the partition's stored offset S: read, or — when this process committed the
 *    partition last and the batch follows on — the value it committed;
 * 3. records below S were committed before (a restart, or another member that owned the partition):
 *    left out (planned again without them, outside the transaction);
 * 4. `UPDATE … SET next_offset = <next> WHERE … AND next_offset = S`: no row moved → S was stale
 *    (another writer moved it): rolled back, S read;
 * 5. the rows are loaded (a stage load on either load path, or SQL literals);
 * 6. the caller's `beforeCommit` (the dead-letter records of the batch);
 * 7. `COMMIT`.
 *
 * Fencing: two transactions that both read S and move the partition's row cannot both commit —
 * Databend refuses the later COMMIT with `[4001] Unresolvable conflict` (checked on the engine by
 * the front's tests). The loser rolls back, reads the offset again and leaves out what the winner
 * wrote, so a member that lost its partition while it was frozen (a zombie) writes nothing twice.
 *
 * A value Databend rejects fails the whole transaction on a server (`[4002]` after it): the
 * transaction is rolled back, the rejected rows are found by loading halves in transactions that
 * are always rolled back, and the batch is written again without them. A call without an answer
 * (timeout, connection lost) leaves the session behind with its transaction (`abandon`): the
 * statement may still be running, and a ROLLBACK could let it commit on its own.
 */
import { SinkError } from '../../errors';
import { type IdentifierQuoting, qualifiedName, type TableRef } from '../../dialect/identifiers';
import { tableColumnsSql } from '../../dialect/dml';
import { advanceOffsetSql, compactTableSql, createOffsetsTableSql, OFFSETS_COLUMNS, type OffsetKey, readOffsetSql, seedOffsetSql } from '../../dialect/offsets-sql';
import type { Logger } from '../../logging/logger';
import type { Operation } from '../../planner/batch-plan';
import type { OffsetCommit, OffsetWrite, RecordFailure, TransactionalRecordWriter, WriteOptions } from '../../ports/record-writer';
import type { SinkRecord } from '../../record/sink-record';
import { jitteredBackoff } from '../../retry/retry';
import { DatabendQueryError, isMissingTable, type DatabendSession } from '../databend-session';
import type { DatabendWriter } from './databend-writer';

/** The exactly-once options, from `exactly.once.*`, `group.id` and `connection.database`. */
export interface ExactlyOnceOptions {
  /** `exactly.once.offsets.table`; database null: `connection.database`. */
  offsetsTable: TableRef;
  /** The consumer group whose offsets the table keeps (rows of other groups are left alone). */
  groupId: string;
  /** `connection.database`. */
  database: string;
  quoting: IdentifierQuoting;
}

/**
 * The session settings of the exactly-once writer's sessions: Databend's compaction after a write
 * would run inside the transaction and make transactions of other partitions of the table conflict
 * (offsets-sql.ts `compactTableSql`); the writer compacts between transactions instead.
 */
export const EXACTLY_ONCE_SESSION_SETTINGS: Readonly<Record<string, string>> = { enable_compact_after_write: '0' };
/** A table is compacted after this many committed loads of this process, at most COMPACT_SEGMENTS segments at a time. */
const COMPACT_EVERY = 10;
const COMPACT_SEGMENTS = 20;

/** Transactions tried per write before giving up with a retriable error (the task's retries start over). */
const ATTEMPTS = 10;
/** Wait before trying again after a conflict: another writer's transaction is committing. */
const CONFLICT_BACKOFF_MS = 400;

const UNRESOLVABLE_CONFLICT = 4001;

/**
 * A transaction that committed, or why it was rolled back; `progress`: the batch shrank (records
 * left out), which ends after finitely many rounds and does not count as a failed attempt.
 */
type Outcome = { done: OffsetWrite } | { again: string; progress: boolean };

/** The batch as the next transaction writes it. */
interface Pending {
  /** The batch as the caller gave it, and the offset it asked for. */
  readonly all: SinkRecord[];
  readonly requested: bigint;
  records: SinkRecord[];
  stopAtFirstFailure: boolean;
  next: bigint;
  /** The first failed record under stopAtFirstFailure: the batch ends before it. */
  stop: RecordFailure | null;
  /** Records Databend rejected (found by the probes): left out, reported. */
  rejected: RecordFailure[];
  prepared: { operations: Operation[]; failures: RecordFailure[] } | null;
}

export class ExactlyOnceWriter implements TransactionalRecordWriter {
  private tableReady = false;
  private readonly seeded = new Set<string>();
  /** Per partition, the offset this process's last COMMIT stored: the next batch's compare-and-set starts from it. */
  private readonly committed = new Map<string, bigint>();
  /** Committed loads per table since its last compaction; null once Databend refused to compact (privileges). */
  private loadsSinceCompaction: Map<string, number> | null = new Map();

  constructor(
    private readonly writer: DatabendWriter,
    private readonly options: ExactlyOnceOptions,
    private readonly log: Logger,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  writeWithOffset(records: SinkRecord[], offset: OffsetCommit, options: WriteOptions = {}): Promise<OffsetWrite> {
    const key: OffsetKey = { groupId: this.options.groupId, topic: offset.topic, partition: offset.partition };
    const requested = BigInt(offset.next);
    const pending: Pending = { all: records, requested, records, stopAtFirstFailure: options.stopAtFirstFailure === true, next: requested, stop: null, rejected: [], prepared: null };
    return this.writer.withSession(async (session) => {
      let why = '';
      for (let attempt = 1; attempt <= ATTEMPTS; ) {
        try {
          await this.ensureRow(session, key);
          await this.prepare(session, pending);
          const outcome = await this.transaction(session, key, pending, offset);
          if ('done' in outcome) {
            if (outcome.done.next !== outcome.done.from) await this.compact(session, pending.prepared?.operations ?? []);
            return outcome.done;
          }
          why = outcome.again;
          if (outcome.progress) continue;
          attempt++;
        } catch (err) {
          // Whatever the partition's offset is now, it is read again.
          this.committed.delete(seedKey(key));
          if (!(err instanceof DatabendQueryError)) {
            // No answer, or the sink's own error: the transaction's fate is unknown to this session.
            if (err instanceof SinkError && err.code === 'DATABEND_UNAVAILABLE') session.abandon();
            throw err;
          }
          attempt++;
          if (err.databendCode === UNRESOLVABLE_CONFLICT) {
            why = `another writer of ${offset.topic}/${offset.partition} committed first (${err.message}); its offset is read again`;
            this.log.info({ topic: offset.topic, partition: offset.partition, attempt }, `exactly-once: ${why}`);
            await this.sleep(jitteredBackoff(CONFLICT_BACKOFF_MS));
          } else if (isMissingTable(err)) {
            // The offsets table was dropped meanwhile: made again (the offsets it held are gone).
            this.tableReady = false;
            this.seeded.clear();
            why = err.message;
          } else {
            throw err;
          }
        }
      }
      throw new SinkError('DATABEND_UNAVAILABLE', `exactly-once: no transaction of ${offset.topic}/${offset.partition} committed in ${ATTEMPTS} attempts; last: ${why}`);
    });
  }

  /**
   * The offsets Databend holds for these partitions (of this group), outside any transaction: where
   * a consumer that takes them over may start (the Kafka Connect task seeks there when a partition
   * opens). A partition without a stored offset, or no offsets table yet, is left out.
   */
  storedOffsets(partitions: readonly { topic: string; partition: number }[]): Promise<{ topic: string; partition: number; next: string }[]> {
    return this.writer.withSession(async (session) => {
      const stored: { topic: string; partition: number; next: string }[] = [];
      for (const { topic, partition } of partitions) {
        let rows: (string | null)[][];
        try {
          rows = await session.query(readOffsetSql(this.options.offsetsTable, { groupId: this.options.groupId, topic, partition }, this.options.quoting));
        } catch (err) {
          if (isMissingTable(err)) return [];
          throw err;
        }
        const next = rows[0]?.[0] ?? null;
        if (next !== null && BigInt(next) >= 0n) stored.push({ topic, partition, next });
      }
      return stored;
    });
  }

  /** One transaction; rolled back unless it committed. */
  private async transaction(session: DatabendSession, key: OffsetKey, pending: Pending, offset: OffsetCommit): Promise<Outcome> {
    const prepared = pending.prepared as NonNullable<Pending['prepared']>;
    await session.exec('BEGIN');
    let open = true;
    try {
      // The offset this process committed last for the partition, when the batch simply follows it;
      // otherwise (or when it turns out stale: the UPDATE below moves no row) the stored one, read.
      const known = this.committed.get(seedKey(key));
      let from: bigint;
      if (known !== undefined && known < pending.next && (pending.records.length === 0 || BigInt(pending.records[0].offset) >= known)) {
        from = known;
      } else {
        const [[read, rows] = [null, '0']] = await session.query(readOffsetSql(this.options.offsetsTable, key, this.options.quoting));
        if (rows === '0' || read === null) {
          this.seeded.delete(seedKey(key));
          return { again: `the offsets row of ${key.topic}/${key.partition} is missing (made again)`, progress: false };
        }
        from = BigInt(read);
      }
      const stored = from.toString();
      if (from >= pending.next) {
        const stop = pending.stop;
        if (stop !== null && BigInt(stop.record.offset) < from) {
          // The batch was cut at a failed record that an earlier commit had handled: start over from the stored offset.
          Object.assign(pending, { records: pending.all.filter((r) => BigInt(r.offset) >= from), next: pending.requested, stop: null, prepared: null });
          return { again: 'the failed record was handled before', progress: true };
        }
        // Everything was written before (a restart's first batch, or a zombie that lost its partition);
        // or the batch stops at a failed record that is the partition's next.
        this.log.info({ topic: key.topic, partition: key.partition, stored, batchEnd: pending.next.toString() }, 'exactly-once: the batch was written before; nothing written');
        return { done: { from: stored, next: stored, failed: stop !== null ? [stop] : [] } };
      }
      if (pending.records.length > 0 && BigInt(pending.records[0].offset) < from) {
        const before = pending.records.length;
        pending.records = pending.records.filter((r) => BigInt(r.offset) >= from);
        pending.prepared = null;
        this.log.info({ topic: key.topic, partition: key.partition, stored, skipped: before - pending.records.length }, 'exactly-once: records below the stored offset were written before; left out');
        return { again: 'records below the stored offset left out', progress: true };
      }
      // First the offset, compare-and-set: a writer that moved it since is found before any load.
      const moved = await session.exec(advanceOffsetSql(this.options.offsetsTable, key, from, pending.next, this.options.quoting));
      if (moved === 0) {
        this.committed.delete(seedKey(key));
        return { again: `the offset of ${key.topic}/${key.partition} is no longer ${stored}`, progress: false };
      }
      const started = Date.now();
      for (const op of prepared.operations) {
        try {
          await this.writer.run(session, op);
        } catch (err) {
          if (!(err instanceof DatabendQueryError) || err.databendCode === UNRESOLVABLE_CONFLICT) throw err;
          // The transaction has failed on the server: end it, then find the rejected rows in probes.
          await session.exec('ROLLBACK');
          open = false;
          const found = await this.writer.isolate(session, op, (part) => this.probe(session, part));
          this.leaveOut(pending, found);
          return found.length > 0 ? { again: `${found.length} rejected row(s) left out`, progress: true } : { again: `a statement failed, then passed alone: ${err.message}`, progress: false };
        }
      }
      const failed = [...(pending.stop ? [pending.stop] : [...prepared.failures, ...pending.rejected])].filter((f) => BigInt(f.record.offset) >= from);
      await offset.beforeCommit(stored, failed);
      open = false;
      await session.exec('COMMIT');
      this.committed.set(seedKey(key), pending.next);
      for (const op of prepared.operations) this.writer.loaded(op, op.records.length, Date.now() - started);
      return { done: { from: stored, next: pending.next.toString(), failed } };
    } catch (err) {
      // A statement without an answer may still be running: no ROLLBACK beside it.
      if (open && err instanceof SinkError && err.code === 'DATABEND_UNAVAILABLE') {
        open = false;
        session.abandon();
      }
      throw err;
    } finally {
      if (open) await this.rollback(session);
    }
  }

  /** Compacts the tables of committed loads every COMPACT_EVERY loads; best effort, outside any transaction. */
  private async compact(session: DatabendSession, operations: readonly Operation[]): Promise<void> {
    const counts = this.loadsSinceCompaction;
    if (counts === null) return;
    const due = new Map<string, TableRef>();
    for (const op of operations) {
      const id = qualifiedName(op.table.database, op.table.table, 'always');
      const n = (counts.get(id) ?? 0) + 1;
      counts.set(id, n >= COMPACT_EVERY ? 0 : n);
      if (n >= COMPACT_EVERY) due.set(id, op.table);
    }
    for (const table of due.values()) {
      try {
        await session.exec(compactTableSql(table, COMPACT_SEGMENTS, this.options.quoting));
      } catch (err) {
        if (err instanceof SinkError && err.code === 'DATABEND_UNAVAILABLE') {
          session.abandon();
          return;
        }
        if (!(err instanceof DatabendQueryError)) throw err;
        // A concurrent compaction of the same segments ([4001]) is harmless; anything else (a privilege) stops trying.
        if (err.databendCode !== UNRESOLVABLE_CONFLICT) {
          this.loadsSinceCompaction = null;
          this.log.warn({ err: err.message }, 'exactly-once: Databend refused to compact a loaded table (OPTIMIZE TABLE … COMPACT); tables are no longer compacted by the sink, run OPTIMIZE TABLE yourself');
        }
        return;
      }
    }
  }

  /** Runs `op` in a transaction that is always rolled back: does Databend take these rows? */
  private async probe(session: DatabendSession, op: Operation): Promise<void> {
    await session.exec('BEGIN');
    try {
      await this.writer.run(session, op);
    } finally {
      await this.rollback(session);
    }
  }

  private async rollback(session: DatabendSession): Promise<void> {
    try {
      await session.exec('ROLLBACK');
    } catch (err) {
      // Unanswered: the transaction is left behind with the session; refused: it is over anyway.
      if (!(err instanceof DatabendQueryError)) session.abandon();
    }
  }

  /** Rejected records are reported and left out; under stopAtFirstFailure the batch ends before the first. */
  private leaveOut(pending: Pending, found: RecordFailure[]): void {
    if (found.length === 0) return;
    const bad = new Set(found.map((f) => f.record.offset));
    pending.prepared = null;
    if (pending.stopAtFirstFailure) {
      const first = found.reduce((a, b) => (BigInt(b.record.offset) < BigInt(a.record.offset) ? b : a));
      this.cut(pending, first);
      return;
    }
    pending.rejected.push(...found);
    pending.records = pending.records.filter((r) => !bad.has(r.offset));
  }

  /** Stages 1–3 of the write pipeline for the pending records, outside any transaction. */
  private async prepare(session: DatabendSession, pending: Pending): Promise<void> {
    while (pending.prepared === null) {
      const plan = this.writer.plan(pending.records);
      const failures: RecordFailure[] = [...plan.failed];
      const operations = await this.writer.prepare(session, plan.operations, failures);
      if (pending.stopAtFirstFailure && failures.length > 0) {
        this.cut(pending, failures.reduce((a, b) => (BigInt(b.record.offset) < BigInt(a.record.offset) ? b : a)));
        continue;
      }
      pending.prepared = { operations, failures };
    }
  }

  /** The batch ends right before `failure`'s record, which is what the offset then points at. */
  private cut(pending: Pending, failure: RecordFailure): void {
    const at = BigInt(failure.record.offset);
    pending.records = pending.records.filter((r) => BigInt(r.offset) < at);
    if (at < pending.next) pending.next = at;
    pending.stop = failure;
    pending.prepared = null;
  }

  /** The offsets table (once per process) and the partition's row (once per partition), outside any transaction. */
  private async ensureRow(session: DatabendSession, key: OffsetKey): Promise<void> {
    const { offsetsTable, quoting } = this.options;
    if (!this.tableReady) {
      for (const sql of createOffsetsTableSql(offsetsTable, quoting)) await session.exec(sql);
      const columns = new Set((await session.query(tableColumnsSql(offsetsTable.database ?? this.options.database, offsetsTable.table))).map(([name]) => name));
      const missing = Object.keys(OFFSETS_COLUMNS).filter((c) => !columns.has(c));
      if (missing.length > 0) {
        throw new SinkError(
          'CONFIG_INVALID',
          `exactly.once.offsets.table: ${this.describeTable()} exists but lacks the column(s) ${missing.join(', ')} of an offsets table (${Object.entries(OFFSETS_COLUMNS)
            .map(([c, t]) => `${c} ${t}`)
            .join(', ')}); name another table`,
        );
      }
      this.tableReady = true;
      this.log.info({ offsetsTable: this.describeTable(), groupId: this.options.groupId }, 'exactly-once: partition offsets are kept in Databend, written in the transaction of their rows');
    }
    if (this.seeded.has(seedKey(key))) return;
    await session.exec(seedOffsetSql(offsetsTable, key, quoting));
    this.seeded.add(seedKey(key));
  }

  private describeTable(): string {
    return `${this.options.offsetsTable.database ?? this.options.database}.${this.options.offsetsTable.table}`;
  }
}

function seedKey(key: OffsetKey): string {
  return `${key.topic}\u0000${key.partition}`;
}
