import * as fs from 'node:fs/promises';
import { DEFAULT_REQUEST_TIMEOUT_MS, type DatabendConnectionConfig } from './connection-options';
import { SinkError } from '../errors';
import { UNOBSERVED, type SinkEventPublisher } from '../events/sink-events';
import { jitteredBackoff } from '../retry/retry';
import { writeBatchFile } from './batch-files';
import { DatabendQueryError, describeServer, type DatabendServer, type DatabendSession } from './databend-session';
import { loginStatements } from '../dialect/session-settings';

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


/**
 * `call`, or a retriable DATABEND_UNAVAILABLE once `timeoutMs` passed without an answer: the driver
 * has no request timeout, and a Databend that stopped answering (process frozen, network black hole)
 * would otherwise hold the sink forever. The call itself is not cancelled: it may still complete on
 * the server (a write retried after a timeout may then be written twice: at-least-once); its late
 * outcome is dropped.
 */
export async function withRequestTimeout<T>(call: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SinkError('DATABEND_UNAVAILABLE', `${what}: Databend did not answer within ${timeoutMs} ms (databend.request.timeout.ms)`)),
      timeoutMs,
    );
  });
  call.catch(() => undefined);
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The driver calls a session makes (a subset of databend-driver's Connection). */
export type DriverCalls = Pick<DriverConnection, 'exec' | 'queryAll' | 'loadFile' | 'close'>;

/** Every call bounded by `timeoutMs` (`withRequestTimeout`). Exported for tests. */
export class DriverSession implements DatabendSession {
  /** Whether the last call got an answer (null before the first): published when it changes. */
  private reachable: boolean | null = null;
  private abandoned = false;

  constructor(
    private conn: DriverCalls,
    private readonly timeoutMs: number,
    readonly server: DatabendServer,
    /** A new server session, set up as this one was (`abandon`). */
    private readonly reopen: () => Promise<DriverCalls> = () => Promise.reject(new Error('this session cannot log in again')),
    private readonly events: SinkEventPublisher = UNOBSERVED,
  ) {}

  abandon(): void {
    if (this.abandoned) return;
    this.abandoned = true;
    // Logging out ends the server session; a statement still running in it finishes in its transaction, which nobody commits.
    void this.conn.close().catch(() => undefined);
  }

  /** The connection, logged in again after `abandon`. */
  private async connection(): Promise<DriverCalls> {
    if (this.abandoned) {
      this.conn = await withRequestTimeout(this.reopen(), this.timeoutMs, 'logging in to Databend again');
      this.abandoned = false;
    }
    return this.conn;
  }

  exec(sql: string): Promise<number> {
    return this.call('statement failed', async () => (await this.connection()).exec(sql));
  }

  query(sql: string): Promise<(string | null)[][]> {
    return this.call('query failed', async () => {
      const rows = await (await this.connection()).queryAll(sql);
      return rows.map((row) => row.values().map((v: unknown) => (v === null || v === undefined ? null : String(v))));
    });
  }

  // The driver's streamLoad(rows) cannot tell an empty string or the text \N from NULL (it leaves
  // both unquoted), so the sink writes its own CSV, with every value quoted, and loads the file.
  // The file is removed once the driver is done with it (after a timeout too, not while it reads).
  async loadCsv(sql: string, csv: string | Buffer): Promise<number> {
    const conn = await this.connection().catch((err: unknown) => {
      throw err instanceof SinkError ? err : classifyDriverError(err, 'stage load failed');
    });
    const file = await writeBatchFile(csv);
    const load = conn.loadFile(sql, file);
    void load.then(
      () => fs.rm(file, { force: true }),
      () => fs.rm(file, { force: true }),
    ).catch(() => undefined);
    return this.call('stage load failed', async () => Number((await load).writeRows));
  }

  /**
   * One driver call, bounded by the request timeout, its failure classified; whether Databend
   * answered (a refusal is an answer) is published when that changes.
   */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      const result = await withRequestTimeout(run(), this.timeoutMs, what);
      this.answered(true);
      return result;
    } catch (err) {
      const classified = err instanceof SinkError ? err : classifyDriverError(err, what);
      this.answered(!(classified instanceof SinkError && classified.code === 'DATABEND_UNAVAILABLE'), classified.message);
      throw classified;
    }
  }

  private answered(reachable: boolean, error?: string): void {
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    this.events.publish('databend', reachable ? { reachable } : { reachable, error });
  }

  async close(): Promise<void> {
    if (this.abandoned) return;
    await withRequestTimeout(this.conn.close(), this.timeoutMs, 'closing the connection').catch(() => undefined);
  }
}

/**
 * The DSN as the driver gets it: one HTTP request per call (`retry_count` counts requests in
 * databend-driver 0.33; its default is 3, with waits of up to 10 s).
 * The sink owns the retries (retry/retry.ts); appended last, it wins over a connection.* extra.
 */
export function driverDsn(dsn: string): string {
  return `${dsn}${dsn.includes('?') ? '&' : '?'}retry_count=1`;
}

/**
 * Connects with `connection.attempts` tries, about `connection.backoff.ms` apart (jittered). Every
 * login (the first, and each after `abandon`) sets the session's time zone to UTC and `settings`.
 */
export async function connectDatabend(
  config: DatabendConnectionConfig,
  onRetry: (attempt: number, error: Error) => void = () => undefined,
  events: SinkEventPublisher = UNOBSERVED,
  settings: Readonly<Record<string, string>> = {},
): Promise<DatabendSession> {
  const { Client } = loadDriver();
  let last: Error = new Error('no attempt made');
  for (let attempt = 1; attempt <= Math.max(1, config.attempts); attempt++) {
    try {
      const timeoutMs = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      const login = async () => {
        const conn = await new Client(driverDsn(config.dsn)).getConn();
        for (const sql of loginStatements(settings)) await conn.exec(sql);
        return conn;
      };
      const conn = await withRequestTimeout(login(), timeoutMs, `connecting to Databend at ${config.host}:${config.port}`);
      const probe = new DriverSession(conn, timeoutMs, { version: 'unknown', loadPath: 'statement' });
      const version = (await probe.query('SELECT version()'))[0]?.[0] ?? '';
      return new DriverSession(conn, timeoutMs, describeServer(version), login, events);
    } catch (err) {
      const classified = err instanceof SinkError || err instanceof DatabendQueryError ? err : classifyDriverError(err, `connecting to Databend at ${config.host}:${config.port}`);
      if (!(classified instanceof SinkError) || !classified.isRetriable) throw classified;
      last = classified;
      if (attempt < config.attempts) {
        onRetry(attempt, classified);
        await new Promise((r) => setTimeout(r, jitteredBackoff(config.backoffMs)));
      }
    }
  }
  throw last;
}
