/**
 * Our sink as a Kafka Connect plugin (connect-plugin/, docs/connect-plugin.md): the connector jar's
 * generated resources — the sink's bundle for GraalJS, the ConfigDef's keys from the one config
 * declaration, the version — then the Maven build of the Java glue from an empty target/, then the
 * component archive (connect-plugin.ts). One version (package.json's) and one date (the standalone
 * archive's SOURCE_DATE_EPOCH or last commit) for the jar's entries, the zip and the manifest.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { connectConfigDefinitions } from '../../src/connect/connect-config';
import { CONNECTOR_CLASS } from '../../src/config/config-definitions';
import { runBounded } from '../../conformance/environments/local/run-bounded';
import { bundleConnect, CONNECT_BUNDLE_FILE } from './bundle-connect';
import { composeManifest, packageConnectComponent, readDependencyList, type ConnectComponent, type ConnectPackageOptions } from './connect-plugin';
import { sourceDateEpoch, type PackagedPlugin } from './package-plugin';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CONNECT_PLUGIN_DIR = path.join(REPO_ROOT, 'connect-plugin');
/** The glue compiles for Java 17 (docs/connect-plugin.md); Maven must run on a JDK of at least that. */
const MIN_JDK = 17;
/** Bound for the Maven build (a cold local repository downloads GraalJS and Maven's plugins). */
const MAVEN_TIMEOUT_MS = 10 * 60_000;

export async function packageSinkConnect(options: ConnectPackageOptions = {}): Promise<PackagedPlugin> {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const epoch = options.sourceDateEpoch ?? sourceDateEpoch(REPO_ROOT);
  const templateFile = path.join(CONNECT_PLUGIN_DIR, 'manifest.template.json');
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as Record<string, unknown>;
  const derived = ['version', 'release_date'].filter((f) => f in template);
  if (derived.length > 0) throw new Error(`${templateFile}: ${derived.join(', ')} are derived (package.json's version, the build's date); the template must not set them`);
  const manifest = composeManifest(templateFile, { ...template, version, release_date: new Date(epoch * 1000).toISOString().slice(0, 10) });
  const inputs = buildSinkConnectJar(version, epoch).then(
    // connect-plugin/src/main/resources/META-INF/services declares the connector.
    (built): ConnectComponent => ({ connectorClass: CONNECTOR_CLASS, ...built, licenseFile: path.join(REPO_ROOT, 'LICENSE'), manifest, serviceLoaded: true }),
  );
  return packageConnectComponent(inputs, epoch, options);
}

/**
 * Writes the generated resources into an empty connect-plugin/target/ (no class or jar of an
 * earlier build can end up in the archive) and runs Maven: the connector jar, its run-time jars in
 * target/lib and their coordinates.
 */
export async function buildSinkConnectJar(version: string, epoch: number): Promise<Pick<ConnectComponent, 'connectorJar' | 'dependencyJars' | 'coordinates'>> {
  await checkMaven();
  const target = path.join(CONNECT_PLUGIN_DIR, 'target');
  fs.rmSync(target, { recursive: true, force: true });
  const generated = path.join(target, 'generated-resources');
  fs.mkdirSync(generated, { recursive: true });
  fs.writeFileSync(path.join(generated, CONNECT_BUNDLE_FILE), await bundleConnect(REPO_ROOT, version));
  fs.writeFileSync(path.join(generated, 'databend-sink-config.json'), `${JSON.stringify(connectConfigDefinitions(), null, 2)}\n`);
  fs.writeFileSync(path.join(generated, 'databend-sink-version.txt'), `${version}\n`);
  const listFile = path.join(target, 'dependencies.txt');
  await runMaven(target, [
    `-Drevision=${version}`,
    // The jar's entries carry the build's date, like the zip's (the POM's default is for plain `mvn package`).
    `-Dproject.build.outputTimestamp=${new Date(epoch * 1000).toISOString().replace(/\.000Z$/, 'Z')}`,
    'package',
    'dependency:list',
    '-DincludeScope=runtime',
    '-DexcludeTypes=pom',
    `-DoutputFile=${listFile}`,
  ]);
  const coordinates = readDependencyList(listFile);
  const libDir = path.join(target, 'lib');
  const dependencyJars = coordinates.map((c) => path.join(libDir, `${c.split(':')[1]}-${c.split(':')[2]}.jar`));
  const copied = fs.readdirSync(libDir).sort();
  if (JSON.stringify(copied) !== JSON.stringify(dependencyJars.map((f) => path.basename(f)).sort())) {
    throw new Error(`connect-plugin: target/lib holds ${copied.join(', ')}, but Maven lists the run-time dependencies ${coordinates.join(', ')}`);
  }
  return { connectorJar: path.join(target, `databend-kafka-sink-connect-${version}.jar`), dependencyJars, coordinates };
}

/** Maven on a JDK (javac), Java 17 or later: otherwise a message that says so, before anything is built. */
async function checkMaven(): Promise<void> {
  const need = `the Kafka Connect plugin is built with Maven on a JDK ${MIN_JDK}+ (mvn and javac; e.g. apt-get install maven openjdk-${MIN_JDK}-jdk-headless); only the standalone archive builds without: npm run package-plugin -- --only standalone`;
  let out: string;
  try {
    out = (await promisify(execFile)('mvn', ['-v', '-B'], { encoding: 'utf8' })).stdout;
  } catch (err) {
    throw new Error(`${need}\nmvn -v: ${(err as Error).message}`, { cause: err });
  }
  const java = /Java version: (\d+)[^\n]*runtime: (\S+)/.exec(out);
  if (!java) throw new Error(`${need}\nmvn -v does not name its Java version and runtime:\n${out}`);
  if (Number(java[1]) < MIN_JDK) throw new Error(`${need}\nMaven runs on Java ${java[1]} (${java[2]}); set JAVA_HOME to a JDK ${MIN_JDK}+`);
  if (!fs.existsSync(path.join(java[2], 'bin', 'javac'))) throw new Error(`${need}\nMaven runs on ${java[2]}, a Java runtime without javac; set JAVA_HOME to a JDK`);
}

/** Offline first (every artifact in the local repository after the first build), online otherwise. */
async function runMaven(target: string, args: string[]): Promise<void> {
  const logFile = path.join(target, 'maven.log');
  const maven = (extra: string[]) => runBounded('package-plugin', 'mvn', [...extra, '-B', '-Dstyle.color=never', ...args], { cwd: CONNECT_PLUGIN_DIR, logFile, timeoutMs: MAVEN_TIMEOUT_MS });
  try {
    await maven(['-o']);
  } catch {
    try {
      await maven([]);
    } catch (err) {
      // The online attempt's lines: the last run in the log.
      const errors = fs.readFileSync(logFile, 'utf8').split('\n=== ').at(-1)?.split('\n').filter((l) => l.startsWith('[ERROR]')).slice(0, 20) ?? [];
      throw new Error(`the Connect plugin's Maven build failed (cd connect-plugin && mvn package; log: ${logFile}):\n${errors.join('\n')}`, { cause: err });
    }
  }
}
