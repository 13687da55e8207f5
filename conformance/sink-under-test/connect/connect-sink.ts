import type { RunEnvironment } from '../../jest/run-environment';
import type { Converter, SinkCapabilities } from '../capabilities';
import type { ConnectorConfig, RunningSink, SinkUnderTest } from '../sink-under-test';
import type { ConnectRuntime } from './connect-runtime';
import { ConnectWorker } from './connect-worker';
import { toConnectConfig, workerSettingsOf, type ConnectSetup } from './connector-config';

/** How the `connect` adapter runs a plugin: decided once per run by the global setup (`connect-plugin.ts`). */
export interface ConnectSpec {
  /** `CONFORMANCE_CONNECT_PLUGIN` as given: a component zip or a plugin folder. */
  plugin: string;
  /** The `plugin.path` entry holding the unpacked plugin. */
  pluginPath: string;
  runtime: ConnectRuntime;
  /** The connector class the worker found in the plugin, which every config is given. */
  connectorClass: string;
  /** Replace the class a config names (`CONFORMANCE_CONNECT_CLASS` was set). */
  replaceClass: boolean;
  /** What the connector reports as its version (`GET /connector-plugins`). */
  reportedVersion: string;
  /** The converters this setup offers a plugin. */
  converters: Converter[];
  /** The registry's native API for Apicurio's converters, when Avro is offered. */
  apicurioRegistryUrl?: string;
  replicationFactor: number;
  /** JVM options of every worker (`CONFORMANCE_CONNECT_JVM_OPTS`, as `KAFKA_OPTS`): `ConnectWorkerOptions.jvmOptions`. */
  jvmOptions: string[];
  /** Folder of this run's worker logs and properties. */
  runDir: string;
  pidDir: string;
}

const STATUS_POLL_MS = 500;
/** Connect answers 409 while its group rebalances; creating the connector is retried that long. */
const REBALANCE_RETRY_MS = 60_000;

/**
 * A Kafka Connect plugin in a real Apache Kafka Connect worker. Each start is a worker process of
 * its own (its own group and internal topics) running one connector created through the REST
 * API, so a sink "process" keeps its meaning: a hard kill is SIGKILL of the worker; a graceful stop
 * stops and deletes the connector (its tasks commit and leave their group), then stops the worker;
 * the sink has failed when Connect refuses to create the connector or reports the connector or a
 * task FAILED (its trace goes into the failure output and the report). A worker whose connector
 * was refused had nothing running and is kept for the next start.
 */
/** How a `ConnectSink` treats its workers beyond the conformance suite's default (a worker per start). */
export interface ConnectSinkOptions {
  /**
   * A gracefully stopped connector's worker is kept for the next start with the same settings
   * (its JVM, and what the plugin keeps in it, stay warm: the benchmark's later passes).
   */
  reuseWorkers?: boolean;
  /** Log levels set through each new worker's `PUT /admin/loggers/<name>`, as a deployer would. */
  loggers?: Record<string, string>;
}

export class ConnectSink implements SinkUnderTest {
  readonly kind = 'connect';
  readonly isProcess = true;
  readonly description: string;
  private readonly idle: ConnectWorker[] = [];

  constructor(
    private readonly spec: ConnectSpec,
    readonly capabilities: SinkCapabilities,
    description: string,
    private readonly run: RunEnvironment,
    private readonly options: ConnectSinkOptions = {},
  ) {
    this.description = description;
  }

  async start(config: ConnectorConfig): Promise<RunningSink> {
    const setup: ConnectSetup = {
      workerBootstrap: this.run.endpoints.kafka.bootstrapServers,
      replicationFactor: this.spec.replicationFactor,
      connectorClass: this.spec.replaceClass ? this.spec.connectorClass : undefined,
      apicurioRegistryUrl: this.spec.apicurioRegistryUrl,
    };
    const connectorConfig = toConnectConfig(config, setup);
    const worker = await this.acquireWorker(workerSettingsOf(config));
    const running = new RunningConnector(worker, connectorConfig, (w) => this.idle.push(w), this.options.reuseWorkers === true);
    await running.create();
    return running;
  }

  /** Stops the workers kept for later starts. */
  async close(): Promise<void> {
    const idle = this.idle.splice(0);
    await Promise.all(idle.map(async (w) => {
      await w.stop();
      await w.removeInternalTopics();
    }));
  }

  /** An idle worker with the same settings, or a new one. */
  private async acquireWorker(settings: Record<string, string>): Promise<ConnectWorker> {
    const key = JSON.stringify(settings);
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const [worker] = this.idle.splice(i, 1);
      if (worker.running && JSON.stringify(worker.settings) === key) return worker;
      if (worker.running) this.idle.splice(i, 0, worker);
    }
    const worker = await ConnectWorker.start({
      settings,
      runtime: this.spec.runtime,
      pluginPath: [this.spec.pluginPath, this.spec.runtime.convertersPath],
      kafka: this.run.endpoints.kafka,
      replicationFactor: this.spec.replicationFactor,
      runDir: this.spec.runDir,
      pidDir: this.spec.pidDir,
      jvmOptions: this.spec.jvmOptions,
    });
    try {
      for (const [logger, level] of Object.entries(this.options.loggers ?? {})) {
        const answer = await worker.request('PUT', `/admin/loggers/${encodeURIComponent(logger)}`, { level });
        if (answer.status !== 200) throw new Error(`PUT /admin/loggers/${logger} answered ${answer.status}: ${answer.text}`);
      }
    } catch (err) {
      await worker.stop();
      await worker.removeInternalTopics();
      throw err;
    }
    return worker;
  }
}

interface ConnectorStatus {
  connector?: { state?: string; trace?: string };
  tasks?: { id: number; state?: string; trace?: string }[];
}

class RunningConnector implements RunningSink {
  readonly exited: Promise<number>;
  private outcome: number | undefined;
  private settle: (code: number) => void = () => undefined;
  /** What the adapter did, and what failed (refusals, FAILED traces): both follow the worker's log in `logs()`. */
  private readonly notes: string[] = [];
  private readonly failures: string[] = [];
  private stopping = false;
  private done: Promise<void> = Promise.resolve();
  private readonly logStart: number;

  constructor(
    private readonly worker: ConnectWorker,
    private readonly connector: ConnectorConfig,
    private readonly keepIdle: (worker: ConnectWorker) => void,
    /** A graceful stop hands the worker to `keepIdle` instead of stopping it (`ConnectSinkOptions.reuseWorkers`). */
    private readonly reuseWorker: boolean,
  ) {
    this.exited = new Promise((resolve) => (this.settle = resolve));
    // A reused worker's log holds earlier connectors' records: this sink's output starts here.
    this.logStart = worker.log().length;
    void worker.exitCode.then((code) => {
      if (this.outcome === undefined && !this.stopping) {
        this.failures.push(`the Kafka Connect worker exited by itself (exit code ${code}); its log: ${worker.logFile}`);
        this.finish(code === 0 ? 1 : code);
      }
    });
  }

  get pid(): number {
    return this.worker.pid;
  }

  /** POST /connectors; a refusal (invalid config, unknown class) ends this sink with its errors. */
  async create(): Promise<void> {
    const deadline = Date.now() + REBALANCE_RETRY_MS;
    for (;;) {
      const answer = await this.worker.request('POST', '/connectors', this.connector);
      if (answer.status === 201 || answer.status === 200) {
        this.note(`created connector ${this.connector.name} (${this.connector.config['connector.class']})`);
        this.done = this.watch();
        return;
      }
      if (answer.status === 409 && Date.now() < deadline) {
        await sleep(STATUS_POLL_MS);
        continue;
      }
      const message = restMessage(answer.body, answer.text);
      this.failures.push(`Kafka Connect refused to create connector ${this.connector.name} (HTTP ${answer.status}): ${message}`);
      // The refusal's summary does not always name the keys; Connect's validate lists each key's errors.
      if (answer.status === 400) this.failures.push(...(await this.validationErrors().catch((err: unknown) => [`(PUT …/config/validate failed: ${String(err)})`])));
      this.finish(1);
      // Nothing ran on the worker: the next start may use it.
      this.keepIdle(this.worker);
      return;
    }
  }

  /** `<key>: <error>` for every key Connect's validate finds fault with. */
  private async validationErrors(): Promise<string[]> {
    const connectorClass = this.connector.config['connector.class'] ?? '';
    const answer = await this.worker.request('PUT', `/connector-plugins/${encodeURIComponent(connectorClass)}/config/validate`, { ...this.connector.config, name: this.connector.name });
    if (answer.status !== 200) return [`validate answered ${answer.status}: ${restMessage(answer.body, answer.text)}`];
    const { configs } = answer.body as { configs: { value: { name: string; errors: string[] } }[] };
    return configs.filter((c) => c.value.errors.length > 0).map((c) => `${c.value.name}: ${c.value.errors.join('; ')}`);
  }

  /** Polls the connector's status until it fails or the sink is stopped. */
  private async watch(): Promise<void> {
    while (this.outcome === undefined && !this.stopping && this.worker.running) {
      const status = await this.status().catch(() => undefined);
      if (status && this.recordFailures(status) && !this.stopping) {
        this.finish(1);
        // A failed sink is a stopped sink: its other tasks stop and commit, the worker ends.
        await this.deleteConnector().catch(() => undefined);
        await this.endWorker();
        return;
      }
      await sleep(STATUS_POLL_MS);
    }
  }

  private async status(): Promise<ConnectorStatus | undefined> {
    const answer = await this.worker.request('GET', `/connectors/${encodeURIComponent(this.connector.name)}/status`);
    return answer.status === 200 ? (answer.body as ConnectorStatus) : undefined;
  }

  /** Notes every FAILED part of the status with its trace; true when anything failed. */
  private recordFailures(status: ConnectorStatus): boolean {
    const failed: string[] = [];
    if (status.connector?.state === 'FAILED') failed.push(`connector ${this.connector.name} is FAILED:\n${status.connector.trace ?? '(no trace)'}`);
    for (const task of status.tasks ?? []) if (task.state === 'FAILED') failed.push(`task ${this.connector.name}-${task.id} is FAILED:\n${task.trace ?? '(no trace)'}`);
    this.failures.push(...failed);
    return failed.length > 0;
  }

  async stop(timeoutMs = 30_000): Promise<number> {
    if (this.outcome !== undefined) {
      await this.done;
      return this.outcome;
    }
    this.stopping = true;
    const deadline = Date.now() + timeoutMs;
    let code = 0;
    try {
      const before = await this.status();
      if (before && this.recordFailures(before)) code = 1;
      // Stopped first (its tasks stop, commit and leave the group), then deleted.
      const stopped = await this.worker.request('PUT', `/connectors/${encodeURIComponent(this.connector.name)}/stop`);
      if (stopped.status !== 202 && stopped.status !== 204) throw new Error(`PUT /connectors/${this.connector.name}/stop answered ${stopped.status}: ${stopped.text}`);
      for (;;) {
        const status = await this.status();
        if (status?.connector?.state === 'STOPPED' && (status.tasks ?? []).length === 0) break;
        if (Date.now() > deadline) throw new Error(`connector ${this.connector.name} did not stop within ${timeoutMs / 1000} s`);
        await sleep(STATUS_POLL_MS);
      }
      await this.deleteConnector();
      this.note(`stopped and deleted connector ${this.connector.name}`);
      if (this.reuseWorker && code === 0) {
        this.finish(code);
        this.keepIdle(this.worker);
        return code;
      }
      await this.worker.stop(Math.max(1000, deadline - Date.now()));
    } catch (err) {
      this.failures.push(`graceful stop failed: ${err instanceof Error ? err.message : String(err)}`);
      await this.worker.kill();
      code = 137;
    }
    this.finish(code);
    await this.worker.removeInternalTopics();
    return code;
  }

  async kill(): Promise<void> {
    this.stopping = true;
    await this.worker.kill();
    this.note('worker SIGKILLed');
    this.finish(137);
    // A failed sink may still be cleaning up (deleting its connector): nothing outlives the kill.
    await this.done.catch(() => undefined);
    await this.worker.removeInternalTopics();
  }

  logs(): string {
    return [this.worker.log().slice(this.logStart), ...this.notes, ...this.failures.map((f) => `[conformance connect] ${f}`), ''].join('\n');
  }

  failureOutput(): string {
    return [...this.failures, ...warningsAndErrors(this.worker.log().slice(this.logStart))].join('\n');
  }

  private async deleteConnector(): Promise<void> {
    const answer = await this.worker.request('DELETE', `/connectors/${encodeURIComponent(this.connector.name)}`);
    if (answer.status !== 204 && answer.status !== 404) throw new Error(`DELETE /connectors/${this.connector.name} answered ${answer.status}: ${answer.text}`);
  }

  private async endWorker(): Promise<void> {
    await this.worker.stop();
    await this.worker.removeInternalTopics();
  }

  private note(text: string): void {
    this.notes.push(`[conformance connect] ${text}`);
  }

  private finish(code: number): void {
    if (this.outcome !== undefined) return;
    this.outcome = code;
    this.settle(code);
  }
}

/** Connect's error answer `{error_code, message}`, or the text of any other answer. */
function restMessage(body: unknown, text: string): string {
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') return (body as { message: string }).message;
  return text.slice(0, 4000);
}

/** The log records at WARN or above, each with its continuation lines (stack traces). */
export function warningsAndErrors(log: string): string[] {
  const records: string[] = [];
  let keep = false;
  for (const line of log.split('\n')) {
    const level = /^\[\d{4}-\d\d-\d\d [\d:,]+\] (\w+) /.exec(line)?.[1];
    if (level !== undefined) keep = level === 'WARN' || level === 'ERROR' || level === 'FATAL';
    if (keep) records.push(line);
  }
  return records;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
