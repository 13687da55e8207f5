import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import * as yauzl from 'yauzl';

/**
 * The suite's own reading of a Confluent Hub component archive (a Connect plugin zip, or our
 * sink's archive): what it needs to judge one and to unpack it safely. Written apart from the
 * product's verifier on purpose — a packager and the judge of its output must not share the code
 * that could be wrong in both — so it checks only what Confluent Hub's layout documents.
 */
export interface ComponentArchive {
  /** The one top folder: `{owner.username}-{name}-{version}`. */
  folder: string;
  manifest: Record<string, unknown>;
  /** Files inside the component folder, `/`-separated. */
  files: Set<string>;
  /** Every rule the archive breaks; empty for a good one. */
  problems: string[];
}

interface Entry {
  name: string;
  raw: yauzl.Entry;
  directory: boolean;
  symlink: boolean;
  executable: boolean;
}

const MAX_ENTRIES = 100_000;
const MAX_TOTAL_BYTES = 4 * 1024 ** 3;
const MAX_MANIFEST_BYTES = 1024 ** 2;

/** Reads the archive (every entry's bytes against its CRC-32) and judges its layout and manifest. */
export async function inspectComponentArchive(zipPath: string): Promise<ComponentArchive> {
  return withZip(zipPath, async (zip, entries) => {
    const problems = layoutProblems(entries);
    const tops = new Set(entries.map((e) => e.name.split('/')[0]));
    const folder = tops.size === 1 ? [...tops][0] : '';
    const files = new Set(entries.filter((e) => !e.directory && e.name.startsWith(`${folder}/`)).map((e) => e.name.slice(folder.length + 1)));
    let manifest: Record<string, unknown> = {};
    for (const entry of entries.filter((e) => !e.directory && !e.symlink)) {
      const bytes = await readEntry(zip, entry, entry.name === `${folder}/manifest.json` ? MAX_MANIFEST_BYTES : Infinity, problems);
      if (bytes && entry.name === `${folder}/manifest.json`) {
        try {
          manifest = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
        } catch (err) {
          problems.push(`${entry.name}: not JSON (${(err as Error).message})`);
        }
      }
    }
    if (folder && !files.has('manifest.json')) problems.push(`${folder}/manifest.json is missing`);
    else if (folder) problems.push(...manifestProblems(manifest, folder, files));
    return { folder, manifest, files, problems };
  });
}

/**
 * Unpacks a component archive that `inspectComponentArchive` finds no problem in into `into`
 * (which must exist) and returns the component folder's path. Refuses any other archive, naming
 * its problems.
 */
export async function unpackComponentArchive(zipPath: string, into: string): Promise<string> {
  const inspected = await inspectComponentArchive(zipPath);
  if (inspected.problems.length > 0) throw new Error(`${zipPath} is not a component archive the suite can unpack:\n  ${inspected.problems.join('\n  ')}`);
  await withZip(zipPath, async (zip, entries) => {
    for (const entry of entries) {
      const target = path.join(into, ...entry.name.split('/'));
      if (entry.directory) {
        fs.mkdirSync(target, { recursive: true });
        continue;
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const read = await zip.openReadStreamPromise(entry.raw);
      await pipeline(read, fs.createWriteStream(target, { mode: entry.executable ? 0o755 : 0o644 }));
    }
  });
  return path.join(into, inspected.folder);
}

async function withZip<T>(zipPath: string, use: (zip: yauzl.ZipFile, entries: Entry[]) => Promise<T>): Promise<T> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
  try {
    const entries: Entry[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (raw: yauzl.Entry) => {
        const name = yauzl.getFileNameLowLevel(raw.generalPurposeBitFlag, raw.fileNameRaw, raw.extraFields, true);
        const unixMode = raw.versionMadeBy >> 8 === 3 ? raw.externalFileAttributes >>> 16 : 0;
        entries.push({ name, raw, directory: name.endsWith('/'), symlink: (unixMode & 0o170000) === 0o120000, executable: (unixMode & 0o111) !== 0 });
        if (entries.length > MAX_ENTRIES) reject(new Error(`${zipPath}: more than ${MAX_ENTRIES} entries`));
        else zip.readEntry();
      });
      zip.once('end', resolve);
      zip.once('error', reject);
      zip.readEntry();
    });
    return await use(zip, entries);
  } finally {
    zip.close();
  }
}

function layoutProblems(entries: readonly Entry[]): string[] {
  const problems: string[] = [];
  if (entries.length === 0) return ['the archive is empty'];
  const seen = new Set<string>();
  let total = 0;
  for (const e of entries) {
    if (e.name.includes('\\') || e.name.includes('\0') || e.name.startsWith('/') || /^[A-Za-z]:/.test(e.name) || e.name.split('/').includes('..')) {
      problems.push(`${JSON.stringify(e.name)}: a name that would be written outside the folder it is unpacked into`);
    }
    if (e.symlink) problems.push(`${e.name}: a symbolic link (a plugin needs none, and it could point anywhere)`);
    if (!e.directory && !e.name.includes('/')) problems.push(`${e.name}: outside the component folder`);
    const key = e.name.replace(/\/$/, '');
    if (seen.has(key)) problems.push(`${e.name}: appears twice`);
    seen.add(key);
    total += e.raw.uncompressedSize;
  }
  const tops = new Set(entries.map((e) => e.name.split('/')[0]));
  if (tops.size !== 1) problems.push(`${tops.size} top-level folders (${[...tops].sort().join(', ')}): a component archive has exactly one`);
  if (total > MAX_TOTAL_BYTES) problems.push(`unpacks to ${total} bytes, more than ${MAX_TOTAL_BYTES}`);
  return problems;
}

/** An entry's bytes, checked against its CRC-32 (yauzl checks sizes only); undefined when unreadable (a problem is noted). */
async function readEntry(zip: yauzl.ZipFile, entry: Entry, keepUpTo: number, problems: string[]): Promise<Buffer | undefined> {
  try {
    const chunks: Buffer[] = [];
    let crc = 0xffffffff;
    const check = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        crc = crc32Update(crc, chunk);
        if (entry.raw.uncompressedSize <= keepUpTo) chunks.push(chunk);
        done();
      },
    });
    await pipeline(await zip.openReadStreamPromise(entry.raw), check);
    if ((crc ^ 0xffffffff) >>> 0 !== entry.raw.crc32) throw new Error('CRC-32 does not match: the entry is damaged');
    return Buffer.concat(chunks);
  } catch (err) {
    problems.push(`${entry.name}: cannot be read (${(err as Error).message})`);
    return undefined;
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32Update(crc: number, bytes: Buffer): number {
  let c = crc;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return c >>> 0;
}

/** The manifest fields Confluent Hub's component layout documents, and the folder its name makes. */
function manifestProblems(m: Record<string, unknown>, folder: string, files: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  const owner = (typeof m.owner === 'object' && m.owner !== null ? m.owner : {}) as Record<string, unknown>;
  if (typeof m.name !== 'string' || !/^[a-z0-9_-]+$/.test(m.name)) problems.push(`manifest.json name ${JSON.stringify(m.name)}: lowercase letters, digits, "-" and "_" required`);
  if (typeof m.version !== 'string' || !/^[0-9A-Za-z][0-9A-Za-z._+-]*$/.test(m.version)) problems.push(`manifest.json version ${JSON.stringify(m.version)}: missing or not a version`);
  if (typeof owner.username !== 'string' || !/^[a-z0-9_]{2,255}$/.test(owner.username)) problems.push(`manifest.json owner.username ${JSON.stringify(owner.username)}: 2-255 lowercase letters, digits and "_" required`);
  for (const field of ['title', 'description']) if (!text(m[field])) problems.push(`manifest.json ${field}: required`);
  if (!Array.isArray(m.license) || m.license.length === 0 || !m.license.every((l) => typeof l === 'object' && l !== null && text((l as Record<string, unknown>).name))) {
    problems.push('manifest.json license: a non-empty array of {name, url} required');
  }
  const types = ['sink', 'source', 'converter', 'transform'];
  if (!Array.isArray(m.component_types) || m.component_types.length === 0 || !m.component_types.every((t) => types.includes(t as string))) {
    problems.push(`manifest.json component_types: a non-empty array of ${types.join(', ')} required`);
  }
  const expected = `${String(owner.username)}-${String(m.name)}-${String(m.version)}`;
  if (folder !== expected) problems.push(`the component folder is ${folder}; its manifest makes it ${expected}`);
  for (const [field, logo] of [
    ['logo', m.logo],
    ['owner.logo', owner.logo],
    ['support.logo', (m.support as Record<string, unknown> | undefined)?.logo],
  ] as const) {
    if (logo !== undefined && !(typeof logo === 'string' && logo.startsWith('assets/') && files.has(logo))) problems.push(`manifest.json ${field} ${JSON.stringify(logo)}: not a file under assets/ in the component`);
  }
  return problems;
}
