/**
 * `npm run package-plugin`: the sink as a Confluent-Hub-layout component archive in dist/, with its
 * checksum, CycloneDX SBOM and upload metadata beside it (docs/packaging.md).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONNECTOR_CLASS, isKafkaClientKey } from '../../src/config/config-definitions';
import { configDefinitions, configJsonSchema, configMarkdown, sensitiveKeys } from '../../src/config/config-projections';
import { errorsIn, formatFinding, verifyArchive } from '../../src/plugin-archive';
import { checkManifest, componentFolderName, MANIFEST_FIELDS } from '../../src/plugin-archive/manifest-rules';
import { bundleSink } from './bundle-sink';
import { fileMode, zipTree } from './deterministic-zip';
import { listFiles, readBytes, textBytes } from './files';
import { noticeText } from './notice';
import { cycloneDxSbom } from './sbom';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The hand-written parts of the archive: manifest template, launcher, example configs, README, logo. */
const SOURCES = path.join(REPO_ROOT, 'plugin-manifest');
const COPIED_FOLDERS = ['assets', 'bin', 'doc', 'etc'] as const;
/** Set from package.json and the release date, never by the template. */
const DERIVED_FIELDS = ['version', 'release_date'] as const;

export interface PackageOptions {
  /** Where the archive and its companions go; default dist/. */
  outDir?: string;
  /** The manifest template; default plugin-manifest/manifest.template.json. */
  templatePath?: string;
  /** Seconds since 1970 for release_date and every timestamp; default SOURCE_DATE_EPOCH, else the last commit's time. */
  sourceDateEpoch?: number;
  /** Replace an archive of the same name whose bytes differ. */
  force?: boolean;
}

export interface PackagedPlugin {
  /** `{owner}-{name}-{version}`: the top folder and the stem of every file name. */
  stem: string;
  zip: string;
  sha512File: string;
  sbom: string;
  customPlugin: string;
  sha512: string;
  bytes: number;
  manifest: Record<string, unknown>;
}

export async function packagePlugin(options: PackageOptions = {}): Promise<PackagedPlugin> {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; license: string };
  const epoch = options.sourceDateEpoch ?? sourceDateEpoch(REPO_ROOT);
  const built = new Date(epoch * 1000);
  const sources = readSources();
  const templatePath = options.templatePath ?? path.join(SOURCES, 'manifest.template.json');
  const manifest = composeManifest(templatePath, pkg.version, built.toISOString().slice(0, 10), new Set([...sources.keys()]));
  const stem = componentFolderName(manifest) as string;

  const bundle = await bundleSink(REPO_ROOT, pkg.version);
  const owner = manifest.owner as { name: string };
  const tree = new Map<string, Uint8Array>([
    ...sources,
    ...bundle.files,
    ['manifest.json', json(manifest)],
    ['config-schema.json', json(configJsonSchema())],
    ['config-definition.json', json(configDefinitions())],
    ['doc/LICENSE', readBytes(path.join(REPO_ROOT, 'LICENSE'))],
    ['doc/NOTICE', textBytes(noticeText({ name: pkg.name, version: pkg.version, year: String(built.getUTCFullYear()), holder: owner.name }, bundle.packages))],
    ['doc/version.txt', textBytes(`${pkg.version}\n`)],
    ['doc/CONFIG.md', textBytes(configMarkdown())],
  ]);
  checkRuntimeVersion(stem, tree, pkg.version);
  const zip = await zipTree(stem, tree, built);
  const sha512 = createHash('sha512').update(zip).digest('hex');

  const outDir = options.outDir ?? path.join(REPO_ROOT, 'dist');
  const out = {
    zip: path.join(outDir, `${stem}.zip`),
    sha512File: path.join(outDir, `${stem}.zip.sha512`),
    sbom: path.join(outDir, `${stem}.cdx.json`),
    customPlugin: path.join(outDir, `${stem}.custom-plugin.json`),
  };
  if (!options.force && fs.existsSync(out.zip) && !fs.readFileSync(out.zip).equals(zip)) {
    throw new Error(`${out.zip} exists and differs from this build of version ${pkg.version}: bump the version in package.json, or pass --force to replace it`);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const temps = new Map<string, string>();
  const stage = (target: string, data: Uint8Array | string) => {
    const temp = path.join(outDir, `.${path.basename(target)}.${process.pid}.tmp`);
    temps.set(target, temp);
    fs.writeFileSync(temp, data);
    return temp;
  };
  try {
    const problems = errorsIn(await verifyArchive(stage(out.zip, zip)));
    if (problems.length > 0) throw new Error(`the built archive fails verification:\n${problems.map(formatFinding).join('\n')}`);
    stage(out.sha512File, `${sha512}  ${path.basename(out.zip)}\n`);
    stage(out.sbom, cycloneDxSbom({ name: pkg.name, version: pkg.version, license: pkg.license, timestamp: built }, bundle.packages));
    stage(out.customPlugin, json(customPluginMetadata(manifest, path.basename(out.zip), sha512)));
    // The zip is renamed last: a zip in dist/ always has its checksum and metadata beside it.
    for (const target of [out.sha512File, out.sbom, out.customPlugin, out.zip]) fs.renameSync(temps.get(target) as string, target);
    temps.clear();
  } finally {
    for (const temp of temps.values()) fs.rmSync(temp, { force: true });
  }
  return { stem, ...out, sha512, bytes: zip.length, manifest };
}

/** SOURCE_DATE_EPOCH when set, else the time of the last commit: never the wall clock. */
export function sourceDateEpoch(root: string, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!/^\d+$/.test(fromEnv)) throw new Error(`SOURCE_DATE_EPOCH="${fromEnv}" must be whole seconds since 1970-01-01`);
    return Number(fromEnv);
  }
  try {
    return Number(execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim());
  } catch (err) {
    throw new Error('no SOURCE_DATE_EPOCH and no git commit to take the release date from: set SOURCE_DATE_EPOCH', { cause: err });
  }
}

/** The hand-written files of plugin-manifest/{assets,bin,doc,etc}, keyed by their path in the component. */
function readSources(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const folder of COPIED_FOLDERS) {
    for (const file of listFiles(path.join(SOURCES, folder))) files.set(`${folder}/${file}`, readBytes(path.join(SOURCES, folder, file)));
  }
  return files;
}

/**
 * The template plus the derived fields, in the manifest's field order; every problem of it —
 * warnings included, since every rule holds for our own archive — fails the build before
 * anything is written.
 */
function composeManifest(templatePath: string, version: string, releaseDate: string, files: ReadonlySet<string>): Record<string, unknown> {
  let template: unknown;
  try {
    template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
  } catch (err) {
    throw new Error(`${templatePath}: cannot be read as JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const problems: string[] = [];
  const fields = typeof template === 'object' && template !== null && !Array.isArray(template) ? (template as Record<string, unknown>) : {};
  for (const field of DERIVED_FIELDS) {
    if (field in fields) problems.push(`${field}: is derived (version from package.json, release_date from SOURCE_DATE_EPOCH or the last commit); the template must not set it`);
  }
  const composed: Record<string, unknown> = { ...fields, version, release_date: releaseDate };
  const ordered = [...MANIFEST_FIELDS.filter((f) => f in composed), ...Object.keys(composed).filter((f) => !(MANIFEST_FIELDS as readonly string[]).includes(f))];
  const manifest = Object.fromEntries(ordered.map((f) => [f, composed[f]]));
  const findings = checkManifest(fields === template ? manifest : template, files);
  problems.push(...findings.map((f) => `${f.at || '(template)'}: ${f.message}${f.severity === 'warning' ? ' (a warning for other archives; required here)' : ''}`));
  if (problems.length > 0) {
    throw new Error(`${templatePath}: ${problems.length} problem(s) in the manifest template; nothing was written:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return manifest;
}

/** Unpacked to a scratch folder, the launcher must print the version the manifest declares. */
function checkRuntimeVersion(stem: string, tree: ReadonlyMap<string, Uint8Array>, version: string): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'package-plugin-'));
  try {
    for (const [file, content] of tree) {
      const target = path.join(scratch, stem, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content, { mode: fileMode(file, content) });
    }
    const reported = execFileSync(path.join(scratch, stem, 'bin', 'databend-sink'), ['--version'], { encoding: 'utf8' }).trim();
    if (reported !== version) throw new Error(`bin/databend-sink --version prints "${reported}"; the manifest and package.json say ${version}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * What a custom-connector upload form asks for. The sensitive properties come from the config
 * declaration: every sensitive key, and the Kafka client ones again behind `consumer.override.`.
 */
function customPluginMetadata(manifest: Record<string, unknown>, zipName: string, sha512: string): Record<string, unknown> {
  const sensitive = sensitiveKeys();
  return {
    display_name: manifest.title,
    description: String(manifest.description).split('\n\n')[0],
    documentation_link: manifest.documentation_url,
    connector_class: CONNECTOR_CLASS,
    connector_type: String((manifest.component_types as string[])[0]).toUpperCase(),
    content_format: 'ZIP',
    sensitive_config_properties: [...sensitive, ...sensitive.filter(isKafkaClientKey).map((k) => `consumer.override.${k}`)],
    plugin_archive: zipName,
    plugin_archive_sha512: sha512,
  };
}

const json = (value: unknown) => textBytes(`${JSON.stringify(value, null, 2)}\n`);
