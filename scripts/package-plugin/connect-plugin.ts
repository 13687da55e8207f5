/**
 * A Kafka Connect plugin (a connector jar and its run-time jars) as a Confluent-Hub component
 * archive in dist/, with its checksum, CycloneDX SBOM and Confluent Cloud custom-plugin upload
 * metadata beside it: ours (sink-connect.ts) or a foreign one from a spec
 * (`npm run package-plugin -- --connect <spec.json>`).
 *
 * A spec's dependencies come from Maven Central (`mvn dependency:copy-dependencies` on a generated POM,
 * Kafka's own jars excluded: the worker provides them). The config schema is the connector's own
 * ConfigDef as a real Kafka Connect worker (the conformance suite's) reads it through its REST API
 * (`GET /connector-plugins/<class>/config`), and the sensitive properties are its PASSWORD keys.
 * The built zip is then unpacked into a fresh worker, which must load it and list the same
 * definition: the archive is proven to load before it is written.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kafkaRuntime } from '../../conformance/environments/local/kafka-runtime';
import type { KafkaEndpoint } from '../../conformance/environments/environment';
import type { LocalContext, RunningLocalService } from '../../conformance/environments/local/local-service';
import { runBounded } from '../../conformance/environments/local/run-bounded';
import { RUNTIMES_DIR } from '../../conformance/environments/select-environment';
import { installConnectRuntime, type ConnectRuntime } from '../../conformance/sink-under-test/connect/connect-runtime';
import { ConnectWorker } from '../../conformance/sink-under-test/connect/connect-worker';
import { unpackComponentArchive } from '../../conformance/support/component-archive';
import type { ConfigKeyInfo } from '../../src/config/config-projections';
import { errorsIn, formatFinding, verifyArchive } from '../../src/plugin-archive';
import { checkManifest, componentFolderName, MANIFEST_FIELDS } from '../../src/plugin-archive/manifest-rules';
import { zipTree } from './deterministic-zip';
import { readBytes, textBytes } from './files';
import { sourceDateEpoch, type PackagedPlugin } from './package-plugin';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const MAVEN_COORDINATES = /^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+:[A-Za-z0-9_.+-]+$/;
/** Bound for Maven to resolve the dependencies (a cold cache downloads them). */
const MAVEN_TIMEOUT_MS = 10 * 60_000;

/** The packaging spec of a Connect plugin (e.g. scripts/vendor-example/databend-kafka-connect.plugin.json); paths relative to it. */
export interface ConnectPluginSpec {
  connector: { jar: string; class: string };
  /** `group:artifact:version` of every run-time dependency (their own dependencies are resolved too). */
  dependencies: string[];
  /** The connector's licence file, copied to doc/LICENSE. */
  license_file: string;
  /** Every manifest field, `release_date` (the connector's release, YYYY-MM-DD) included. */
  manifest: Record<string, unknown>;
}

export interface ConnectPackageOptions {
  outDir?: string;
  sourceDateEpoch?: number;
  force?: boolean;
  progress?: (message: string) => void;
  /** A running Kafka for the workers (the conformance suite's, in its tests); default: a local broker started for the build. */
  kafka?: KafkaEndpoint;
}

/**
 * One entry of Kafka Connect's `GET /connector-plugins/<class>/config`: the ConfigKeyInfo shape our
 * own definitions are written in (src/config/config-projections.ts), except that a foreign
 * ConfigDef may leave a key's group null.
 */
export type ConnectConfigKey = Omit<ConfigKeyInfo, 'group'> & { group: string | null };

/** What a Connect component archive is made of, once its jars are at hand. */
export interface ConnectComponent {
  /** The connector's class, as the worker must list it. */
  connectorClass: string;
  /** The connector jar: lib/ under its file name, and the SBOM's first component. */
  connectorJar: string;
  /** The run-time jars beside it (Kafka's own left out), and their Maven coordinates for the SBOM. */
  dependencyJars: string[];
  coordinates: string[];
  /** Copied to doc/LICENSE. */
  licenseFile: string;
  /** The manifest, release_date included. */
  manifest: Record<string, unknown>;
  /**
   * The connector jar declares its plugins in META-INF/services: the workers load it with
   * `plugin.discovery=service_load`, which needs those declarations (and skips the slow class scan);
   * otherwise with `only_scan`, which any plugin passes.
   */
  serviceLoaded?: boolean;
}

/**
 * `npm run package-plugin -- --connect <spec.json>`: a foreign plugin from its spec. The archive's
 * date is the spec's `manifest.release_date` (the vendor's release; SOURCE_DATE_EPOCH overrides the
 * entries' timestamps): it depends on the vendor's inputs only, not on this repository's last commit.
 */
export async function packageConnectPlugin(specFile: string, options: ConnectPackageOptions = {}): Promise<PackagedPlugin> {
  const spec = readSpec(specFile);
  const base = path.dirname(path.resolve(specFile));
  const jar = path.resolve(base, spec.connector.jar);
  const licence = path.resolve(base, spec.license_file);
  for (const [what, file] of [
    ['connector.jar', jar],
    ['license_file', licence],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${specFile}: ${what} ${file} does not exist`);
  }
  const epoch = options.sourceDateEpoch ?? (process.env.SOURCE_DATE_EPOCH ? sourceDateEpoch(REPO_ROOT) : Date.parse(`${String(spec.manifest.release_date)}T00:00:00Z`) / 1000);
  const manifest = composeManifest(specFile, spec.manifest);
  const progress = options.progress ?? defaultProgress;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'package-connect-plugin-'));
  try {
    const inputs = (async (): Promise<ConnectComponent> => {
      progress(`resolving ${spec.dependencies.length} dependencies from Maven Central`);
      const resolved = await resolveDependencies(spec.dependencies, path.join(scratch, 'maven'));
      return { connectorClass: spec.connector.class, connectorJar: jar, dependencyJars: resolved.jars, coordinates: resolved.coordinates, licenseFile: licence, manifest };
    })();
    return await packageConnectComponent(inputs, epoch, { ...options, progress });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

const defaultProgress = (m: string) => process.stderr.write(`package-plugin: ${m}\n`);

/**
 * The component archive of a Connect plugin, its checksum, SBOM and upload metadata. `inputs` is
 * awaited while the broker the worker needs starts. Every timestamp is `epoch`'s.
 */
export async function packageConnectComponent(inputs: Promise<ConnectComponent>, epoch: number, options: ConnectPackageOptions = {}): Promise<PackagedPlugin> {
  const progress = options.progress ?? defaultProgress;
  const built = new Date(epoch * 1000);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'package-connect-plugin-'));
  try {
    const broker: Promise<{ endpoint: KafkaEndpoint; stop(): Promise<void> }> = options.kafka ? Promise.resolve({ endpoint: options.kafka, stop: async () => undefined }) : startKafka(scratch, progress);
    const [component, runtime, kafka] = await settleAll([inputs, installConnectRuntime(progress), broker]);
    try {
      const { manifest } = component;
      const stem = componentFolderName(manifest) as string;
      const lib = new Map<string, Uint8Array>([component.connectorJar, ...component.dependencyJars].map((f): [string, Uint8Array] => [`lib/${path.basename(f)}`, readBytes(f)]));
      // The plugin as it will be in the archive, minus the files derived from the worker's answers.
      const staged = path.join(scratch, 'staged');
      for (const [file, content] of lib) writeFile(path.join(staged, stem, file), content);
      const definition = await readConfigDefinition(runtime, kafka, staged, component, scratch, progress);
      const sensitive = definition.filter((k) => k.type === 'PASSWORD').map((k) => k.name);
      const tree = new Map<string, Uint8Array>([
        ...lib,
        ['manifest.json', json(manifest)],
        ['config-definition.json', json(definition)],
        ['config-schema.json', json(configJsonSchema(component.connectorClass, definition))],
        ['doc/LICENSE', readBytes(component.licenseFile)],
      ]);
      const zip = await zipTree(stem, tree, built);

      // Proof: the archive itself, unpacked by the suite's reader, loads in a fresh worker and lists the same definition.
      const proof = path.join(scratch, 'proof');
      fs.mkdirSync(proof, { recursive: true });
      const zipFile = path.join(scratch, `${stem}.zip`);
      fs.writeFileSync(zipFile, zip);
      await unpackComponentArchive(zipFile, proof);
      const reloaded = await readConfigDefinition(runtime, kafka, proof, component, scratch, progress);
      if (JSON.stringify(reloaded) !== JSON.stringify(definition)) throw new Error(`the built archive loads in Kafka Connect, but ${component.connectorClass} lists another config definition from it than from the staged files`);

      return await writeOutputs({
        outDir: options.outDir ?? path.join(REPO_ROOT, 'dist'),
        stem,
        zip,
        zipFile,
        force: options.force ?? false,
        sbom: cycloneDx(component, built),
        customPlugin: {
          display_name: manifest.title,
          description: String(manifest.description).split('\n\n')[0],
          documentation_link: manifest.documentation_url,
          connector_class: component.connectorClass,
          connector_type: String((manifest.component_types as string[])[0]).toUpperCase(),
          content_format: 'ZIP',
          sensitive_config_properties: sensitive,
        },
        manifest,
      });
    } finally {
      await kafka.stop();
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Like Promise.all, but waits for every promise, so a broker that started is stopped when the build failed. */
async function settleAll<A, B, C extends { stop(): Promise<void> }>(promises: [Promise<A>, Promise<B>, Promise<C>]): Promise<[A, B, C]> {
  const [a, b, c] = await Promise.allSettled(promises);
  if (a.status === 'fulfilled' && b.status === 'fulfilled' && c.status === 'fulfilled') return [a.value, b.value, c.value];
  if (c.status === 'fulfilled') await c.value.stop();
  throw ([a, b, c].find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
}

export function readSpec(specFile: string): ConnectPluginSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(specFile, 'utf8'));
  } catch (err) {
    throw new Error(`${specFile}: cannot be read as JSON: ${(err as Error).message}`, { cause: err });
  }
  const spec = raw as Partial<ConnectPluginSpec>;
  const problems: string[] = [];
  if (typeof spec.connector?.jar !== 'string') problems.push('connector.jar: the connector jar, relative to this file');
  if (typeof spec.connector?.class !== 'string' || !/^[\w$.]+$/.test(spec.connector.class)) problems.push('connector.class: the connector class name');
  if (!Array.isArray(spec.dependencies) || spec.dependencies.some((d) => typeof d !== 'string' || !MAVEN_COORDINATES.test(d))) problems.push('dependencies: an array of Maven coordinates group:artifact:version');
  if (typeof spec.license_file !== 'string') problems.push('license_file: the connector\'s licence file, relative to this file');
  if (typeof spec.manifest !== 'object' || spec.manifest === null) problems.push('manifest: the component manifest\'s fields');
  else if (typeof spec.manifest.release_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(spec.manifest.release_date) || Number.isNaN(Date.parse(`${spec.manifest.release_date}T00:00:00Z`))) {
    problems.push("manifest.release_date: the connector's release date, YYYY-MM-DD (the archive's timestamps come from it, so the same inputs give the same bytes)");
  }
  if (problems.length > 0) throw new Error(`${specFile}: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  return spec as ConnectPluginSpec;
}

/** The manifest in manifest field order; its errors (by the rules verify-archive applies) stop the build. */
export function composeManifest(source: string, fields: Record<string, unknown>): Record<string, unknown> {
  const manifest = Object.fromEntries(
    [...MANIFEST_FIELDS.filter((f) => f in fields), ...Object.keys(fields).filter((f) => !(MANIFEST_FIELDS as readonly string[]).includes(f))].map((f) => [f, fields[f]]),
  );
  const problems = errorsIn(checkManifest(manifest, new Set())).map((f) => `manifest.${f.at}: ${f.message}`);
  if (problems.length > 0) throw new Error(`${source}: ${problems.length} problem(s) in the manifest; nothing was written:\n  - ${problems.join('\n  - ')}`);
  return manifest;
}

interface ResolvedDependencies {
  jars: string[];
  /** `group:artifact:version` of every jar copied, sorted. */
  coordinates: string[];
}

/** The dependencies and theirs, from Maven Central, without Kafka's own jars. */
async function resolveDependencies(coordinates: string[], dir: string): Promise<ResolvedDependencies> {
  fs.mkdirSync(dir, { recursive: true });
  const pom = path.join(dir, 'pom.xml');
  fs.writeFileSync(pom, generatedPom(coordinates));
  const logFile = path.join(dir, 'maven.log');
  const libDir = path.join(dir, 'lib');
  const listFile = path.join(dir, 'dependencies.txt');
  const maven = (args: string[]) => runBounded('package-plugin', 'mvn', ['-q', '-B', '-Dstyle.color=never', '-f', pom, ...args], { logFile, timeoutMs: MAVEN_TIMEOUT_MS });
  await maven(['dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${libDir}`]);
  await maven(['dependency:list', '-DincludeScope=runtime', `-DoutputFile=${listFile}`, '-DappendOutput=false']);
  return { jars: fs.readdirSync(libDir).sort().map((f) => path.join(libDir, f)), coordinates: readDependencyList(listFile) };
}

/** `group:artifact:version` of every jar `mvn dependency:list` wrote to `listFile`, sorted. */
export function readDependencyList(listFile: string): string[] {
  return fs
    .readFileSync(listFile, 'utf8')
    .split('\n')
    .map((line) => /^\s+([^:\s]+):([^:\s]+):jar:(?:[^:\s]+:)?([^:\s]+):(?:compile|runtime)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}:${m[2]}:${m[3]}`)
    .sort();
}

function generatedPom(coordinates: string[]): string {
  const dependencies = coordinates.map((c) => {
    const [groupId, artifactId, version] = c.split(':');
    return `    <dependency>
      <groupId>${groupId}</groupId>
      <artifactId>${artifactId}</artifactId>
      <version>${version}</version>
      <exclusions>
        <!-- Kafka Connect and the Kafka client come from the worker: a second copy breaks class loading. -->
        <exclusion><groupId>org.apache.kafka</groupId><artifactId>*</artifactId></exclusion>
      </exclusions>
    </dependency>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>databend-kafka-sink.package-plugin</groupId>
  <artifactId>connect-plugin-dependencies</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies.join('\n')}
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

/** A Kafka broker for the worker (Kafka Connect needs one to start): the conformance suite's local runtime. */
async function startKafka(scratch: string, progress: (m: string) => void): Promise<RunningLocalService<KafkaEndpoint>> {
  const ctx: LocalContext = { cacheDir: RUNTIMES_DIR, runDir: path.join(scratch, 'kafka-run'), pidDir: path.join(RUNTIMES_DIR, 'pids'), progress };
  fs.mkdirSync(ctx.runDir, { recursive: true });
  await kafkaRuntime.install(ctx);
  progress('starting a local Kafka broker for the Kafka Connect worker');
  return kafkaRuntime.start(ctx);
}

/** The connector's ConfigDef as a worker with `pluginPath` lists it. */
async function readConfigDefinition(
  runtime: ConnectRuntime,
  kafka: { endpoint: KafkaEndpoint },
  pluginPath: string,
  { connectorClass, serviceLoaded }: ConnectComponent,
  scratch: string,
  progress: (m: string) => void,
): Promise<ConnectConfigKey[]> {
  const discovery = serviceLoaded ? 'service_load' : 'only_scan';
  progress(`loading ${path.basename(fs.readdirSync(pluginPath)[0])} in a Kafka Connect ${runtime.version} worker (plugin.discovery=${discovery})`);
  const worker = await ConnectWorker.start({
    runtime,
    pluginPath: [pluginPath],
    kafka: { bootstrapServers: kafka.endpoint.bootstrapServers, clientSettings: kafka.endpoint.clientSettings },
    replicationFactor: 1,
    runDir: path.join(scratch, 'workers'),
    pidDir: path.join(RUNTIMES_DIR, 'pids'),
    settings: { 'plugin.discovery': discovery },
  });
  try {
    const plugins = await worker.request('GET', '/connector-plugins');
    const listed = (plugins.body as { class: string; type: string }[]).map((p) => p.class);
    if (!listed.includes(connectorClass)) {
      throw new Error(`Kafka Connect did not find ${connectorClass} in the plugin (it found ${listed.join(', ') || 'no connector'}); worker log: ${worker.logFile}\n${worker.logTail(30)}`);
    }
    const config = await worker.request('GET', `/connector-plugins/${encodeURIComponent(connectorClass)}/config`);
    if (config.status !== 200) throw new Error(`GET /connector-plugins/${connectorClass}/config answered ${config.status}: ${config.text}`);
    return config.body as ConnectConfigKey[];
  } finally {
    await worker.stop();
  }
}

const JSON_TYPES: Record<string, unknown> = {
  BOOLEAN: ['boolean', 'string'],
  INT: ['integer', 'string'],
  SHORT: ['integer', 'string'],
  LONG: ['integer', 'string'],
  DOUBLE: ['number', 'string'],
  LIST: ['string', 'array'],
};

/** JSON Schema (draft 2020-12) of the connector's config, from the definition the worker listed. */
export function configJsonSchema(connectorClass: string, definition: readonly ConnectConfigKey[]): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:kafka-connect:${connectorClass}:config`,
    title: `${connectorClass} config`,
    description: "Flat map of the connector's config keys as its ConfigDef declares them (read through Kafka Connect's REST API). Values are strings in Kafka Connect; the types say what each string must hold. Kafka Connect's own keys (connector.class, topics, converters, errors.*) are allowed beside them.",
    type: 'object',
    properties: Object.fromEntries(
      definition.map((k) => [
        k.name,
        {
          title: k.display_name,
          description: k.documentation,
          type: JSON_TYPES[k.type] ?? 'string',
          ...(k.type === 'LIST' ? { items: { type: 'string' } } : {}),
          ...(k.default_value !== null && k.default_value !== undefined ? { default: k.default_value } : {}),
          ...(k.type === 'PASSWORD' ? { writeOnly: true } : {}),
          'x-type': k.type,
          'x-importance': k.importance,
          'x-group': k.group,
          'x-order': k.order,
        },
      ]),
    ),
    required: definition.filter((k) => k.required).map((k) => k.name),
    additionalProperties: true,
  };
}

interface Outputs {
  outDir: string;
  stem: string;
  zip: Uint8Array;
  zipFile: string;
  force: boolean;
  sbom: unknown;
  customPlugin: Record<string, unknown>;
  manifest: Record<string, unknown>;
}

/** The zip, verified by `verify-archive`'s rules, and its companions; the zip is renamed into place last. */
async function writeOutputs(o: Outputs): Promise<PackagedPlugin> {
  const problems = errorsIn(await verifyArchive(o.zipFile));
  if (problems.length > 0) throw new Error(`the built archive fails verification:\n${problems.map(formatFinding).join('\n')}`);
  const sha512 = createHash('sha512').update(o.zip).digest('hex');
  const out = {
    zip: path.join(o.outDir, `${o.stem}.zip`),
    sha512File: path.join(o.outDir, `${o.stem}.zip.sha512`),
    sbom: path.join(o.outDir, `${o.stem}.cdx.json`),
    customPlugin: path.join(o.outDir, `${o.stem}.custom-plugin.json`),
  };
  if (!o.force && fs.existsSync(out.zip) && !fs.readFileSync(out.zip).equals(o.zip)) {
    throw new Error(`${out.zip} exists and differs from this build: raise the manifest version, or pass --force to replace it`);
  }
  fs.mkdirSync(o.outDir, { recursive: true });
  const contents: [string, Uint8Array][] = [
    [out.sha512File, textBytes(`${sha512}  ${path.basename(out.zip)}\n`)],
    [out.sbom, json(o.sbom)],
    [out.customPlugin, json({ ...o.customPlugin, plugin_archive: path.basename(out.zip), plugin_archive_sha512: sha512 })],
    [out.zip, o.zip],
  ];
  const temps = contents.map(([target, data]) => {
    const temp = path.join(o.outDir, `.${path.basename(target)}.${process.pid}.tmp`);
    fs.writeFileSync(temp, data);
    return [temp, target] as const;
  });
  for (const [temp, target] of temps) fs.renameSync(temp, target);
  return { stem: o.stem, ...out, sha512, bytes: o.zip.length, manifest: o.manifest };
}

/** CycloneDX 1.5: the connector jar and every Maven jar in lib/ by its coordinates, each with its SHA-512. */
function cycloneDx(component: ConnectComponent, built: Date): Record<string, unknown> {
  const { manifest } = component;
  const licence = (manifest.license as { name: string }[])[0]?.name;
  const hashes = (file: string) => [{ alg: 'SHA-512', content: createHash('sha512').update(readBytes(file)).digest('hex') }];
  const byName = new Map(component.dependencyJars.map((f) => [path.basename(f), f]));
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: {
      timestamp: built.toISOString(),
      component: { type: 'application', name: manifest.name, version: manifest.version, ...(licence ? { licenses: [{ license: { name: licence } }] } : {}) },
    },
    components: [
      { type: 'library', name: path.basename(component.connectorJar), version: manifest.version, description: `the connector jar (${component.connectorClass})`, hashes: hashes(component.connectorJar) },
      ...component.coordinates.map((c) => {
        const [group, name, version] = c.split(':');
        const jar = byName.get(`${name}-${version}.jar`);
        return { type: 'library', group, name, version, purl: `pkg:maven/${group}/${name}@${version}`, ...(jar ? { hashes: hashes(jar) } : {}) };
      }),
    ],
  };
}

function writeFile(file: string, content: Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

const json = (value: unknown) => textBytes(`${JSON.stringify(value, null, 2)}\n`);
