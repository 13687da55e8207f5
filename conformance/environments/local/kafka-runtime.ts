import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaEndpoint, SecuredKafkaEndpoint } from '../environment';
import { ensureServerCertificate, existingServerCertificate } from './keytool-certificate';
import { newListenerUsers, scramFormatArguments, SECURED_LISTENER, securedEndpoint, securedListenerProperties } from './kafka-secured-listener';
import { restartable, type InstallResult, type LocalContext, type LocalService, type RunningLocalService } from './local-service';
import { ManagedProcess, ServiceStartError } from './managed-process';
import { freePort, portInUse } from './ports';
import { runBounded } from './run-bounded';
import { RUNTIME_VERSIONS } from './versions';

/**
 * Apache Kafka from Maven Central, run as one KRaft node that is both broker and controller.
 *
 * Install: `mvn dependency:copy-dependencies` on the project-owned `kafka/pom.xml` (kafka_2.13 plus a
 * reload4j logging backend, which Kafka 3.9 does not publish) into `<cache>/kafka-<v>/libs`, and the
 * secured listener's self-signed certificate into `<cache>/kafka-tls` (keytool, once).
 * Start: a generated server.properties under the run folder, `StorageTool format`, then `kafka.Kafka`.
 * Clients use the PLAINTEXT listener; a second listener, SASL_SSL (kafka-secured-listener.ts), is
 * there for scenarios that prove a sink's Kafka security settings.
 */
export interface KafkaRuntimeOptions {
  version?: string;
  /** Bound for the Maven download (cold caches take a minute or two). */
  installTimeoutMs?: number;
  /** Bound for `StorageTool format`. */
  formatTimeoutMs?: number;
  /** Bound for the broker to answer `describeCluster`. */
  readyTimeoutMs?: number;
  /** Extra or overriding server.properties entries. */
  serverProperties?: Record<string, string>;
  /** JVM options placed before the main class. */
  jvmOptions?: string[];
}

/** The plain listener, and the authenticated one of the same broker. */
export interface LocalKafkaEndpoint extends KafkaEndpoint {
  secured: SecuredKafkaEndpoint;
}

const SERVICE = 'kafka';
const INSTALL_MARKER = '.installed';
const POM_DIR = path.join(__dirname, 'kafka');

export function createKafkaRuntime(options: KafkaRuntimeOptions = {}): LocalService<LocalKafkaEndpoint> {
  const version = options.version ?? RUNTIME_VERSIONS.kafka;
  const installTimeoutMs = options.installTimeoutMs ?? 10 * 60_000;
  const formatTimeoutMs = options.formatTimeoutMs ?? 60_000;
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;

  const installDir = (ctx: LocalContext) => path.join(ctx.cacheDir, `kafka-${version}`);
  const libsDir = (ctx: LocalContext) => path.join(installDir(ctx), 'libs');
  const coreJar = (ctx: LocalContext) => path.join(libsDir(ctx), `kafka_2.13-${version}.jar`);
  const tlsDir = (ctx: LocalContext) => path.join(ctx.cacheDir, 'kafka-tls');

  /** Kafka's jars from Maven Central, unless this version is already in the cache. */
  const installKafka = async (ctx: LocalContext, logFile: string): Promise<InstallResult> => {
    const marker = path.join(installDir(ctx), INSTALL_MARKER);
    if (fs.existsSync(marker) && fs.existsSync(coreJar(ctx))) return { cold: false };
    ctx.progress(`kafka: downloading Apache Kafka ${version} from Maven Central into ${libsDir(ctx)} (log: ${logFile})`);
    // A half-finished earlier install may have left stale or partial jars behind.
    fs.rmSync(installDir(ctx), { recursive: true, force: true });
    fs.mkdirSync(installDir(ctx), { recursive: true });
    try {
      await runBounded(
        SERVICE,
        'mvn',
        [
          '-q',
          '-B',
          '-Dstyle.color=never',
          '-f',
          path.join(POM_DIR, 'pom.xml'),
          'dependency:copy-dependencies',
          `-Dkafka.version=${version}`,
          `-DoutputDirectory=${libsDir(ctx)}`,
        ],
        { logFile, timeoutMs: installTimeoutMs },
      );
    } catch (err) {
      fs.rmSync(installDir(ctx), { recursive: true, force: true });
      throw err;
    }
    if (!fs.existsSync(coreJar(ctx))) {
      throw new ServiceStartError(SERVICE, logFile, `Maven finished but ${coreJar(ctx)} is missing`);
    }
    fs.writeFileSync(marker, `${version}\n`);
    return { cold: true };
  };

  return {
    name: SERVICE,

    async install(ctx: LocalContext): Promise<InstallResult> {
      const logFile = path.join(ctx.runDir, 'kafka-install.log');
      const [kafka, tls] = await Promise.all([installKafka(ctx, logFile), ensureServerCertificate(tlsDir(ctx), SERVICE, logFile)]);
      return { cold: kafka.cold || tls.created };
    },

    async start(ctx: LocalContext): Promise<RunningLocalService<LocalKafkaEndpoint>> {
      const logFile = path.join(ctx.runDir, 'kafka.log');
      const certificate = existingServerCertificate(tlsDir(ctx));
      if (!fs.existsSync(coreJar(ctx)) || !certificate) {
        throw new ServiceStartError(SERVICE, logFile, `Kafka ${version} is not installed (no ${coreJar(ctx)} or ${tlsDir(ctx)}): run install first`);
      }
      const ports = [await freePort(), await freePort(), await freePort()];
      const [port, controllerPort, securedPort] = ports;
      const dataDir = path.join(ctx.runDir, 'kafka');
      const logDirs = path.join(dataDir, 'log-dirs');
      const propertiesFile = path.join(dataDir, 'server.properties');
      fs.mkdirSync(logDirs, { recursive: true });
      const users = newListenerUsers();
      const secured = securedListenerProperties(users, certificate);
      fs.writeFileSync(propertiesFile, serverProperties({ plain: port, controller: controllerPort, secured: securedPort }, logDirs, { ...secured, ...options.serverProperties }));

      const java = javaCommand();
      const classpath = `${libsDir(ctx)}${path.sep}*`;
      const log4j = `-Dlog4j.configuration=file:${path.join(POM_DIR, 'log4j.properties')}`;
      await runBounded(
        SERVICE,
        java,
        [log4j, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', propertiesFile, ...scramFormatArguments(users)],
        { logFile, timeoutMs: formatTimeoutMs },
      );

      const bootstrap = `127.0.0.1:${port}`;
      const launch = async (): Promise<ManagedProcess> => {
        for (const p of ports) {
          if (await portInUse(p)) {
            throw new ServiceStartError(SERVICE, logFile, `port ${p} on 127.0.0.1 is already taken by another process`);
          }
        }
        return ManagedProcess.start({
          name: SERVICE,
          command: java,
          args: [
            '-Xmx512m',
            '-Xms128m',
            '-XX:+UseG1GC',
            '-Djava.awt.headless=true',
            log4j,
            ...(options.jvmOptions ?? []),
            '-cp',
            classpath,
            'kafka.Kafka',
            propertiesFile,
          ],
          cwd: dataDir,
          logFile,
          pidDir: ctx.pidDir,
          readyTimeoutMs,
          ready: () => clusterAnswers(bootstrap),
        });
      };

      const proc = await launch();
      // Kafka's console tools on the same JDK and jars as the broker, logging warnings only, to stderr.
      const tools = { jvm: [java, `-Dlog4j.configuration=file:${path.join(POM_DIR, 'tools-log4j.properties')}`, '-cp', classpath] };
      const endpoint: LocalKafkaEndpoint = { bootstrapServers: [bootstrap], clientSettings: {}, tools, secured: securedEndpoint(securedPort, users, certificate) };
      return restartable(endpoint, version, logFile, proc, launch);
    },
  };
}

export const kafkaRuntime: LocalService<LocalKafkaEndpoint> = createKafkaRuntime();

/**
 * One combined broker+controller on loopback. Replication factors are 1 (there is one node);
 * internal topics get one partition as in the testcontainers Kafka images, which keeps the first
 * consumer group fast. `auto.create.topics.enable=true` is Kafka's own default, kept so that a sink
 * behaves as against a stock broker; scenarios still create their topics explicitly. The broker and
 * controller talk over PLAINTEXT; only clients of the secured listener authenticate.
 */
export function serverProperties(ports: { plain: number; controller: number; secured: number }, logDirs: string, extra: Record<string, string>): string {
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${ports.controller}`,
    listeners: `PLAINTEXT://127.0.0.1:${ports.plain},CONTROLLER://127.0.0.1:${ports.controller},${SECURED_LISTENER}://127.0.0.1:${ports.secured}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${ports.plain},${SECURED_LISTENER}://127.0.0.1:${ports.secured}`,
    'listener.security.protocol.map': `PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,${SECURED_LISTENER}:SASL_SSL`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': logDirs,
    'num.partitions': '1',
    'auto.create.topics.enable': 'true',
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '1',
    'group.initial.rebalance.delay.ms': '0',
    ...extra,
  };
  return Object.entries(props)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')
    .concat('\n');
}

/** Resolves true when a fresh admin client gets the cluster description within a few seconds. */
async function clusterAnswers(bootstrap: string): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'conformance-readiness',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  const attempt = (async () => {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  })();
  attempt.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), 5000);
  });
  try {
    return await Promise.race([attempt.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/** A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (Kafka's Uuid form). */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    // An id starting with '-' would be read as an option by StorageTool's argument parser.
    if (!id.startsWith('-')) return id;
  }
}

export function javaCommand(): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', 'java') : 'java';
}
