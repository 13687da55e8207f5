import { DatabendQueryError, type DatabendSession } from './databend-connection';

/**
 * A Databend session for writer unit tests: it answers the table-metadata query with fixed
 * `system.columns` rows (name, type, nullable, default) and records every statement and CSV load.
 */
export class RecordingSession implements DatabendSession {
  statements: string[] = [];
  /** Statements matching this are rejected as Databend would reject a bad row. */
  rejectWhen: RegExp | null = null;

  constructor(private readonly columns: (string | null)[][]) {}

  async exec(sql: string): Promise<number> {
    if (this.rejectWhen?.test(sql)) throw new DatabendQueryError(1006, 'statement failed: [1006]rejected');
    this.statements.push(sql);
    return 0;
  }
  async query(): Promise<(string | null)[][]> {
    return this.columns;
  }
  async loadCsv(sql: string, csv: string | Buffer): Promise<number> {
    this.statements.push(`${sql} <csv> ${csv.toString()}`);
    return 0;
  }
  async close(): Promise<void> {}
}
