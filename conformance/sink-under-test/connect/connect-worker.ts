import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kafkaClient } from '../../clients/kafka';
import type { KafkaEndpoint } from '../../environments/environment';
import { javaCommand } from '../../environments/local/kafka-runtime';
import { ManagedProcess, tailFile } from '../../environments/local/managed-process';
import { freePort } from '../../environments/local/ports';
import type { ConnectRuntime } from './connect-runtime';

/**
 * One Apache Kafka Connect worker in distributed mode, as a child process in its own process group:
 * its own group and internal topics (config, offsets, status; one partition each, replication as
 * the cluster allows), its REST API on a free loopback port, and `plugin.path` holding the plugin
 * under test and the setup's converters. Its log goes to a file (Kafka's shipped INFO level).
 */
export interface ConnectWorkerOptions {
  runtime: ConnectRuntime;
  /** `plugin.path` entries: folders whose subfolders are plugins. */
  pluginPath: string[];
  kafka: KafkaEndpoint;
  /** Replication factor of the internal topics (the cluster's brokers, at most 3). */
  replicationFactor: number;
  /** Folder for the worker's log and properties. */
  runDir: string;
  /** Pid files, for reaping after a killed run. */
  pidDir: string;
  /** Bound for the worker to start and answer its REST API. */
  readyTimeoutMs?: number;
  /** Worker settings a scenario's config asks for (`workerSettingsOf`), over the defaults below. */
  settings?: Record<string, string>;
  /**
   * JVM options after the defaults (heap, collector, logging), so that a later `-Xmx` or `-D` wins:
   * what `KAFKA_HEAP_OPTS` and `KAFKA_OPTS` add to `connect-distributed.sh` (`CONFORMANCE_CONNECT_JVM_OPTS`).
   */
  jvmOptions?: readonly string[];
}

export interface RestAnswer {
  status: number;
  body: unknown;
  text: string;
}

const CONFIG_DIR = __dirname;
/** A request to the worker's REST API never takes longer; Connect answers within its own 90 s request timeout. */
const REST_TIMEOUT_MS = 100_000;

export class ConnectWorker {
  private constructor(
    private readonly proc: ManagedProcess,
    readonly url: string,
    readonly groupId: string,
    readonly logFile: string,
    private readonly kafka: KafkaEndpoint,
    /** The settings it was started with beyond the defaults (`ConnectWorkerOptions.settings`). */
    readonly settings: Record<string, string>,
  ) {}

  /** Starts a worker and waits until its REST API lists connectors; a worker that does not start fails in bounded time naming its log. */
  static async start(options: ConnectWorkerOptions): Promise<ConnectWorker> {
    const groupId = `conformance-connect-${process.pid}-${randomBytes(4).toString('hex')}`;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const dir = path.join(options.runDir, groupId);
    fs.mkdirSync(dir, { recursive: true });
    const propertiesFile = path.join(dir, 'worker.properties');
    fs.writeFileSync(propertiesFile, workerProperties({ ...options, groupId, port }));
    const logFile = path.join(dir, 'worker.log');
    const proc = await ManagedProcess.start({
      name: 'kafka-connect',
      command: javaCommand(),
      args: workerJavaArgs(options, propertiesFile),
      cwd: dir,
      logFile,
      pidDir: options.pidDir,
      readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
      ready: async () => (await fetch(`${url}/connectors`, { signal: AbortSignal.timeout(2000) })).status === 200,
    });
    return new ConnectWorker(proc, url, groupId, logFile, options.kafka, options.settings ?? {});
  }

  get pid(): number {
    return this.proc.pid;
  }

  get running(): boolean {
    return this.proc.running;
  }

  /** Resolves when the worker process is gone, with its exit code. */
  get exitCode(): Promise<number> {
    return this.proc.exitCode;
  }

  /** One REST call, bounded in time; the answer's body parsed when it is JSON. */
  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', resource: string, body?: unknown): Promise<RestAnswer> {
    const res = await fetch(`${this.url}${resource}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REST_TIMEOUT_MS),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (Jetty's HTML error pages): the text is the answer.
    }
    return { status: res.status, body: parsed, text };
  }

  /** The worker's whole log so far. */
  log(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  logTail(lines = 40): string {
    return tailFile(this.logFile, lines);
  }

  /** SIGTERM (Connect stops its connectors and tasks, committing their offsets), SIGKILL after `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    await this.proc.stop(graceMs);
  }

  /** SIGKILL of the worker's process group: nothing gets to finish. */
  async kill(): Promise<void> {
    this.proc.signal('SIGKILL');
    await this.proc.exitCode;
  }

  /** Deletes the worker's internal topics once it is gone (best effort: a run's leftovers, not a verdict). */
  async removeInternalTopics(): Promise<void> {
    const admin = kafkaClient(this.kafka, 'conformance-connect-cleanup').admin();
    try {
      await admin.connect();
      await admin.deleteTopics({ topics: ['configs', 'offsets', 'status'].map((t) => `${this.groupId}-${t}`), timeout: 10_000 });
    } catch {
      // Already gone, or the broker is away: nothing a scenario depends on.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

/**
 * The worker's `java` arguments: the heap and collector of Kafka's connect-distributed.sh and
 * kafka-run-class.sh, then the given JVM options (a later `-Xmx` or `-D` wins), then the class path.
 */
export function workerJavaArgs(o: Pick<ConnectWorkerOptions, 'runtime' | 'jvmOptions'>, propertiesFile: string): string[] {
  return [
    '-Xms256M',
    '-Xmx2G',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${path.join(CONFIG_DIR, 'log4j.properties')}`,
    ...(o.jvmOptions ?? []),
    '-cp',
    `${o.runtime.libsDir}${path.sep}*`,
    'org.apache.kafka.connect.cli.ConnectDistributed',
    propertiesFile,
  ];
}

/**
 * The worker's configuration. Choices a deployer makes, each stated in the README's contract:
 * offsets committed every second (Connect's default is 60 s; the suite waits for commits), plugins
 * found by scanning (`only_scan`: Apicurio's converters and many connectors have no ServiceLoader
 * manifests), connector configs may override client settings (`All`, Kafka's default since 3.0,
 * stated because the adapter maps a config's Kafka client keys to `consumer.override.*`), and
 * Kafka's shipped default converters (JSON with schemas) for configs that name none.
 */
export function workerProperties(o: Pick<ConnectWorkerOptions, 'pluginPath' | 'kafka' | 'replicationFactor' | 'settings'> & { groupId: string; port: number }): string {
  const client = o.kafka.clientSettings;
  const props: Record<string, string> = {
    'bootstrap.servers': o.kafka.bootstrapServers.join(','),
    ...client,
    ...Object.fromEntries(['consumer.', 'producer.', 'admin.'].flatMap((prefix) => Object.entries(client).map(([k, v]) => [`${prefix}${k}`, v]))),
    'group.id': o.groupId,
    'config.storage.topic': `${o.groupId}-configs`,
    'offset.storage.topic': `${o.groupId}-offsets`,
    'status.storage.topic': `${o.groupId}-status`,
    'config.storage.replication.factor': String(o.replicationFactor),
    'offset.storage.replication.factor': String(o.replicationFactor),
    'status.storage.replication.factor': String(o.replicationFactor),
    'offset.storage.partitions': '1',
    'status.storage.partitions': '1',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'true',
    'value.converter.schemas.enable': 'true',
    listeners: `http://127.0.0.1:${o.port}`,
    'rest.advertised.host.name': '127.0.0.1',
    'rest.advertised.port': String(o.port),
    'plugin.path': o.pluginPath.join(','),
    'plugin.discovery': 'only_scan',
    'offset.flush.interval.ms': '1000',
    'connector.client.config.override.policy': 'All',
    ...o.settings,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`)
    .join('\n')}\n`;
}
