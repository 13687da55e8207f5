/**
 * `connection.url` in either accepted form (`jdbc:databend://…` as the Java connector wrote it, or
 * a databend-driver `databend://…` DSN) → its parts, and the connection.* keys → the DSN that
 * databend-driver gets. Error messages never repeat the URL: it may carry a password.
 */
import type { DatabendDsn } from '../databend/connection-options';

export class ConnectionUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionUrlError';
  }
}

export interface ParsedDatabendUrl {
  /** Which form was written: decides the TLS default. */
  form: 'jdbc' | 'databend';
  /** Host as written; IPv6 in brackets. */
  host: string;
  port: number | null;
  user?: string;
  password?: string;
  database?: string;
  /** Query parameters in order, user/password removed. */
  params: Record<string, string>;
}

export function parseDatabendUrl(url: string): ParsedDatabendUrl {
  const trimmed = url.trim();
  let form: ParsedDatabendUrl['form'];
  let rest: string;
  if (/^jdbc:databend:\/\//i.test(trimmed)) {
    form = 'jdbc';
    rest = trimmed.slice('jdbc:'.length);
  } else if (/^databend:\/\//i.test(trimmed)) {
    form = 'databend';
    rest = trimmed;
  } else {
    throw new ConnectionUrlError('must start with jdbc:databend:// or databend://');
  }
  const authority = /^databend:\/\/([^/?#]*)/i.exec(rest)?.[1] ?? '';
  const hostPart = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPart.includes(',')) throw new ConnectionUrlError('must name one host (several comma-separated hosts are not supported)');
  let parsed: URL;
  try {
    parsed = new URL(`databend:${rest.slice('databend:'.length)}`);
  } catch {
    throw new ConnectionUrlError('is not a valid URL (expected jdbc:databend://host[:port][/database][?…] or databend://…)');
  }
  if (parsed.hostname === '') throw new ConnectionUrlError('has no host');
  if (parsed.hash !== '') throw new ConnectionUrlError('must not have a #fragment');
  const path = decode(parsed.pathname.replace(/^\//, ''), 'database');
  if (path.includes('/')) throw new ConnectionUrlError('path must be at most one database name (/database)');
  const params: Record<string, string> = {};
  let queryUser: string | undefined;
  let queryPassword: string | undefined;
  for (const [k, v] of parsed.searchParams) {
    if (k === 'user') queryUser = v;
    else if (k === 'password') queryPassword = v;
    else params[k] = v;
  }
  const user = parsed.username !== '' ? decode(parsed.username, 'user') : queryUser;
  const password = parsed.username !== '' || parsed.password !== '' ? decode(parsed.password, 'password') : queryPassword;
  return {
    form,
    host: parsed.hostname,
    port: parsed.port === '' ? null : Number(parsed.port),
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(path !== '' ? { database: path } : {}),
    params,
  };
}

function decode(s: string, what: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new ConnectionUrlError(`has a malformed percent-escape in the ${what}`);
  }
}

export interface DatabendDsnInput {
  url: ParsedDatabendUrl;
  /** connection.user / connection.password / connection.database: override the URL's. */
  user?: string;
  password?: string;
  database?: string;
  /** Other connection.* keys, prefix removed: DSN query parameters, overriding the URL's. */
  extras: Record<string, string>;
}

export const DEFAULT_USER = 'root';
export const DEFAULT_DATABASE = 'default';

/**
 * Builds the DSN. TLS: `ssl=true|false` or `sslmode=enable|disable` (URL or connection.* extra,
 * extras win); without either, jdbc URLs mean plain HTTP (the JDBC driver's default) and
 * databend:// URLs TLS (databend-driver's default). Port: 443 with TLS, else 8000.
 * Throws ConnectionUrlError for an unknown or contradictory TLS setting.
 */
export function buildDatabendDsn(input: DatabendDsnInput): DatabendDsn {
  const params: Record<string, string> = { ...input.url.params, ...input.extras };
  const fromSsl = params.ssl === undefined ? undefined : parseBool(params.ssl, 'ssl must be true or false');
  const fromMode = params.sslmode === undefined ? undefined : parseMode(params.sslmode);
  if (fromSsl !== undefined && fromMode !== undefined && fromSsl !== fromMode) {
    throw new ConnectionUrlError(`ssl=${params.ssl} contradicts sslmode=${params.sslmode}; set one of them`);
  }
  const ssl = fromSsl ?? fromMode ?? input.url.form === 'databend';
  delete params.ssl;
  delete params.sslmode;
  const host = input.url.host;
  const port = input.url.port ?? (ssl ? 443 : 8000);
  const user = input.user ?? input.url.user ?? DEFAULT_USER;
  const password = input.password ?? input.url.password ?? '';
  const database = input.database ?? input.url.database ?? DEFAULT_DATABASE;
  const query = [`sslmode=${ssl ? 'enable' : 'disable'}`, ...Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)].join('&');
  const dsn = `databend://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}?${query}`;
  return { dsn, host, port, user, password, database, ssl, params };
}

function parseBool(v: string, message: string): boolean {
  const s = v.trim().toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw new ConnectionUrlError(message);
}

function parseMode(v: string): boolean {
  const s = v.trim().toLowerCase();
  if (s === 'enable') return true;
  if (s === 'disable') return false;
  throw new ConnectionUrlError('sslmode must be enable or disable');
}
