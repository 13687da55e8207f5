import { DatabendQueryError, describeServer, type DatabendServer, type DatabendSession } from '../src/databend/databend-session';

/** What `SELECT version()` gives on the engine the suite runs (current load path) and on an old server. */
export const CURRENT_SERVER: DatabendServer = describeServer('Databend Query v1.2.895-nightly-363a49c1dd(rust-1.94.0-nightly-2026-04-12T03:13:19.550514724Z)');
export const LEGACY_SERVER: DatabendServer = describeServer('Databend Query v1.2.780-nightly-ab12cd34(rust-1.75.0-nightly-2024-01-10T00:00:00Z)');

/**
 * A Databend session for writer unit tests: it answers the table-metadata query with fixed
 * `system.columns` rows (name, type, nullable, default) and records every statement and CSV load.
 */
export class RecordingSession implements DatabendSession {
  statements: string[] = [];
  /** Statements (and stage loads) matching this are rejected with `rejection`. */
  rejectWhen: RegExp | null = null;
  /** By default what Databend answers for a value that does not fit its column. */
  rejection = new DatabendQueryError(1006, 'statement failed: [1006]rejected');

  constructor(
    private readonly columns: (string | null)[][],
    readonly server: DatabendServer = CURRENT_SERVER,
  ) {}

  async exec(sql: string): Promise<number> {
    if (this.rejectWhen?.test(sql)) throw this.rejection;
    this.statements.push(sql);
    return 0;
  }
  async query(): Promise<(string | null)[][]> {
    return this.columns;
  }
  async loadCsv(sql: string, csv: string | Buffer): Promise<number> {
    if (this.rejectWhen?.test(`${sql} <csv> ${csv.toString()}`)) throw this.rejection;
    this.statements.push(`${sql} <csv> ${csv.toString()}`);
    return 0;
  }
  async close(): Promise<void> {}
}
