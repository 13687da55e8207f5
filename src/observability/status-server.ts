import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SinkError } from '../errors';
import type { SinkObserver } from './sink-observer';

export interface StatusServerOptions {
  port: number;
  host: string;
}

/**
 * The health and metrics listener (`metrics.port`, `metrics.host`):
 * - `GET /healthz`: 200 `ok` while the process serves requests;
 * - `GET /readyz`: 200 when the sink is a member of its consumer group and Databend answers, else
 *   503 with the reasons (JSON);
 * - `GET /metrics`: the Prometheus text format;
 * - `GET /status`: assignment, committed offsets, lag, totals, Databend's state, the last error (JSON).
 * Nothing it answers holds a secret or record content.
 */
export class StatusServer {
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(observer: SinkObserver, options: StatusServerOptions): Promise<StatusServer> {
    const server = http.createServer((req, res) => {
      void answer(observer, req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`internal error: ${(err as Error).message}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new SinkError('CONFIG_INVALID', `metrics.port: cannot listen on ${options.host}:${options.port} (${err.code ?? err.message}); choose a free port, or 0 for no listener`)),
      );
      server.listen(options.port, options.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return new StatusServer(server, `http://${host}:${address.port}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

async function answer(observer: SinkObserver, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://sink').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
    res.end('only GET\n');
    return;
  }
  switch (path) {
    case '/healthz':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
      return;
    case '/readyz': {
      const { ready, reasons } = observer.readiness();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ ready, reasons })}\n`);
      return;
    }
    case '/metrics': {
      const text = await observer.registry.metrics();
      res.writeHead(200, { 'content-type': observer.registry.contentType });
      res.end(text);
      return;
    }
    case '/status':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(observer.snapshot(), null, 2)}\n`);
      return;
    default:
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: /healthz, /readyz, /metrics, /status\n');
  }
}
