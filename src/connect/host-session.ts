/**
 * The Databend session port (databend/databend-connection.ts) over the Kafka Connect plugin's JVM
 * side: the Java class `DatabendHttpSession` speaks Databend's HTTP protocol and answers each call
 * synchronously with a JSON text, so that the writer's promises settle within the call that
 * started them. Each load names the path `describeServer` chose from the server's version, as
 * databend-driver chooses it: `load-statement` (the CSV uploaded through a presigned URL, then
 * `<sql> FROM @~/… FILE_FORMAT = (type = csv)`) or `load-attachment` (uploaded with
 * `/v1/upload_to_stage`, then `<sql>` with a stage attachment). No file is written: Confluent
 * Cloud forbids local files.
 */
import { SinkError } from '../errors';
import { DatabendQueryError, describeServer, type DatabendServer, type DatabendSession } from '../databend/databend-session';

/** What a host call does: run a statement, run a query, or load CSV by the server's load path. */
export type HostCall = 'exec' | 'query' | `load-${DatabendServer['loadPath']}`;

/** The Java object's calls (host access: exported methods only). */
export interface DatabendHost {
  /** `SELECT version()`'s text, read at connect. */
  serverVersion(): string;
  /** `kind`: exec | query | load-statement | load-attachment (`csv` the CSV text); answers `HostAnswer` as JSON. */
  call(kind: HostCall, sql: string, csv: string | null): string;
  /** Drops the server session; the next call logs in afresh. */
  abandon(): void;
  close(): void;
}

/** A call's answer: rows (query), rows affected (exec, load), or what went wrong. */
type HostAnswer =
  | { ok: true; affected?: number; rows?: (string | null)[][] }
  | { ok: false; unavailable: boolean; refusedLogin?: boolean; code: number | null; message: string };

export class HostSession implements DatabendSession {
  readonly server: DatabendServer;
  readonly csvAsText = true;

  constructor(private readonly host: DatabendHost) {
    this.server = describeServer(host.serverVersion());
  }

  exec(sql: string): Promise<number> {
    return this.call('statement failed', 'exec', sql, null).then((a) => a.affected ?? 0);
  }

  query(sql: string): Promise<(string | null)[][]> {
    return this.call('query failed', 'query', sql, null).then((a) => a.rows ?? []);
  }

  loadCsv(sql: string, csv: string | Buffer): Promise<number> {
    return this.call('stage load failed', `load-${this.server.loadPath}`, sql, typeof csv === 'string' ? csv : csv.toString('utf8')).then((a) => a.affected ?? 0);
  }

  abandon(): void {
    this.host.abandon();
  }

  close(): Promise<void> {
    this.host.close();
    return Promise.resolve();
  }

  /** One host call; failures classified as the driver session classifies them (unreachable: retriable). */
  private call(what: string, kind: HostCall, sql: string, csv: string | null): Promise<{ affected?: number; rows?: (string | null)[][] }> {
    const answer = JSON.parse(this.host.call(kind, sql, csv)) as HostAnswer;
    if (answer.ok) return Promise.resolve(answer);
    const error = answer.unavailable
      ? new SinkError('DATABEND_UNAVAILABLE', `${what}: Databend is unreachable: ${answer.message}`)
      : answer.refusedLogin
        ? new SinkError('CONFIG_INVALID', `${what}: Databend refused the credentials of connection.user: ${answer.message}`)
        : new DatabendQueryError(answer.code, `${what}: ${answer.code !== null ? `[${answer.code}] ` : ''}${answer.message}`);
    return Promise.reject(error);
  }
}
