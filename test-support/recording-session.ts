import { DatabendQueryError, describeServer, type DatabendServer, type DatabendSession } from '../src/databend/databend-session';

/** What `SELECT version()` gives on the engine the suite runs (current load path) and on an old server. */
export const CURRENT_SERVER: DatabendServer = describeServer('Databend Query v1.2.895-nightly-363a49c1dd(rust-1.94.0-nightly-2026-04-12T03:13:19.550514724Z)');
export const LEGACY_SERVER: DatabendServer = describeServer('Databend Query v1.2.780-nightly-ab12cd34(rust-1.75.0-nightly-2024-01-10T00:00:00Z)');

/** What databend-driver throws, as `classifyDriverError` sorts it, for a commit that lost to a concurrent one (engine 1.2.895). */
export function commitConflict(): DatabendQueryError {
  return new DatabendQueryError(4001, 'statement failed: APIError: QueryFailed: [4001]Unresolvable conflict detected for table 17.');
}

const ABORTED = () => new DatabendQueryError(4002, 'statement failed: APIError: QueryFailed: [4002]Current transaction is aborted, commands ignored until end of transaction block');

/**
 * A Databend session for writer unit tests: it answers the table-metadata query with fixed
 * `system.columns` rows (name, type, nullable, default) and records every statement and CSV load.
 *
 * Transactions behave as on a server: after `BEGIN`, a failed statement fails the transaction,
 * every later statement but COMMIT/ROLLBACK is refused with [4002], and COMMIT then commits nothing
 * (and succeeds); `conflictingCommits` COMMITs fail with [4001] as when another session committed
 * the same rows first. `committed` holds what each successful COMMIT made durable.
 */
export class RecordingSession implements DatabendSession {
  /** Statements and stage loads (not queries). */
  statements: string[] = [];
  /** Everything sent, queries included, in order. */
  sent: string[] = [];
  /** Statements (and stage loads) matching this are rejected with `rejection`. */
  rejectWhen: RegExp | null = null;
  /** By default what Databend answers for a value that does not fit its column. */
  rejection = new DatabendQueryError(1006, 'statement failed: [1006]rejected');
  /** Answers a query (e.g. of the offsets table); undefined: the `system.columns` rows. */
  answer: (sql: string) => (string | null)[][] | undefined = () => undefined;
  /** Rows an `exec` reports (e.g. an UPDATE's), undefined: 0. */
  affected: (sql: string) => number | undefined = () => undefined;
  /** How many of the next COMMITs fail with [4001]. */
  conflictingCommits = 0;
  /** Statements of each committed transaction, in order. */
  committed: string[][] = [];
  abandoned = 0;
  private transaction: { failed: boolean; statements: string[] } | null = null;

  constructor(
    private readonly columns: (string | null)[][],
    readonly server: DatabendServer = CURRENT_SERVER,
  ) {}

  async exec(sql: string): Promise<number> {
    const verb = sql.trim().toUpperCase();
    if (verb === 'BEGIN') {
      this.statements.push(sql);
      this.sent.push(sql);
      this.transaction ??= { failed: false, statements: [] };
      return 0;
    }
    if (verb === 'COMMIT' || verb === 'ROLLBACK') return this.end(sql, verb);
    this.run(sql);
    return this.affected(sql) ?? 0;
  }

  async query(sql: string): Promise<(string | null)[][]> {
    if (this.transaction?.failed) throw ABORTED();
    this.sent.push(sql);
    this.transaction?.statements.push(sql);
    return this.answer(sql) ?? this.columns;
  }

  async loadCsv(sql: string, csv: string | Buffer): Promise<number> {
    this.run(`${sql} <csv> ${csv.toString()}`);
    return 0;
  }

  abandon(): void {
    this.abandoned++;
    this.sent.push('<abandoned>');
    this.transaction = null;
  }

  async close(): Promise<void> {}

  private run(statement: string): void {
    if (this.transaction?.failed) throw ABORTED();
    if (this.rejectWhen?.test(statement)) {
      if (this.transaction) this.transaction.failed = true;
      throw this.rejection;
    }
    this.statements.push(statement);
    this.sent.push(statement);
    this.transaction?.statements.push(statement);
  }

  private end(sql: string, verb: 'COMMIT' | 'ROLLBACK'): number {
    this.statements.push(sql);
    this.sent.push(sql);
    const transaction = this.transaction;
    this.transaction = null;
    if (verb === 'COMMIT' && transaction && !transaction.failed) {
      if (this.conflictingCommits > 0) {
        this.conflictingCommits--;
        throw commitConflict();
      }
      this.committed.push(transaction.statements);
    }
    return 0;
  }
}
