/**
 * Schema lookups by id against a Confluent-compatible schema registry (Confluent, Apicurio's
 * ccompat API, Redpanda, Karapace).
 *
 * Built on `@kafkajs/confluent-schema-registry`'s HTTP client (its retries, basic auth and
 * Confluent content type) but caching the registry's *raw* answer: the library's own cache holds
 * schemas already parsed for its encode/decode (lossy long defaults, its own avsc options), while
 * the converters translate each schema once, with their own rules, into the record model.
 */
import createRegistryApi, { type SchemaRegistryAPIClient, type SchemaRegistryAPIClientArgs } from '@kafkajs/confluent-schema-registry/dist/api';
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
  /** Throws SinkError SCHEMA_NOT_FOUND (unknown id) or SCHEMA_REGISTRY_UNAVAILABLE (retriable). */
  getSchema(id: number): Promise<RegisteredSchema>;
}

export interface SchemaRegistryClientOptions {
  /** `schema.registry.url`; of a comma-separated list the first URL is used. */
  url: string;
  /** `user:password` (basic.auth.user.info); user info in the URL is used when this is absent. */
  basicAuthUserInfo?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Retries of the library's HTTP client for 5xx answers (the sink retries on top of that). */
  retries?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_REASON_LENGTH = 200;

interface RegistryAnswer {
  schema?: unknown;
  schemaType?: unknown;
  references?: unknown;
}

interface HttpFailure {
  status?: unknown;
  message?: unknown;
}

export class SchemaRegistryClient implements SchemaSource {
  /** Where the registry is, without credentials: safe for messages. */
  readonly safeUrl: string;
  private readonly api: SchemaRegistryAPIClient;
  private readonly byId = new Map<number, Promise<RegisteredSchema>>();
  private readonly secrets: string[];

  constructor(options: SchemaRegistryClientOptions) {
    const { host, auth } = parseRegistryUrl(options.url, options.basicAuthUserInfo);
    this.safeUrl = host;
    this.secrets = auth ? [auth.password, `${auth.username}:${auth.password}`].filter((s) => s.length > 0) : [];
    const args: SchemaRegistryAPIClientArgs = {
      host,
      auth,
      middlewares: [timeoutMiddleware(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)],
    };
    if (options.retries !== undefined) args.retry = { retries: options.retries };
    this.api = createRegistryApi(args);
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

  private async fetch(id: number): Promise<RegisteredSchema> {
    const answer = await this.call(() => this.api.Schema.find({ id }), `schema id ${id}`, () => schemaNotFound(id));
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
        () => this.api.Subject.version({ subject: ref.subject, version: ref.version }),
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

  private async call(request: () => Promise<{ data(): unknown }>, what: string, notFound: () => SinkError): Promise<RegistryAnswer> {
    let response: { data(): unknown };
    try {
      response = await request();
    } catch (err) {
      const failure = (err ?? {}) as HttpFailure;
      if (failure.status === 404) throw notFound();
      throw registryUnavailable(`schema registry ${this.safeUrl} failed while fetching ${what}: ${this.reason(failure)}`);
    }
    const data = response.data();
    if (typeof data !== 'object' || data === null) {
      throw registryUnavailable(`schema registry ${this.safeUrl} answered ${what} with something that is not a JSON object`);
    }
    return data as RegistryAnswer;
  }

  private reason(failure: HttpFailure): string {
    const status = typeof failure.status === 'number' ? failure.status : undefined;
    // The library prefixes its client id ("<client> - <message>"); a network failure arrives as status 400.
    let detail = typeof failure.message === 'string' ? failure.message.replace(/^[^ ]* - /, '') : 'unknown error';
    for (const secret of this.secrets) detail = detail.split(secret).join('***');
    if (detail.length > MAX_REASON_LENGTH) detail = `${detail.slice(0, MAX_REASON_LENGTH)}…`;
    if (status === 401 || status === 403) return `HTTP ${status}, credentials rejected`;
    return status !== undefined && status !== 400 ? `HTTP ${status}: ${detail}` : detail;
  }
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

type MiddlewareList = NonNullable<SchemaRegistryAPIClientArgs['middlewares']>;

function timeoutMiddleware(timeoutMs: number): MiddlewareList[number] {
  return () => ({
    async prepareRequest(next) {
      const request = await next();
      return request.timeout() ? request : request.enhance({ timeout: timeoutMs });
    },
  });
}
