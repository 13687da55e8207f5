import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SERVICE_NAMES, type ServiceName, type StartedEnvironment } from '../environments/environment';

/**
 * The environment lives in jest's global-setup process; scenarios run in worker processes. This
 * small HTTP server on 127.0.0.1 lets a worker ask for a fault, and keeps faults from hitting
 * scenarios that are not expecting one:
 *
 * - `POST <url>/pause/<service>`, `POST <url>/resume/<service>` → 204 once done, 500 with the reason.
 * - `GET <url>/lease/shared|exclusive` → `200 granted` once granted, and the response stays open:
 *   the lease is held until the client closes the connection (or its process dies). Every scenario
 *   holds a shared lease while it runs; one that injects faults holds the exclusive lease, so it runs
 *   alone. Requests are granted in arrival order, so a waiting exclusive lease is not starved.
 *
 * The URL carries a random token, so only processes it was handed to (through the run environment
 * variable) can stop services.
 */
export interface FaultControlServer {
  readonly url: string;
  close(): Promise<void>;
}

export type LeaseMode = 'shared' | 'exclusive';

export async function startFaultControlServer(environment: StartedEnvironment): Promise<FaultControlServer> {
  const token = randomBytes(16).toString('hex');
  const leases = new LeaseQueue();
  const server = http.createServer((req, res) => {
    const [prefix, action, argument, ...rest] = (req.url ?? '').split('/').filter(Boolean);
    if (prefix !== token || rest.length > 0) return reply(res, 404, 'not found');
    if (req.method === 'GET' && action === 'lease' && (argument === 'shared' || argument === 'exclusive')) {
      const cancel = leases.request(argument, () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('granted\n');
      });
      res.once('close', cancel);
      return;
    }
    if (req.method === 'POST' && (action === 'pause' || action === 'resume') && SERVICE_NAMES.includes(argument as ServiceName)) {
      if (!environment.supportsFaults) return reply(res, 501, `the ${environment.name} environment cannot stop services`);
      environment[action](argument as ServiceName).then(
        () => reply(res, 204, ''),
        (err: unknown) => reply(res, 500, `${action} ${argument}: ${err instanceof Error ? err.message : String(err)}`),
      );
      return;
    }
    reply(res, 404, 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  // Lease holders keep their connection open by design; they must not keep the run alive.
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${token}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function reply(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
}

/** A readers–writer lock in arrival order. `request` returns the function that releases or withdraws it. */
export class LeaseQueue {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: { mode: LeaseMode; grant: () => void }[] = [];

  request(mode: LeaseMode, grant: () => void): () => void {
    const entry = { mode, grant };
    this.waiting.push(entry);
    let state: 'waiting' | 'held' | 'done' = 'waiting';
    entry.grant = () => {
      state = 'held';
      grant();
    };
    this.pump();
    return () => {
      if (state === 'waiting') this.waiting.splice(this.waiting.indexOf(entry), 1);
      else if (state === 'held') {
        if (mode === 'shared') this.shared--;
        else this.exclusive = false;
      }
      state = 'done';
      this.pump();
    };
  }

  private pump(): void {
    while (this.waiting.length > 0 && !this.exclusive) {
      const next = this.waiting[0];
      if (next.mode === 'exclusive' && this.shared > 0) return;
      this.waiting.shift();
      if (next.mode === 'shared') this.shared++;
      else this.exclusive = true;
      next.grant();
    }
  }
}
