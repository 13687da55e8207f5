import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractArchive } from '../../src/plugin-archive';
import { componentFolderName } from '../../src/plugin-archive/manifest-rules';
import { OWN_CAPABILITIES, OWN_SINK_DEFAULTS, type SinkSpec } from './select-sink';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The archive `npm run package-plugin` writes for this checkout: named from the manifest template and package.json. */
export function ownArchivePath(): string {
  const template = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'plugin-manifest', 'manifest.template.json'), 'utf8')) as Record<string, unknown>;
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const stem = componentFolderName({ ...template, version });
  if (!stem) throw new Error('plugin-manifest/manifest.template.json: owner.username or name is invalid; run npm run package-plugin for the details');
  return path.join(REPO_ROOT, 'dist', `${stem}.zip`);
}

/**
 * Unpacks the archive under test (`CONFORMANCE_ARCHIVE`, else ours in dist/) once per run into an
 * empty folder, and runs its launcher — what users download is what the suite tests.
 */
export async function prepareArchiveSink(env: NodeJS.ProcessEnv = process.env): Promise<SinkSpec> {
  const zip = path.resolve(env.CONFORMANCE_ARCHIVE ?? ownArchivePath());
  if (!fs.existsSync(zip)) {
    throw new Error(`CONFORMANCE_SINK=archive: ${zip} does not exist; build it with npm run package-plugin (or set CONFORMANCE_ARCHIVE, or CONFORMANCE_SINK=source|inprocess)`);
  }
  const folder = await extractArchive(zip, fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-archive-')));
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as { version?: string };
  const launcher = path.join(folder, 'bin', 'databend-sink');
  return {
    kind: 'archive',
    description: path.basename(zip),
    version: manifest.version ?? 'unknown (manifest has no version)',
    capabilitiesFile: env.CONFORMANCE_SINK_CAPABILITIES ? path.resolve(env.CONFORMANCE_SINK_CAPABILITIES) : OWN_CAPABILITIES,
    command: [launcher, 'run', '--config', '{config}'],
    configFormat: 'json',
    archive: { zip, folder },
    configDefaults: OWN_SINK_DEFAULTS,
  };
}
