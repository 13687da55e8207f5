import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rejection } from '../../test-support/converter';
import { parseRegistryUrl, SchemaRegistryClient } from './schema-registry-client';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A tiny Confluent-compatible registry on 127.0.0.1 that records what it was asked. */
class LocalRegistry {
  readonly requests: { url: string; authorization?: string }[] = [];
  handler: Handler = (req, res) => this.defaultHandler(req, res);
  readonly schemas = new Map<number, object>();
  readonly subjects = new Map<string, object>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      this.handler(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private defaultHandler(req: IncomingMessage, res: ServerResponse): void {
    const byId = /^\/schemas\/ids\/(\d+)/.exec(req.url ?? '');
    const bySubject = /^\/subjects\/([^/]+)\/versions\/(\d+)/.exec(req.url ?? '');
    const found = byId ? this.schemas.get(Number(byId[1])) : bySubject ? this.subjects.get(`${decodeURIComponent(bySubject[1])}/${bySubject[2]}`) : undefined;
    if (found) return json(res, 200, found);
    json(res, 404, { error_code: 40403, message: 'Schema not found' });
  }
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
  res.end(JSON.stringify(body));
}

describe('SchemaRegistryClient', () => {
  let registry: LocalRegistry;
  let url: string;

  beforeEach(async () => {
    registry = new LocalRegistry();
    url = await registry.start();
  });

  afterEach(() => registry.stop());

  it('fetches a schema by id, AVRO when schemaType is absent', async () => {
    registry.schemas.set(7, { schema: '"string"' });
    registry.schemas.set(8, { schema: '{"type":"object"}', schemaType: 'JSON' });
    const client = new SchemaRegistryClient({ url });
    await expect(client.getSchema(7)).resolves.toEqual({ id: 7, format: 'AVRO', schema: '"string"', references: [] });
    await expect(client.getSchema(8)).resolves.toMatchObject({ id: 8, format: 'JSON' });
  });

  it('fetches each id once, even when asked concurrently', async () => {
    registry.schemas.set(1, { schema: '"int"' });
    const client = new SchemaRegistryClient({ url });
    await Promise.all([client.getSchema(1), client.getSchema(1), client.getSchema(1)]);
    await client.getSchema(1);
    expect(registry.requests.filter((r) => r.url.startsWith('/schemas/ids/1'))).toHaveLength(1);
  });

  it('reports 404 / 40403 as SCHEMA_NOT_FOUND naming the id, and does not cache the miss', async () => {
    const client = new SchemaRegistryClient({ url });
    const err = await rejection(client.getSchema(424242));
    expect(err.code).toBe('SCHEMA_NOT_FOUND');
    expect(err.message).toContain('424242');
    expect(err.isRetriable).toBe(false);
    registry.schemas.set(424242, { schema: '"int"' });
    await expect(client.getSchema(424242)).resolves.toMatchObject({ schema: '"int"' });
  });

  it('reports 5xx as retriable SCHEMA_REGISTRY_UNAVAILABLE and recovers afterwards', async () => {
    registry.handler = (_req, res) => json(res, 503, { error_code: 50301, message: 'overloaded' });
    const client = new SchemaRegistryClient({ url });
    const err = await rejection(client.getSchema(3));
    expect(err.code).toBe('SCHEMA_REGISTRY_UNAVAILABLE');
    expect(err.isRetriable).toBe(true);
    expect(err.message).toContain('HTTP 503');
    registry.handler = (_req, res) => json(res, 200, { schema: '"long"' });
    await expect(client.getSchema(3)).resolves.toMatchObject({ schema: '"long"' });
  });

  it('reports a refused connection as SCHEMA_REGISTRY_UNAVAILABLE saying so, not as an HTTP status', async () => {
    await registry.stop();
    const client = new SchemaRegistryClient({ url });
    const err = await rejection(client.getSchema(1));
    expect(err.code).toBe('SCHEMA_REGISTRY_UNAVAILABLE');
    expect(err.message).toContain('connection refused (ECONNREFUSED)');
    expect(err.message).not.toMatch(/status|HTTP 400/);
  });

  it('reports a plain 404 (a wrong base path) as a config error naming the URL key, never as schema not found', async () => {
    registry.handler = (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>Not Found</html>');
    };
    const err = await rejection(new SchemaRegistryClient({ url: `${url}/wrong`, configPrefix: 'value.converter' }).getSchema(1));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('value.converter.schema.registry.url');
    registry.handler = (_req, res) => json(res, 404, { detail: 'Could not find resource', status: 404 });
    expect((await rejection(new SchemaRegistryClient({ url }).getSchema(1))).code).toBe('CONFIG_INVALID');
  });

  it('times out a registry that does not answer', async () => {
    registry.handler = () => undefined; // never answers
    const client = new SchemaRegistryClient({ url, timeoutMs: 100 });
    const err = await rejection(client.getSchema(1));
    expect(err.code).toBe('SCHEMA_REGISTRY_UNAVAILABLE');
    expect(err.message).toContain('no answer within 100 ms');
  });

  it('sends basic auth from user info; a 401 is a config error naming the credential keys, never with the secret', async () => {
    registry.handler = (_req, res) => json(res, 401, { error_code: 401, message: 'Unauthorized' });
    const client = new SchemaRegistryClient({ url, basicAuthUserInfo: 'KEY:s3cr:et', configPrefix: 'key.converter' });
    const err = await rejection(client.getSchema(5));
    expect(registry.requests[0].authorization).toBe(`Basic ${Buffer.from('KEY:s3cr:et').toString('base64')}`);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.isRetriable).toBe(false);
    expect(err.message).toMatch(/HTTP 401: the credentials were rejected: check key.converter.basic.auth.user.info/);
    expect(err.message).not.toContain('s3cr');
    expect(JSON.stringify(err)).not.toContain('s3cr');
  });

  it('takes credentials from URL user info, keeping them out of the URL it reports', async () => {
    registry.schemas.set(2, { schema: '"int"' });
    const withCreds = url.replace('http://', 'http://user:p%40ss@');
    const client = new SchemaRegistryClient({ url: `${withCreds}/, http://other:1` });
    expect(client.safeUrl).toBe(url);
    await client.getSchema(2);
    expect(registry.requests[0].authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  });

  it('resolves schema references transitively, dependencies first', async () => {
    registry.schemas.set(10, { schema: '{"type":"record","name":"Order","fields":[]}', references: [{ name: 'Customer', subject: 'customer', version: 2 }] });
    registry.subjects.set('customer/2', { subject: 'customer', version: 2, id: 11, schema: '{"c":1}', references: [{ name: 'Address', subject: 'address', version: 1 }] });
    registry.subjects.set('address/1', { subject: 'address', version: 1, id: 12, schema: '{"a":1}' });
    const client = new SchemaRegistryClient({ url });
    const found = await client.getSchema(10);
    expect(found.references.map((r) => [r.name, r.schema])).toEqual([
      ['Address', '{"a":1}'],
      ['Customer', '{"c":1}'],
    ]);
  });

  it('reports a missing reference as SCHEMA_NOT_FOUND', async () => {
    registry.schemas.set(20, { schema: '{}', references: [{ name: 'Gone', subject: 'gone', version: 1 }] });
    const err = await rejection(new SchemaRegistryClient({ url }).getSchema(20));
    expect(err.code).toBe('SCHEMA_NOT_FOUND');
    expect(err.message).toContain('Gone');
  });
});

describe('SchemaRegistryClient.probe (at start)', () => {
  let registry: LocalRegistry;
  let url: string;

  beforeEach(async () => {
    registry = new LocalRegistry();
    url = await registry.start();
  });

  afterEach(() => registry.stop());

  it('passes when GET /subjects answers a JSON list', async () => {
    registry.handler = (_req, res) => json(res, 200, ['orders-value']);
    await expect(new SchemaRegistryClient({ url }).probe()).resolves.toBeUndefined();
    expect(registry.requests.map((r) => r.url)).toEqual(['/subjects']);
  });

  it('refuses a URL that is not the registry API (404, or 200 that is not a JSON list), naming the URL key', async () => {
    registry.handler = (_req, res) => json(res, 404, { detail: 'RESTEASY003210: Could not find resource' });
    const notFound = await rejection(new SchemaRegistryClient({ url: `${url}/apis/wrong`, configPrefix: 'value.converter' }).probe());
    expect(notFound.code).toBe('CONFIG_INVALID');
    expect(notFound.message).toMatch(/does not answer as a Confluent-compatible Schema Registry \(GET \/subjects: HTTP 404\): check value.converter.schema.registry.url/);
    registry.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    };
    expect((await rejection(new SchemaRegistryClient({ url }).probe())).message).toMatch(/HTTP 200, not a JSON list/);
  });

  it('refuses missing credentials and rejected ones, naming the keys of both converters that share the registry', async () => {
    registry.handler = (_req, res) => json(res, 401, { error_code: 401, message: 'Unauthorized' });
    const missing = new SchemaRegistryClient({ url, configPrefix: 'key.converter' });
    missing.sharedWith('value.converter');
    expect((await rejection(missing.probe())).message).toContain(
      'the registry needs credentials: set key.converter.basic.auth.credentials.source / value.converter.basic.auth.credentials.source=USER_INFO',
    );
    const wrong = await rejection(new SchemaRegistryClient({ url, basicAuthUserInfo: 'user:wrong-secret' }).probe());
    expect(wrong.code).toBe('CONFIG_INVALID');
    expect(wrong.message).toContain('credentials were rejected');
    expect(wrong.message).not.toContain('wrong-secret');
  });

  it('refuses a registry that does not accept connections after a few attempts, saying so and naming the URL key', async () => {
    await registry.stop();
    const err = await rejection(new SchemaRegistryClient({ url }).probe());
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/is not reachable \(connection refused \(ECONNREFUSED\), 3 attempts\): check value.converter.schema.registry.url/);
  });

  it('reports a server error as unavailable (retried), not as a config error', async () => {
    registry.handler = (_req, res) => json(res, 503, { error_code: 50301, message: 'overloaded' });
    const err = await rejection(new SchemaRegistryClient({ url }).probe());
    expect(err.code).toBe('SCHEMA_REGISTRY_UNAVAILABLE');
    expect(err.message).toContain('HTTP 503: overloaded');
  });
});

describe('parseRegistryUrl', () => {
  it('uses the first URL, strips trailing slashes and prefers explicit user info', () => {
    expect(parseRegistryUrl('http://a:8081/ ,http://b:8081')).toEqual({ host: 'http://a:8081' });
    expect(parseRegistryUrl('https://u:p@a:8081', 'key:secret')).toEqual({ host: 'https://a:8081', auth: { username: 'key', password: 'secret' } });
    expect(parseRegistryUrl('https://u:p@a:8081')).toEqual({ host: 'https://a:8081', auth: { username: 'u', password: 'p' } });
  });

  it('rejects a URL that is not one, without echoing it', () => {
    expect(() => parseRegistryUrl('not a url:secret')).toThrow(/not a valid URL/);
    try {
      parseRegistryUrl('not a url:secret');
    } catch (err) {
      expect(String(err)).not.toContain('secret');
    }
  });
});
