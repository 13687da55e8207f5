/** What a Databend connection is made from; config/connection-url.ts builds it from the connection.* keys. */
export interface DatabendDsn {
  dsn: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  ssl: boolean;
  /** Query parameters other than sslmode, as put into the DSN. */
  params: Record<string, string>;
}

/** The DSN parts plus the connect retry policy. */
export interface DatabendConnectionConfig extends DatabendDsn {
  attempts: number;
  backoffMs: number;
  /** `databend.request.timeout.ms`: longest wait for one Databend call; absent: DEFAULT_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
}

/** `databend.request.timeout.ms` when a connection config does not say. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;
