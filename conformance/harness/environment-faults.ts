import * as http from 'node:http';
import type { ServiceName } from '../environments/environment';
import type { LeaseMode } from '../jest/fault-control-server';
import type { RunEnvironment } from '../jest/run-environment';

/**
 * A scenario's handle on the run environment's fault hooks (served by the global-setup process,
 * see `fault-control-server.ts`). A service paused here is resumed by `resumeAll`, which the
 * scenario context calls at the end, so a failing scenario never leaves a service down.
 */
export class EnvironmentFaults {
  private readonly paused = new Set<ServiceName>();

  constructor(private readonly run: RunEnvironment) {}

  /** Whether this run's environment can stop services (external endpoints cannot). */
  get supported(): boolean {
    return this.run.supportsFaults && this.run.faultControlUrl !== undefined;
  }

  /** Makes a service unavailable to every client until `resume`. */
  async pause(service: ServiceName): Promise<void> {
    await this.call('pause', service);
    this.paused.add(service);
  }

  async resume(service: ServiceName): Promise<void> {
    await this.call('resume', service);
    this.paused.delete(service);
  }

  async resumeAll(): Promise<void> {
    for (const service of [...this.paused]) await this.resume(service);
  }

  private async call(action: 'pause' | 'resume', service: ServiceName): Promise<void> {
    if (!this.supported) throw new Error(`the ${this.run.name} environment cannot ${action} services (supportsFaults is false)`);
    const res = await fetch(`${this.run.faultControlUrl}/${action}/${service}`, { method: 'POST' });
    if (res.status !== 204) throw new Error(`${action} ${service}: HTTP ${res.status} ${await res.text()}`);
  }
}

/** A held lease on the run environment; `release` gives it back. */
export interface EnvironmentLease {
  release(): void;
}

/**
 * Waits for a lease on the shared services: `exclusive` for a scenario that stops services, `shared`
 * for every other one. Without fault support there is nothing to coordinate and it returns at once.
 */
export function acquireLease(run: RunEnvironment, mode: LeaseMode): Promise<EnvironmentLease> {
  if (!run.supportsFaults || !run.faultControlUrl) return Promise.resolve({ release: () => undefined });
  return new Promise((resolve, reject) => {
    const req = http.get(`${run.faultControlUrl}/lease/${mode}`, { agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`${mode} lease on the environment: HTTP ${res.statusCode}`));
        return;
      }
      // Releasing destroys the connection, which the response reports as an error: expected.
      res.on('error', () => undefined);
      res.once('data', () => resolve({ release: () => req.destroy() }));
    });
    req.on('error', reject);
  });
}

/** How long a test file may wait for its lease: a fault scenario ahead of it runs for minutes. */
export const LEASE_WAIT_MS = 10 * 60_000;

/**
 * For a test file that uses the run's services without `scenario()`: holds a shared lease from
 * before its first test to after its last, so a fault scenario never stops a service under it
 * (it once paused Databend under the demo's clean-up). Call it before the file's own `beforeAll`.
 */
export function holdSharedServices(run: RunEnvironment): void {
  let lease: EnvironmentLease | undefined;
  beforeAll(async () => {
    lease = await acquireLease(run, 'shared');
  }, LEASE_WAIT_MS);
  afterAll(() => lease?.release());
}
