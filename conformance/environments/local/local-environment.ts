import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Endpoints, Environment, ServiceName, StartedEnvironment, StartTiming } from '../environment';
import { startAuthenticatingProxy } from './authenticating-registry-proxy';
import { databendRuntime } from './databend-runtime';
import { kafkaRuntime, type LocalKafkaEndpoint } from './kafka-runtime';
import type { LocalContext, LocalService, RunningLocalService } from './local-service';
import { isAlive, reapOrphans, tailFile } from './managed-process';
import { schemaRegistryRuntime } from './schema-registry-runtime';

const RUNS_KEPT = 5;

/** Kafka, Schema Registry and Databend installed from package registries and run as child processes. */
export class LocalEnvironment implements Environment {
  readonly name = 'local' as const;

  constructor(
    private readonly cacheDir: string,
    private readonly progress: (message: string) => void = (m) => process.stderr.write(`[local-env] ${m}\n`),
  ) {}

  async start(): Promise<StartedEnvironment> {
    const pidDir = path.join(this.cacheDir, 'pids');
    const reaped = reapOrphans(pidDir);
    if (reaped.length > 0) this.progress(`stopped processes left by an earlier killed run: ${reaped.join(', ')}`);
    const runsDir = path.join(this.cacheDir, 'runs');
    pruneOldRuns(runsDir);
    const runDir = path.join(runsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
    fs.mkdirSync(runDir, { recursive: true });
    const ctx: LocalContext = { cacheDir: this.cacheDir, runDir, pidDir, progress: this.progress };

    const started: RunningLocalService<unknown>[] = [];
    const timings: StartTiming[] = [];
    const run = async <E>(service: LocalService<E>): Promise<RunningLocalService<E>> => {
      const t0 = Date.now();
      const { cold } = await service.install(ctx);
      const t1 = Date.now();
      const running = await service.start(ctx);
      started.push(running);
      timings.push({ service: service.name, installMs: t1 - t0, startMs: Date.now() - t1, cold });
      this.progress(`${service.name} ready (${cold ? `cold install ${secs(t1 - t0)}, ` : ''}start ${secs(Date.now() - t1)})`);
      return running;
    };

    // Independent services start concurrently; if one fails, the others are stopped before rethrowing.
    const results = await Promise.allSettled([run(kafkaRuntime), run(schemaRegistryRuntime), run(databendRuntime)]);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) {
      await Promise.allSettled(started.map((s) => s.stop()));
      throw new Error(`local environment did not start:\n${failures.map((f) => String(f.reason?.message ?? f.reason)).join('\n')}`);
    }
    const [kafka, registry, databend] = results.map((r) => (r as PromiseFulfilledResult<RunningLocalService<unknown>>).value) as [
      RunningLocalService<LocalKafkaEndpoint>,
      RunningLocalService<Endpoints['schemaRegistry']>,
      RunningLocalService<Endpoints['databend']>,
    ];
    const { secured: kafkaSecured, ...plainKafka } = kafka.endpoint;
    const services: Record<ServiceName, RunningLocalService<unknown>> = { kafka, 'schema-registry': registry, databend };
    const registryUser = { user: 'sink_registry', password: randomBytes(18).toString('base64url') };
    const registryProxy = await startAuthenticatingProxy(registry.endpoint.url, registryUser);
    const schemaRegistrySecured = { url: registryProxy.url, basicAuthUserInfo: `${registryUser.user}:${registryUser.password}` };
    return {
      name: this.name,
      endpoints: { kafka: plainKafka, kafkaSecured, schemaRegistry: registry.endpoint, schemaRegistrySecured, databend: databend.endpoint },
      versions: { kafka: kafka.version, 'schema-registry': registry.version, databend: databend.version },
      timings,
      supportsFaults: true,
      pause: (service) => services[service].pause(),
      resume: (service) => services[service].resume(),
      logTail: (service, lines = 40) => tailFile(services[service].logFile, lines),
      stop: async () => {
        await registryProxy.close();
        await Promise.allSettled(Object.values(services).map((s) => s.stop()));
      },
    };
  }
}

/**
 * Removes the folders of old runs (`<time>-<pid>…`), keeping the last few, and every folder of a run
 * whose process still lives (another `env:up` or test run: its services use it).
 */
function pruneOldRuns(runsDir: string): void {
  if (!fs.existsSync(runsDir)) return;
  const runs = fs.readdirSync(runsDir).sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - RUNS_KEPT))) {
    const owner = /^[\dT-]+Z-(\d+)/.exec(old)?.[1];
    if (owner === undefined || isAlive(Number(owner))) continue;
    fs.rmSync(path.join(runsDir, old), { recursive: true, force: true });
  }
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
