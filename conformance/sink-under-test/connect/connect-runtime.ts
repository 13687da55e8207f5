import * as fs from 'node:fs';
import * as path from 'node:path';
import { RUNTIMES_DIR } from '../../environments/select-environment';
import { ServiceStartError } from '../../environments/local/managed-process';
import { runBounded } from '../../environments/local/run-bounded';
import { RUNTIME_VERSIONS } from '../../environments/local/versions';

/**
 * What a Kafka Connect worker of the `connect` adapter runs from, installed from Maven Central
 * the way the local broker is (`mvn dependency:copy-dependencies` on a project-owned POM) into
 * `.runtimes/`: Apache Kafka's connect-runtime of the broker's version, and Apicurio's Connect
 * converters as a plugin of their own.
 */
export interface ConnectRuntime {
  /** Kafka Connect's version: the local broker's. */
  version: string;
  /** The worker's class path (`<libs>/*`). */
  libsDir: string;
  /** A `plugin.path` entry holding the converter plugins the setup offers (Apicurio's). */
  convertersPath: string;
  apicurioConverterVersion: string;
}

const SERVICE = 'kafka-connect';
const INSTALL_MARKER = '.installed';
const POM_DIR = path.join(__dirname, 'maven');
/** The plugin folder of Apicurio's converters inside `convertersPath`. */
export const APICURIO_CONVERTER_FOLDER = 'apicurio-registry-converter';

export function connectRuntimePaths(cacheDir = RUNTIMES_DIR): ConnectRuntime {
  const version = RUNTIME_VERSIONS.kafka;
  const apicurioConverterVersion = RUNTIME_VERSIONS.apicurioConverter;
  return {
    version,
    libsDir: path.join(cacheDir, `kafka-connect-${version}`, 'libs'),
    convertersPath: path.join(cacheDir, `connect-converters-apicurio-${apicurioConverterVersion}`),
    apicurioConverterVersion,
  };
}

/**
 * Installs what is missing (a warm cache returns at once). Each part is downloaded into a
 * `.partial` folder and renamed into place when complete, so a killed install leaves nothing
 * half-written behind. Bounded in time; a failure names the log.
 */
export async function installConnectRuntime(progress: (message: string) => void, cacheDir = RUNTIMES_DIR, timeoutMs = 10 * 60_000): Promise<ConnectRuntime> {
  const runtime = connectRuntimePaths(cacheDir);
  await installOnce(path.dirname(runtime.libsDir), 'libs', 'worker-pom.xml', [`-Dkafka.version=${runtime.version}`], `Kafka Connect ${runtime.version} (connect-runtime)`, 'connect-runtime-', progress, timeoutMs);
  await installOnce(
    runtime.convertersPath,
    APICURIO_CONVERTER_FOLDER,
    'apicurio-converter-pom.xml',
    [`-Dapicurio.converter.version=${runtime.apicurioConverterVersion}`],
    `Apicurio's Connect converters ${runtime.apicurioConverterVersion}`,
    'apicurio-registry-utils-converter-',
    progress,
    timeoutMs,
  );
  return runtime;
}

/**
 * The dependencies of `pom` (a file name in this adapter's `maven/`, or an absolute path) copied
 * into `<home>/<folder>` once; a jar named `expectedJarPrefix…` must be among them.
 */
export async function installOnce(
  home: string,
  folder: string,
  pom: string,
  properties: string[],
  what: string,
  expectedJarPrefix: string,
  progress: (message: string) => void,
  timeoutMs: number,
): Promise<void> {
  const target = path.join(home, folder);
  if (fs.existsSync(path.join(home, INSTALL_MARKER)) && fs.existsSync(target)) return;
  const logFile = `${home}.install.log`;
  const partial = `${home}.partial`;
  progress(`${SERVICE}: downloading ${what} from Maven Central into ${home} (log: ${logFile})`);
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  try {
    await runBounded(
      SERVICE,
      'mvn',
      ['-q', '-B', '-Dstyle.color=never', '-f', path.resolve(POM_DIR, pom), 'dependency:copy-dependencies', ...properties, `-DoutputDirectory=${path.join(partial, folder)}`],
      { logFile, timeoutMs },
    );
    const jars = fs.existsSync(path.join(partial, folder)) ? fs.readdirSync(path.join(partial, folder)) : [];
    if (!jars.some((j) => j.startsWith(expectedJarPrefix))) throw new ServiceStartError(SERVICE, logFile, `Maven finished but no ${expectedJarPrefix}*.jar was copied`);
    fs.writeFileSync(path.join(partial, INSTALL_MARKER), `${what}\n`);
    fs.rmSync(home, { recursive: true, force: true });
    fs.renameSync(partial, home);
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
}
