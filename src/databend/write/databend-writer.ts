import type { SinkConfig } from '../config/sink-config';
import { SinkError } from '../errors';
import type { Logger } from '../logging/logger';
import { BatchPlanner, type DeleteOperation, type Operation, type WriteOperation } from '../planner/batch-plan';
import { type IdentifierQuoting, qualifiedName, quoteIdentifier } from '../planner/identifiers';
import type { TableRef } from '../planner/table-name';
import { encodeCsvBytes, encodeSqlValues } from '../planner/row-encoding';
import { fitToTable } from '../planner/table-fit';
import type { SinkRecord } from '../record/sink-record';
import type { RecordFailure, RecordWriter, WriteOptions } from '../ports/record-writer';
import { DatabendQueryError, isMissingTable, type DatabendServer, type DatabendSession } from './databend-connection';
import { SessionPool } from './session-pool';
import { TableManager } from './table-manager';

const DELETE_KEYS_PER_STATEMENT = 1000;

/**
 * Executes planned batches on Databend: table creation/evolution first, then each operation —
 * data through stage loads (rows of form `sql`, which the CSV cannot hold, as escaped literals in
 * `VALUES (…)`), never through driver params. A statement Databend rejects is split in halves until
 * the rejected records are isolated; the others are written exactly once.
 */
export class DatabendWriter implements RecordWriter {
  private readonly planner: BatchPlanner;
  private readonly tables: TableManager;
  private readonly pool: SessionPool;

  constructor(
    sessions: DatabendSession[],
    private readonly config: SinkConfig,
    private readonly log: Logger,
  ) {
    this.pool = new SessionPool(sessions);
    this.tables = new TableManager(config, log);
    this.planner = new BatchPlanner({
      insertMode: config.insertMode,
      deleteEnabled: config.deleteEnabled,
      pkMode: config.pkMode,
      pkFields: config.pkFields,
      fieldsWhitelist: config.fieldsWhitelist,
      tableNameFormat: config.tableNameFormat,
      timezone: config.dbTimezone,
    });
  }

  /**
   * With `stopAtFirstFailure`, a record that fails before any row is written (planning, table
   * checks) keeps the records after it in its partition out of Databend too: only those before it
   * are written, so the table holds a prefix of the partition up to the offset the task commits.
   */
  async write(records: SinkRecord[], options: WriteOptions = {}): Promise<RecordFailure[]> {
    if (records.length === 0) return [];
    const plan = this.planner.plan(records);
    const failures: RecordFailure[] = [...plan.failed];
    const executed = await this.pool.with(async (session) => {
      const operations: Operation[] = [];
      for (const op of plan.operations) {
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
        const fit = fitToTable(op, this.tables.columnsOf(op.table), { quoting: this.config.quoteIdentifiers, tableName: this.tables.describe(op.table) });
        for (const { record, error } of fit.refused) failures.push({ record, error: error.at(record) });
        if (fit.op) operations.push(fit.op);
      }
      if (options.stopAtFirstFailure && failures.length > 0) return false;
      for (const op of operations) failures.push(...(await this.execute(session, op)));
      return true;
    });
    if (!executed) return [...failures, ...(await this.write(beforeFirstFailure(records, failures), options))];
    if (plan.ignoredTombstones.length > 0) {
      const first = plan.ignoredTombstones[0];
      this.log.warn(
        { count: plan.ignoredTombstones.length, topic: first.topic, partition: first.partition, offset: first.offset },
        'tombstones ignored: delete.enabled is false',
      );
    }
    return failures;
  }

  private async execute(session: DatabendSession, op: Operation): Promise<RecordFailure[]> {
    if (op.kind === 'delete') return this.isolate(session, op, (part) => this.runDelete(session, part), sliceDelete);
    return this.isolate(session, op, (part) => this.runWrite(session, part), sliceWrite);
  }

  /**
   * Runs `op`; when Databend rejects a value of it, splits it until the rejected records are found.
   * A rejection of the statement itself (unsupported form, missing object, permission) is no
   * record's fault: it stops the sink, naming the statement, the table and the server.
   */
  private async isolate<T extends Operation>(session: DatabendSession, op: T, run: (part: T) => Promise<void>, slice: (op: T, from: number, to: number) => T): Promise<RecordFailure[]> {
    if (op.records.length === 0) return [];
    try {
      await run(op);
      return [];
    } catch (err) {
      if (!(err instanceof DatabendQueryError)) throw err;
      this.tables.invalidate(op.table);
      if (!isValueRejection(err)) {
        throw new SinkError('STATEMENT_REJECTED', `Databend ${session.server.version} refused the ${statementKind(op, session.server)} into ${this.tables.describe(op.table)}: ${err.message}`, undefined, { cause: err });
      }
      if (op.records.length === 1) {
        const record = op.records[0];
        return [{ record, error: new SinkError('ROW_REJECTED', `Databend rejected the row: ${err.message}`).at(record) }];
      }
      const mid = Math.ceil(op.records.length / 2);
      return [...(await this.isolate(session, slice(op, 0, mid), run, slice)), ...(await this.isolate(session, slice(op, mid, op.records.length), run, slice))];
    }
  }

  private target(op: Operation): string {
    return qualifiedName(op.table.database, op.table.table, this.config.quoteIdentifiers);
  }

  private async runWrite(session: DatabendSession, op: WriteOperation): Promise<void> {
    const quoting = this.config.quoteIdentifiers;
    const q = (name: string) => quoteIdentifier(name, quoting);
    const names = op.shape.columns.map((c) => c.name);
    const columns = names.map(q).join(', ');
    const target = this.target(op);
    // `sql` ends in `VALUES`: the op's rows follow as a stage-loaded CSV, or as literals (one statement).
    const write = async (sql: string) => {
      if (op.form === 'csv') await session.loadCsv(sql, encodeCsvBytes(op.rows));
      else await session.exec(`${sql} ${encodeSqlValues(op.rows)}`);
    };
    switch (op.kind) {
      case 'insert':
        await write(`INSERT INTO ${target} (${columns}) VALUES`);
        return;
      case 'upsert':
        if (op.form === 'csv') await upsertCsv(session, op.table, names, op.shape.keyColumns, quoting, encodeCsvBytes(op.rows));
        else await write(`REPLACE INTO ${target} (${columns}) ON (${op.shape.keyColumns.map(q).join(', ')}) VALUES`);
        return;
      case 'update': {
        const on = op.shape.keyColumns.map((k) => `t.${q(k)} = s.${q(k)}`).join(' AND ');
        const set = op.shape.columns.filter((c) => !c.key).map((c) => `${q(c.name)} = s.${q(c.name)}`);
        // Only key columns: nothing to update, and the rows must not be created.
        if (set.length === 0) return;
        await throughScratch(session, op.table, names, quoting, 'update', write, (scratch) => `MERGE INTO ${target} AS t USING (SELECT * FROM ${scratch}) AS s ON ${on} WHEN MATCHED THEN UPDATE SET ${set.join(', ')}`);
        return;
      }
    }
  }

  private async runDelete(session: DatabendSession, op: DeleteOperation): Promise<void> {
    const q = (name: string) => quoteIdentifier(name, this.config.quoteIdentifiers);
    const single = op.keyColumns.length === 1;
    const columns = single ? q(op.keyColumns[0].name) : `(${op.keyColumns.map((c) => q(c.name)).join(', ')})`;
    try {
      for (let i = 0; i < op.keys.length; i += DELETE_KEYS_PER_STATEMENT) {
        const tuples = op.keys.slice(i, i + DELETE_KEYS_PER_STATEMENT).map((k) => (single ? k[0] : `(${k.join(', ')})`));
        await session.exec(`DELETE FROM ${this.target(op)} WHERE ${columns} IN (${tuples.join(', ')})`);
      }
    } catch (err) {
      // Tombstones may arrive before any row of their table was written (tables are created for
      // rows only): a table that does not exist holds nothing to delete.
      if (isMissingTable(err)) return;
      throw err;
    }
  }
}

/**
 * Upserts CSV rows into `table` the way the server takes them: `REPLACE … VALUES` with the rows as a
 * stage attachment (servers ≤ 1.2.781), else — servers refuse `REPLACE … FROM @stage` — loaded into a
 * scratch table, then `REPLACE … SELECT`.
 */
export async function upsertCsv(session: DatabendSession, table: TableRef, columns: string[], keys: string[], quoting: IdentifierQuoting, csv: Buffer): Promise<void> {
  const q = (name: string) => quoteIdentifier(name, quoting);
  const replace = `REPLACE INTO ${qualifiedName(table.database, table.table, quoting)} (${columns.map(q).join(', ')}) ON (${keys.map(q).join(', ')})`;
  if (session.server.loadPath === 'attachment') {
    await session.loadCsv(`${replace} VALUES`, csv);
    return;
  }
  await throughScratch(session, table, columns, quoting, 'upsert', (insert) => session.loadCsv(insert, csv), (scratch) => `${replace} SELECT ${columns.map(q).join(', ')} FROM ${scratch}`);
}

/**
 * Loads rows into a scratch table of `table`'s columns (an INSERT, which every server loads from a
 * stage) through `write(<INSERT … VALUES>)`, runs `apply(scratch)` and drops the scratch table.
 */
let scratchCount = 0;

async function throughScratch(
  session: DatabendSession,
  table: TableRef,
  columns: string[],
  quoting: IdentifierQuoting,
  purpose: 'upsert' | 'update',
  write: (insertSql: string) => Promise<unknown>,
  apply: (scratch: string) => string,
): Promise<void> {
  const list = columns.map((c) => quoteIdentifier(c, quoting)).join(', ');
  // Unique per load: concurrent partition workers of one process may start a load in the same millisecond.
  const scratch = qualifiedName(table.database, `__databend_sink_${purpose}_${process.pid}_${Date.now()}_${++scratchCount}`, quoting);
  await session.exec(`CREATE TABLE ${scratch} AS SELECT ${list} FROM ${qualifiedName(table.database, table.table, quoting)} WHERE 1 = 0`);
  try {
    await write(`INSERT INTO ${scratch} (${list}) VALUES`);
    await session.exec(apply(scratch));
  } finally {
    await session.exec(`DROP TABLE IF EXISTS ${scratch}`);
  }
}

/**
 * Databend error codes that reject a value (CSV field or literal that does not fit its column,
 * overflow, bad date, bad JSON, constraint): the records are isolated and rejected one by one.
 * Any other error concerns the statement, and no record is to blame.
 */
const VALUE_REJECTION_CODES: ReadonlySet<number> = new Set([
  1006, // BadArguments: a literal that cannot be cast or evaluated for its column
  1010, // BadDataValueType
  1017, // DataStructMissMatch
  1018, // BadDataArrayLength
  1046, // BadBytes: a CSV field that does not parse for its column
  1049, // Overflow
  1060, // StrParseError
  1079, // InvalidDate
  1080, // InvalidTimestamp
  1090, // GeometryError
  1114, // UnmatchColumnDataType
  1133, // ConstraintError
  2513, // JiffError (dates and times)
]);

function isValueRejection(err: DatabendQueryError): boolean {
  return err.databendCode !== null && VALUE_REJECTION_CODES.has(err.databendCode);
}

function statementKind(op: Operation, server: DatabendServer): string {
  if (op.kind === 'delete') return 'DELETE of tombstoned keys';
  const rows = op.form === 'csv' ? `stage load (${server.loadPath === 'attachment' ? 'stage attachment' : 'upload, then INSERT … FROM @~'})` : 'SQL literals';
  switch (op.kind) {
    case 'insert':
      return `INSERT by ${rows}`;
    case 'upsert':
      return op.form === 'sql' || server.loadPath === 'attachment' ? `REPLACE by ${rows}` : `REPLACE through a scratch table loaded by ${rows}`;
    case 'update':
      return `MERGE (update) through a scratch table loaded by ${rows}`;
  }
}

function sliceWrite(op: WriteOperation, from: number, to: number): WriteOperation {
  return { ...op, rows: op.rows.slice(from, to), records: op.records.slice(from, to) };
}

function sliceDelete(op: DeleteOperation, from: number, to: number): DeleteOperation {
  return { ...op, keys: op.keys.slice(from, to), records: op.records.slice(from, to) };
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
