import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatabendConnectionConfig } from '../config/sink-config';
import { SinkError } from '../errors';

// databend-driver logs to stdout unless told otherwise, and reads RUST_LOG when it is loaded.
process.env.RUST_LOG = 'off';
type Driver = typeof import('databend-driver');
type DriverConnection = Awaited<ReturnType<InstanceType<Driver['Client']>['getConn']>>;
let driver: Driver | null = null;
function loadDriver(): Driver {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  driver ??= require('databend-driver') as Driver;
  return driver;
}

/** An error Databend returned for a statement (as opposed to Databend being unreachable). */
export class DatabendQueryError extends Error {
  constructor(
    readonly databendCode: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'DatabendQueryError';
  }
}

const UNKNOWN_DATABASE = 1003;
const UNKNOWN_TABLE = 1025;

/** Databend rejected the statement because its table (or the table's database) does not exist. */
export function isMissingTable(err: unknown): boolean {
  return err instanceof DatabendQueryError && (err.databendCode === UNKNOWN_TABLE || err.databendCode === UNKNOWN_DATABASE);
}

const UNAVAILABLE = /error sending request|connection refused|tcp connect|timed out|timeout|connection reset|broken pipe|status(?: code)?:? 5\d\d|\b50[234]\b|service unavailable|dns error/i;

/**
 * Sorts a driver error into "Databend is unreachable" (retriable) and "Databend rejected the
 * statement" (with its error code when the message carries one). The DSN, and so the password,
 * never reaches a message: the driver's messages name the request, not the URL.
 */
export function classifyDriverError(err: unknown, what: string): SinkError | DatabendQueryError {
  const message = err instanceof Error ? err.message : String(err);
  if (UNAVAILABLE.test(message)) return new SinkError('DATABEND_UNAVAILABLE', `${what}: Databend is unreachable: ${firstLine(message)}`, undefined, { cause: err });
  if (/auth|401|password|denied/i.test(message) && /login|auth/i.test(message)) {
    return new SinkError('CONFIG_INVALID', `${what}: Databend refused the credentials of connection.user: ${firstLine(message)}`);
  }
  const code = /\bcode[:= ]\s*(\d+)|\[(\d{3,5})\]|with (\d{3,5}):/i.exec(message);
  return new DatabendQueryError(code ? Number(code[1] ?? code[2] ?? code[3]) : null, `${what}: ${firstLine(message)}`);
}

function firstLine(message: string): string {
  return message.split('\n')[0].slice(0, 2000);
}

/** The few operations the writer and table manager need; data never goes through driver params. */
export interface DatabendSession {
  exec(sql: string): Promise<number>;
  /** Rows as Databend's string forms (cast in SQL where exactness matters); null for NULL. */
  query(sql: string): Promise<(string | null)[][]>;
  /**
   * Stage load of CSV text (as `encodeCsv` writes it) for `INSERT INTO … VALUES` /
   * `REPLACE INTO … ON (…) VALUES`; returns rows written.
   */
  loadCsv(sql: string, csv: string): Promise<number>;
  close(): Promise<void>;
}

class DriverSession implements DatabendSession {
  constructor(private readonly conn: DriverConnection) {}

  async exec(sql: string): Promise<number> {
    try {
      return await this.conn.exec(sql);
    } catch (err) {
      throw classifyDriverError(err, 'statement failed');
    }
  }

  async query(sql: string): Promise<(string | null)[][]> {
    try {
      const rows = await this.conn.queryAll(sql);
      return rows.map((row) => row.values().map((v: unknown) => (v === null || v === undefined ? null : String(v))));
    } catch (err) {
      throw classifyDriverError(err, 'query failed');
    }
  }

  // The driver's streamLoad(rows) cannot tell an empty string or the text \N from NULL (it leaves
  // both unquoted), so the sink writes its own CSV, with every value quoted, and loads the file.
  async loadCsv(sql: string, csv: string): Promise<number> {
    const file = path.join(os.tmpdir(), `databend-sink-${process.pid}-${randomUUID()}.csv`);
    await fs.writeFile(file, csv);
    try {
      const stats = await this.conn.loadFile(sql, file);
      return Number(stats.writeRows);
    } catch (err) {
      throw classifyDriverError(err, 'stage load failed');
    } finally {
      await fs.rm(file, { force: true });
    }
  }

  async close(): Promise<void> {
    await this.conn.close().catch(() => undefined);
  }
}

/** Connects with `connection.attempts` tries, `connection.backoff.ms` apart. */
export async function connectDatabend(config: DatabendConnectionConfig, onRetry: (attempt: number, error: Error) => void = () => undefined): Promise<DatabendSession> {
  const { Client } = loadDriver();
  let last: Error = new Error('no attempt made');
  for (let attempt = 1; attempt <= Math.max(1, config.attempts); attempt++) {
    try {
      const conn = await new Client(config.dsn).getConn();
      const session = new DriverSession(conn);
      // Values are rendered in UTC by the sink; the session must not shift them.
      await session.exec("SET timezone = 'UTC'");
      return session;
    } catch (err) {
      const classified = err instanceof SinkError || err instanceof DatabendQueryError ? err : classifyDriverError(err, `connecting to Databend at ${config.host}:${config.port}`);
      if (!(classified instanceof SinkError) || !classified.isRetriable) throw classified;
      last = classified;
      if (attempt < config.attempts) {
        onRetry(attempt, classified);
        await new Promise((r) => setTimeout(r, config.backoffMs));
      }
    }
  }
  throw last;
}
