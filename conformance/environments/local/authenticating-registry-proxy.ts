import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A Schema Registry that enforces basic auth, for `registry.misconfigured`: the local Apicurio runs
 * without authentication, so this proxy on 127.0.0.1 stands in front of the real registry. It
 * answers 401 with a Confluent-style error body unless the request carries `user:password`, and
 * forwards every other request unchanged (with the real registry's own credentials, if it has any).
 * It decides nothing else: every answer besides the 401 is the real registry's.
 */
export interface AuthenticatingProxy {
  /** The proxy's URL with the real registry URL's path (e.g. http://127.0.0.1:<port>/apis/ccompat/v7). */
  readonly url: string;
  /** Requests it refused and forwarded. */
  readonly counts: { refused: number; forwarded: number };
  close(): Promise<void>;
}

export async function startAuthenticatingProxy(registryUrl: string, credentials: { user: string; password: string }, upstreamUserInfo?: string): Promise<AuthenticatingProxy> {
  const target = new URL(registryUrl);
  const expected = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  const counts = { refused: 0, forwarded: 0 };
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      counts.refused++;
      res.writeHead(401, { 'content-type': 'application/vnd.schemaregistry.v1+json', 'www-authenticate': 'Basic realm="registry"' });
      res.end(JSON.stringify({ error_code: 40101, message: 'Unauthorized' }));
      return;
    }
    counts.forwarded++;
    const headers = { ...req.headers, host: target.host };
    delete headers.authorization;
    if (upstreamUserInfo) headers.authorization = `Basic ${Buffer.from(upstreamUserInfo).toString('base64')}`;
    const upstream = (target.protocol === 'https:' ? https : http).request(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, '')}`,
    counts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A local port nothing listens on (bound, then released): connections to it are refused. */
export async function refusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
