/**
 * The session port of the write pipeline (databend/write/): the calls it makes on Databend, the
 * server it talks to, and the error Databend returns for a statement. Two implementations: the
 * driver's (databend-connection.ts, the standalone sink) and the JVM's (connect/host-session.ts, the
 * Kafka Connect plugin). Nothing here touches Node: the plugin's bundle loads this file in GraalJS.
 */
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

/**
 * The Databend server a session talks to, learnt once at connect time. databend-driver picks its load
 * protocol from the version the server reports at login: above
 * 1.2.781 `loadFile(sql, file)` uploads the file to the user stage and runs
 * `<sql> FROM @~/client/load/<ts> FILE_FORMAT = (type = csv)` as a query, which the server binds as
 * a COPY of the upload (purged after); up to 1.2.781 it sends `<sql>` with a stage attachment. Servers
 * refuse `REPLACE … FROM @stage` ([1002]), so upserts on the current path go through a scratch table.
 */
export interface DatabendServer {
  /** The server's version as `SELECT version()` gives it (`1.2.895-nightly-…`), or its raw text when it has none. */
  version: string;
  /** `statement`: upload, then `<sql> FROM @~/…` (current servers); `attachment`: `<sql>` + stage attachment (≤ 1.2.781). */
  loadPath: 'statement' | 'attachment';
}

/** The highest server version databend-driver 0.33 still loads through stage attachments. */
const LAST_ATTACHMENT_VERSION: readonly [number, number, number] = [1, 2, 781];

/**
 * The server as `SELECT version()` describes it (`Databend Query v1.2.895-nightly-… (rust-…)`). A
 * version the sink cannot read is taken as current: the statement path's upsert (through a scratch
 * table) works on both paths.
 */
export function describeServer(versionText: string): DatabendServer {
  const m = /v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?/.exec(versionText);
  if (!m) return { version: versionText.trim() || 'unknown', loadPath: 'statement' };
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  const above = parts.map((n, i) => n - LAST_ATTACHMENT_VERSION[i]).find((d) => d !== 0) ?? 0;
  // A pre-release of 1.2.781 sorts before 1.2.781 (semver), so only a higher major.minor.patch is above it.
  return { version: `${m[1]}.${m[2]}.${m[3]}${m[4] ?? ''}`, loadPath: above > 0 ? 'statement' : 'attachment' };
}

/** The few operations the writer and table manager need; data never goes through driver params. */
export interface DatabendSession {
  readonly server: DatabendServer;
  /**
   * Whether `loadCsv` is given CSV text rather than bytes: the Kafka Connect plugin's session
   * (src/connect/host-session.ts) encodes text on the JVM, faster than the interpreter would.
   */
  readonly csvAsText?: boolean;
  exec(sql: string): Promise<number>;
  /** Rows as Databend's string forms (cast in SQL where exactness matters); null for NULL. */
  query(sql: string): Promise<(string | null)[][]>;
  /**
   * Stage load of CSV (as `encodeCsvBytes` writes it) for `INSERT INTO … VALUES` /
   * `REPLACE INTO … ON (…) VALUES`; returns rows written.
   */
  loadCsv(sql: string, csv: string | Buffer): Promise<number>;
  /**
   * Leaves the server session (and a transaction open in it) behind without another statement in
   * it: the next call logs in afresh. For a transaction whose statement timed out: it may still run
   * on the server, and a ROLLBACK sent meanwhile would let it commit on its own when it ends.
   */
  abandon(): void;
  close(): Promise<void>;
}
