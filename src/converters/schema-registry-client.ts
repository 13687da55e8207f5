/**
 * Schema lookups by id against a Confluent-compatible schema registry (Confluent, Apicurio's
 * ccompat API, Redpanda, Karapace), over Node's own HTTP client, caching the registry's raw
 * answer: the converters translate each schema once, with their own rules, into the record model.
 *
 * Every failure is told apart, because each calls for something else:
 * - the registry's own "not found" (HTTP 404 with error code 40401/40402/40403): SCHEMA_NOT_FOUND,
 *   a record error (the record names a schema the registry does not have);
 * - any other 404, or an answer that is not JSON: the URL does not point at a Schema Registry API
 *   (a wrong base path), a config error naming `<prefix>.schema.registry.url` — never read as
 *   "schema not found", which under errors.tolerance=all would skip every record;
 * - 401/403: credentials missing or rejected, a config error naming the credential keys;
 * - no connection, no answer in time, 5xx: SCHEMA_REGISTRY_UNAVAILABLE, retried by the sink, with
 *   the network reason (connection refused, host not found, timeout), never a made-up status.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { registryUnavailable, schemaNotFound } from './converter-errors';
import { SinkError } from '../errors';

export type SchemaFormat = 'AVRO' | 'JSON' | 'PROTOBUF';

/** A schema another schema refers to by name (Confluent schema references), already fetched. */
export interface ReferencedSchema {
  name: string;
  subject: string;
  version: number;
  format: SchemaFormat;
  schema: string;
}

export interface RegisteredSchema {
  id: number;
  format: SchemaFormat;
  /** The schema text as registered. */
  schema: string;
  /** Transitive references, each listed once, dependencies before the schemas that use them. */
  references: ReferencedSchema[];
}

/** What the converters need from a registry; tests substitute an in-process fake. */
export interface SchemaSource {
  /** Throws SinkError SCHEMA_NOT_FOUND (unknown id), SCHEMA_REGISTRY_UNAVAILABLE (retriable) or CONFIG_INVALID (wrong URL or credentials). */
  getSchema(id: number): Promise<RegisteredSchema>;
}

export interface SchemaRegistryClientOptions {
  /** `schema.registry.url`; of a comma-separated list the first URL is used. */
  url: string;
  /** `user:password` (basic.auth.user.info); user info in the URL is used when this is absent. */
  basicAuthUserInfo?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** The converter whose keys configure this registry (`key.converter`, `value.converter`), named in config errors. */
  configPrefix?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_REASON_LENGTH = 200;
/** The registry's "not found" error codes: subject, version, schema. */
const NOT_FOUND_CODES: ReadonlySet<number> = new Set([40401, 40402, 40403]);
const ACCEPT = 'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json';
/** Start-up probe: attempts against a registry that does not accept connections, and the wait between them. */
const PROBE_ATTEMPTS = 3;
const PROBE_BACKOFF_MS = 1_000;
const PROBE_TIMEOUT_MS = 10_000;

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connect timeout',
  EPROTO: 'TLS handshake failed',
};

interface RegistryAnswer {
  schema?: unknown;
  schemaType?: unknown;
  references?: unknown;
}

/** One HTTP exchange: the status and the body parsed as JSON (undefined when it is not JSON). */
interface Exchange {
  status: number;
  body: unknown;
}

/** No HTTP answer at all: refused, unresolvable, timed out. */
class NoAnswer extends Error {}

export class SchemaRegistryClient implements SchemaSource {
  /** Where the registry is, without credentials: safe for messages. */
  readonly safeUrl: string;
  private readonly authorization: string | undefined;
  private readonly byId = new Map<number, Promise<RegisteredSchema>>();
  private readonly timeoutMs: number;
  private readonly prefixes: string[];

  constructor(options: SchemaRegistryClientOptions) {
    const { host, auth } = parseRegistryUrl(options.url, options.basicAuthUserInfo);
    this.safeUrl = host;
    this.authorization = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : undefined;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.prefixes = [options.configPrefix ?? 'value.converter'];
  }

  /** Another converter (`key.converter` / `value.converter`) uses the same registry: its keys are named too. */
  sharedWith(configPrefix: string): void {
    if (!this.prefixes.includes(configPrefix)) this.prefixes.push(configPrefix);
  }

  /** Fetched once per id: concurrent and later lookups share the first request; failures are not cached. */
  getSchema(id: number): Promise<RegisteredSchema> {
    let pending = this.byId.get(id);
    if (!pending) {
      pending = this.fetch(id);
      this.byId.set(id, pending);
      pending.catch(() => this.byId.delete(id));
    }
    return pending;
  }

  /**
   * Checks at start that the URL is a Confluent-compatible Schema Registry that accepts the
   * credentials (`GET /subjects` answers a JSON list). Resolves when it is; throws CONFIG_INVALID
   * naming the key to fix when it is not (not reachable after a few attempts, not the registry API,
   * credentials missing or rejected), SCHEMA_REGISTRY_UNAVAILABLE on a server error.
   */
  async probe(): Promise<void> {
    let exchange: Exchange | undefined;
    for (let attempt = 1; exchange === undefined; attempt++) {
      try {
        exchange = await this.get('/subjects', Math.min(this.timeoutMs, PROBE_TIMEOUT_MS));
      } catch (err) {
        if (!(err instanceof NoAnswer)) throw err;
        if (attempt >= PROBE_ATTEMPTS) {
          throw new SinkError('CONFIG_INVALID', `schema registry ${this.safeUrl} is not reachable (${err.message}, ${PROBE_ATTEMPTS} attempts): check ${this.keys('schema.registry.url')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, PROBE_BACKOFF_MS));
      }
    }
    const { status, body } = exchange;
    if (status === 401 || status === 403) throw this.credentialsRejected(status);
    if (status >= 500) throw registryUnavailable(`schema registry ${this.safeUrl} answered GET /subjects with HTTP ${status}${this.detail(body)}`);
    if (status !== 200 || !Array.isArray(body)) {
      throw new SinkError(
        'CONFIG_INVALID',
        `${this.safeUrl} does not answer as a Confluent-compatible Schema Registry (GET /subjects: HTTP ${status}${status === 200 ? ', not a JSON list' : ''}): check ${this.keys('schema.registry.url')} (the base URL of the registry API, e.g. Apicurio's …/apis/ccompat/v7)`,
      );
    }
  }

  private async fetch(id: number): Promise<RegisteredSchema> {
    const answer = await this.call(`/schemas/ids/${id}`, `schema id ${id}`, () => schemaNotFound(id));
    const { format, schema } = readAnswer(answer, `schema id ${id}`);
    const references = await this.resolveReferences(answer.references, new Map());
    return { id, format, schema, references };
  }

  private async resolveReferences(raw: unknown, seen: Map<string, ReferencedSchema>): Promise<ReferencedSchema[]> {
    const out: ReferencedSchema[] = [];
    for (const ref of parseReferences(raw)) {
      const key = `${ref.subject}\u0000${ref.version}`;
      if (seen.has(key)) continue;
      const what = `subject ${ref.subject} version ${ref.version}`;
      const answer = await this.call(
        `/subjects/${encodeURIComponent(ref.subject)}/versions/${encodeURIComponent(String(ref.version))}`,
        `referenced ${what}`,
        () => new SinkError('SCHEMA_NOT_FOUND', `referenced schema ${ref.name} (${what}) not found in the schema registry`),
      );
      const { format, schema } = readAnswer(answer, what);
      const resolved: ReferencedSchema = { ...ref, format, schema };
      seen.set(key, resolved);
      out.push(...(await this.resolveReferences(answer.references, seen)), resolved);
    }
    return out;
  }

  private async call(path: string, what: string, notFound: () => SinkError): Promise<RegistryAnswer> {
    let exchange: Exchange;
    try {
      exchange = await this.get(path, this.timeoutMs);
    } catch (err) {
      if (err instanceof NoAnswer) throw registryUnavailable(`schema registry ${this.safeUrl} failed while fetching ${what}: ${err.message}`);
      throw err;
    }
    const { status, body } = exchange;
    if (status === 200) {
      if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as RegistryAnswer;
      throw new SinkError('CONFIG_INVALID', `${this.safeUrl} answered ${what} with something that is not a Schema Registry answer (not a JSON object): check ${this.keys('schema.registry.url')}`);
    }
    if (status === 404 && NOT_FOUND_CODES.has(errorCode(body) ?? 0)) throw notFound();
    if (status === 404) {
      throw new SinkError(
        'CONFIG_INVALID',
        `${this.safeUrl} answered ${what} with HTTP 404 without a Schema Registry error code: it is not the base URL of a Confluent-compatible Schema Registry API; check ${this.keys('schema.registry.url')}`,
      );
    }
    if (status === 401 || status === 403) throw this.credentialsRejected(status);
    throw registryUnavailable(`schema registry ${this.safeUrl} failed while fetching ${what}: HTTP ${status}${this.detail(body)}`);
  }

  /** GET relative to the registry URL; throws NoAnswer when no HTTP answer came. */
  private get(path: string, timeoutMs: number): Promise<Exchange> {
    const url = new URL(`${this.safeUrl}${path}`);
    const headers: Record<string, string> = { accept: ACCEPT };
    if (this.authorization) headers.authorization = this.authorization;
    return new Promise((resolve, reject) => {
      const request = (url.protocol === 'https:' ? https : http).get(url, { headers, timeout: timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (err) => reject(new NoAnswer(networkReason(err))));
        response.on('end', () => {
          let body: unknown;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            body = undefined;
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
      });
      request.on('timeout', () => request.destroy(new NoAnswer(`no answer within ${timeoutMs} ms`)));
      request.on('error', (err) => reject(err instanceof NoAnswer ? err : new NoAnswer(networkReason(err))));
    });
  }

  private credentialsRejected(status: number): SinkError {
    const fix = this.authorization
      ? `the credentials were rejected: check ${this.keys('basic.auth.user.info')} (or the user info in ${this.keys('schema.registry.url')}, per ${this.keys('basic.auth.credentials.source')})`
      : `the registry needs credentials: set ${this.keys('basic.auth.credentials.source')}=USER_INFO and ${this.keys('basic.auth.user.info')}`;
    return new SinkError('CONFIG_INVALID', `schema registry ${this.safeUrl} answered HTTP ${status}: ${fix}`);
  }

  /** `: <the registry's message>`, cut short; never more than the registry said. */
  private detail(body: unknown): string {
    const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
    if (typeof message !== 'string' || message === '') return '';
    return `: ${message.length > MAX_REASON_LENGTH ? `${message.slice(0, MAX_REASON_LENGTH)}…` : message}`;
  }

  /** `value.converter.<suffix>`, or both converters' keys when they share this registry. */
  private keys(suffix: string): string {
    return this.prefixes.map((p) => `${p}.${suffix}`).join(' / ');
  }
}

function errorCode(body: unknown): number | undefined {
  const code = typeof body === 'object' && body !== null ? (body as { error_code?: unknown }).error_code : undefined;
  return typeof code === 'number' ? code : undefined;
}

/** Why no answer came: `connection refused (ECONNREFUSED)`, `host name not found (ENOTFOUND)`, or the error's own message. */
function networkReason(err: NodeJS.ErrnoException): string {
  return err.code ? `${NETWORK_REASONS[err.code] ?? err.message} (${err.code})` : err.message;
}

function readAnswer(answer: RegistryAnswer, what: string): { format: SchemaFormat; schema: string } {
  if (typeof answer.schema !== 'string') throw registryUnavailable(`schema registry answer for ${what} has no schema text`);
  const type = answer.schemaType === undefined || answer.schemaType === null ? 'AVRO' : String(answer.schemaType).toUpperCase();
  if (type !== 'AVRO' && type !== 'JSON' && type !== 'PROTOBUF') {
    throw new SinkError('RECORD_UNDECODABLE', `${what} has unsupported schema type ${type}`);
  }
  return { format: type, schema: answer.schema };
}

function parseReferences(raw: unknown): { name: string; subject: string; version: number }[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((r): r is { name: unknown; subject: unknown; version: unknown } => typeof r === 'object' && r !== null)
    .map((r) => ({ name: String(r.name), subject: String(r.subject), version: Number(r.version) }));
}

/** First URL of the list, credentials moved out of it. */
export function parseRegistryUrl(urls: string, userInfo?: string): { host: string; auth?: { username: string; password: string } } {
  const first = urls.split(',')[0].trim();
  let host: string;
  let fromUrl: string | undefined;
  try {
    const url = new URL(first);
    if (url.username || url.password) fromUrl = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    url.username = '';
    url.password = '';
    host = url.toString();
  } catch {
    throw new SinkError('CONFIG_INVALID', 'schema.registry.url is not a valid URL');
  }
  host = host.replace(/\/+$/, '');
  const info = userInfo ?? fromUrl;
  if (info === undefined || info === '') return { host };
  const colon = info.indexOf(':');
  return { host, auth: colon < 0 ? { username: info, password: '' } : { username: info.slice(0, colon), password: info.slice(colon + 1) } };
}
