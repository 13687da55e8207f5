/**
 * The write pipeline: a batch of converted records → rows in Databend. Its stages, in order, each
 * in its own file:
 *
 * 1. plan (planner/batch-plan.ts, pure): records → operations per table (deletes, then rows of one
 *    shape), upserts collapsed to the last record per key; each value encoded once, here, into its
 *    field text (planner/row-encoding.ts with the dialect's value encoders).
 * 2. prepare tables (prepare-tables.ts): create (auto.create) or evolve (auto.evolve) each table.
 * 3. fit (planner/table-fit.ts, pure): the rows checked against the columns the table really has;
 *    then the operations of a table grouped into one load where that changes no row
 *    (planner/load-grouping.ts), against the columns after every operation's preparation.
 * 4. encode (dialect/encode-rows.ts): field texts → CSV bytes for a stage load, or a `VALUES` list.
 * 5. execute, one module per write mode chosen once from `insert.mode` (execute-insert.ts,
 *    execute-upsert.ts, execute-update.ts), tombstones through execute-delete.ts; SQL text from
 *    dialect/dml.ts; data never through driver params.
 * 6. isolate rejected rows (isolate-rejected.ts): a statement Databend rejects for a value is split
 *    in halves until the rejected records are found; the others are written exactly once.
 */
import { SinkError } from '../../errors';
import type { IdentifierQuoting } from '../../dialect/identifiers';
import { UNOBSERVED, type SinkEventPublisher } from '../../events/sink-events';
import type { Logger } from '../../logging/logger';
import { type BatchPlan, type BatchPlanOptions, BatchPlanner, type Operation, type WriteOperation } from '../../planner/batch-plan';
import { groupLoads } from '../../planner/load-grouping';
import { fitToTable } from '../../planner/table-fit';
import type { TableShape } from '../../planner/table-shape';
import type { InsertMode } from '../../planner/planner-options';
import type { RecordFailure, RecordWriter, WriteOptions } from '../../ports/record-writer';
import type { SinkRecord } from '../../record/sink-record';
import type { Schema } from '../../record/schema';
import type { DatabendSession } from '../databend-session';
import { SessionPool } from '../session-pool';
import { DELETE_STATEMENT, executeDelete } from './execute-delete';
import { insertMode } from './execute-insert';
import { updateMode } from './execute-update';
import { upsertMode } from './execute-upsert';
import { isolateRejected, sliceDelete, sliceWrite } from './isolate-rejected';
import { type PrepareTablesOptions, TableManager } from './prepare-tables';
import type { WriteMode } from './write-mode';

/** What the writer is configured with: the planner's options and the table preparation's. */
export interface DatabendWriterOptions extends BatchPlanOptions, PrepareTablesOptions {}

const WRITE_MODES: Record<InsertMode, WriteMode> = { insert: insertMode, upsert: upsertMode, update: updateMode };

/** The planner's options out of the writer's (the planner gets nothing else). */
export function plannerOptions(options: BatchPlanOptions): BatchPlanOptions {
  const { insertMode, deleteEnabled, pkMode, pkFields, fieldsWhitelist, tableNameFormat, timezone } = options;
  return { insertMode, deleteEnabled, pkMode, pkFields, fieldsWhitelist, tableNameFormat, timezone };
}

export class DatabendWriter implements RecordWriter {
  private readonly planner: BatchPlanner;
  private readonly tables: TableManager;
  private readonly pool: SessionPool;
  private readonly mode: WriteMode;
  private readonly quoting: IdentifierQuoting;

  constructor(
    sessions: DatabendSession[],
    options: DatabendWriterOptions,
    private readonly log: Logger,
    private readonly events: SinkEventPublisher = UNOBSERVED,
  ) {
    this.pool = new SessionPool(sessions);
    this.tables = new TableManager(options, log, events);
    this.planner = new BatchPlanner(plannerOptions(options));
    this.mode = WRITE_MODES[options.insertMode];
    this.quoting = options.quoteIdentifiers;
  }

  /** The table shape of records with these schemas (planner/batch-plan.ts `shapeFor`). */
  shapeFor(key: Schema | null, value: Schema): TableShape {
    return this.planner.shapeFor(key, value);
  }

  /**
   * With `stopAtFirstFailure`, a record that fails before any row is written (planning, table
   * checks) keeps the records after it in its partition out of Databend too: only those before it
   * are written, so the table holds a prefix of the partition up to the offset the task commits.
   */
  async write(records: SinkRecord[], options: WriteOptions = {}): Promise<RecordFailure[]> {
    if (records.length === 0) return [];
    const { operations: planned, failed, ignoredTombstones } = this.planner.plan(records);
    const failures: RecordFailure[] = [...failed];
    const executed = await this.pool.with(async (session) => {
      const operations = await this.prepare(session, planned, failures);
      if (options.stopAtFirstFailure && failures.length > 0) return false;
      for (const op of operations) {
        const started = Date.now();
        const refused = await this.isolate(session, op, (part) => this.run(session, part));
        failures.push(...refused);
        this.loaded(op, op.records.length - refused.length, Date.now() - started);
      }
      return true;
    });
    if (!executed) return [...failures, ...(await this.write(beforeFirstFailure(records, failures), options))];
    if (ignoredTombstones.length > 0) {
      const first = ignoredTombstones[0];
      this.log.warn({ count: ignoredTombstones.length, topic: first.topic, partition: first.partition, offset: first.offset }, 'tombstones ignored: delete.enabled is false');
    }
    return failures;
  }

  /**
   * The stages of a write, for a writer that runs them in a transaction of its own
   * (exactly-once-writer.ts): the planner, table preparation (DDL, never inside a transaction),
   * the execute stage without and with rejected-row isolation, and the session pool.
   */
  plan(records: readonly SinkRecord[]): BatchPlan {
    return this.planner.plan(records);
  }

  withSession<T>(work: (session: DatabendSession) => Promise<T>): Promise<T> {
    return this.pool.with(work);
  }

  /**
   * Stages 2–3: every table made ready (created, evolved), every row fitted to it, then a table's
   * operations grouped into one load (against the columns after every table's preparation);
   * record errors go to `failures`.
   */
  async prepare(session: DatabendSession, planned: readonly Operation[], failures: RecordFailure[]): Promise<Operation[]> {
    const operations: Operation[] = [];
    for (const op of planned) {
      if (op.kind === 'delete') {
        operations.push(op);
        continue;
      }
      try {
        await this.tables.ensure(session, op.table, op.shape);
      } catch (err) {
        if (!(err instanceof SinkError) || !err.isRecordError) throw err;
        for (const record of op.records) failures.push({ record, error: err.at(record) });
        continue;
      }
      // The table may say more than the record schemas (NOT NULL columns of a user-made table).
      const fit = fitToTable(op, this.tables.columnsOf(op.table), { quoting: this.quoting, tableName: this.tables.describe(op.table) });
      for (const { record, error } of fit.refused) failures.push({ record, error: error.at(record) });
      if (fit.op) operations.push(fit.op);
    }
    return groupLoads(operations, (table) => this.tables.columnsOf(table), this.quoting);
  }

  /** Stage 5 alone: runs the operation; throws what Databend throws (DatabendQueryError: refused). */
  run(session: DatabendSession, op: Operation): Promise<void> {
    return op.kind === 'delete' ? executeDelete(session, op, this.quoting).then(() => undefined) : this.mode.execute(session, op, this.quoting);
  }

  /** Publishes a finished load (the `load` event): rows written into the operation's table. */
  loaded(op: Operation, rows: number, durationMs: number): void {
    this.events.publish('load', { table: this.tables.describe(op.table), kind: op.kind, rows, durationMs });
  }

  /** Stage 6: `run` with rejected-row isolation; returns the rejected records, throws STATEMENT_REJECTED. */
  isolate(session: DatabendSession, op: Operation, run: (part: Operation) => Promise<void>): Promise<RecordFailure[]> {
    const refused = () => this.tables.invalidate(op.table);
    const stop = (statement: string) => (err: Error) =>
      new SinkError('STATEMENT_REJECTED', `Databend ${session.server.version} refused the ${statement} into ${this.tables.describe(op.table)}: ${err.message}`, undefined, { cause: err });
    if (op.kind === 'delete') return isolateRejected(op, { run, slice: sliceDelete, refused, statementRefused: stop(DELETE_STATEMENT) });
    return isolateRejected<WriteOperation>(op, { run, slice: sliceWrite, refused, statementRefused: stop(this.mode.statement(op, session.server)) });
  }
}

/** The records before the first failed one of their partition. */
function beforeFirstFailure(records: SinkRecord[], failures: RecordFailure[]): SinkRecord[] {
  const partition = (r: SinkRecord) => `${r.topic}\u0000${r.partition}`;
  const cut = new Map<string, bigint>();
  for (const { record } of failures) {
    const offset = BigInt(record.offset);
    const known = cut.get(partition(record));
    if (known === undefined || offset < known) cut.set(partition(record), offset);
  }
  return records.filter((r) => {
    const limit = cut.get(partition(r));
    return limit === undefined || BigInt(r.offset) < limit;
  });
}
