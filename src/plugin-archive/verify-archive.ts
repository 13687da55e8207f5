import * as path from 'node:path';
import { finished } from 'node:stream/promises';
import { entryNameProblem, inspectLayout } from './entry-rules';
import { ARCHIVE_LEVEL, error, errorsIn, warning, type Finding } from './finding';
import { checkManifest, componentFolderName } from './manifest-rules';
import { ZipReader, type ZipEntry } from './zip-reader';

const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * Jars of the Kafka Connect framework and the Kafka client: the worker provides them, and a second
 * copy on a plugin's class path makes classes load twice under different loaders.
 */
const FRAMEWORK_JAR = /^(?:kafka-clients|connect-(?:api|runtime|json|transforms|file|mirror|mirror-client|basic-auth-extension)|kafka_2\.\d+)-\d[^/]*\.jar$/;

/**
 * Checks a Confluent Hub component archive — ours or any vendor's — against the layout and
 * manifest rules, and returns every finding (empty: the archive is fine). Never throws for a bad
 * archive; an unreadable file is a finding too.
 */
export async function verifyArchive(zipPath: string): Promise<Finding[]> {
  let reader: ZipReader;
  try {
    reader = await ZipReader.open(zipPath);
  } catch (err) {
    return [error(ARCHIVE_LEVEL, `${zipPath} is not a readable zip archive: ${err instanceof Error ? err.message : String(err)}`)];
  }
  try {
    const layout = await inspectLayout(reader);
    const findings = [...layout.findings];
    const folder = layout.folder;
    if (folder === undefined) return findings;
    const inside = reader.entries.filter((e) => e.name.startsWith(`${folder}/`) && !entryNameProblem(e.name));
    const files = new Set(inside.filter((e) => e.kind !== 'directory').map((e) => e.name.slice(folder.length + 1)));
    // Contents are read only once the sizes are known to be sane: a bomb is reported, never inflated.
    if (errorsIn(findings).length === 0) findings.push(...(await contentFindings(reader)));
    findings.push(...(await manifestFindings(reader, zipPath, folder, files)), ...libFindings(folder, files), ...binFindings(folder, inside));
    return findings;
  } finally {
    reader.close();
  }
}

/** Every file's bytes against its CRC-32 and declared size: a damaged download is an error here, not at run time. */
async function contentFindings(reader: ZipReader): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const entry of reader.entries.filter((e) => e.kind === 'file')) {
    try {
      const content = await reader.stream(entry);
      content.resume();
      await finished(content);
    } catch (err) {
      findings.push(error(entry.name, `cannot be read: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
  return findings;
}

async function manifestFindings(reader: ZipReader, zipPath: string, folder: string, files: ReadonlySet<string>): Promise<Finding[]> {
  const at = `${folder}/manifest.json`;
  const entry = reader.entries.find((e) => e.name === at && e.kind === 'file');
  if (!entry) return [error(at, 'is missing: manifest.json sits directly in the component folder')];
  let manifest: unknown;
  try {
    manifest = JSON.parse((await reader.read(entry, MAX_MANIFEST_BYTES)).toString('utf8'));
  } catch (err) {
    return [error(at, `cannot be read as JSON: ${err instanceof Error ? err.message : String(err)}`)];
  }
  const findings = checkManifest(manifest, files).map((f) => ({ ...f, at: f.at ? `${at}#${f.at}` : at }));
  const expected = componentFolderName(manifest);
  if (expected !== undefined && expected !== folder) {
    findings.push(error(`${folder}/`, `the component folder must be named "${expected}", {owner.username}-{name}-{version} of its manifest`));
  }
  if (expected !== undefined && path.basename(zipPath) !== `${expected}.zip`) {
    findings.push(warning(ARCHIVE_LEVEL, `the file is named ${path.basename(zipPath)}; its manifest makes it ${expected}.zip`));
  }
  return findings;
}

function libFindings(folder: string, files: ReadonlySet<string>): Finding[] {
  const lib = [...files].filter((f) => f.startsWith('lib/'));
  if (lib.length === 0) return [warning(`${folder}/lib/`, 'is missing or empty: the component has nothing to run')];
  return lib
    .filter((f) => /^lib\/[^/]+\.jar$/.test(f) && FRAMEWORK_JAR.test(f.slice('lib/'.length)))
    .map((f) => error(`${folder}/${f}`, 'is part of Kafka Connect or the Kafka client, which the worker provides: a second copy in the plugin breaks class loading'));
}

function binFindings(folder: string, entries: readonly ZipEntry[]): Finding[] {
  return entries
    .filter((e) => e.kind === 'file' && /^bin\/[^/]+$/.test(e.name.slice(folder.length + 1)) && ((e.mode ?? 0) & 0o111) === 0)
    .map((e) => warning(e.name, 'is in bin/ but not executable (mode 0755 expected)'));
}
