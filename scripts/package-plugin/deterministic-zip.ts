import archiver from 'archiver';

/** Paths inside the component folder (`lib/databend-sink.js`) and their bytes. */
export type Tree = ReadonlyMap<string, Uint8Array>;

/** bin/ and anything that starts with a shebang is executable; every other file is 0644. */
export function fileMode(relativePath: string, content: Uint8Array): number {
  return relativePath.startsWith('bin/') || (content[0] === 0x23 && content[1] === 0x21) ? 0o755 : 0o644;
}

/**
 * The zip of `tree` under one top folder, the same bytes for the same input: entries sorted, every
 * folder listed with mode 0755, one timestamp (`mtime`, in UTC), fixed file modes. archiver
 * 7.0.1 (zip-stream/compress-commons) writes no extra fields below zip64 sizes — no extended
 * timestamps, no uid/gid — and one data descriptor per deflated entry, both fixed by the content.
 * The deflated bytes depend on the zlib inside Node, so reproducing an archive needs the same
 * Node release.
 */
export async function zipTree(folder: string, tree: Tree, mtime: Date): Promise<Uint8Array> {
  const folders = new Set<string>(['']);
  for (const file of tree.keys()) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  const entries = [
    ...[...folders].map((f) => ({ name: f === '' ? `${folder}/` : `${folder}/${f}/`, content: new Uint8Array(0), mode: 0o755 })),
    ...[...tree].map(([file, content]) => ({ name: `${folder}/${file}`, content, mode: fileMode(file, content) })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const archive = archiver('zip', { zlib: { level: 6 }, forceLocalTime: false });
  const chunks: Uint8Array[] = [];
  archive.on('data', (chunk: Uint8Array) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    archive.once('end', () => resolve());
    archive.once('error', reject);
    archive.once('warning', reject);
  });
  for (const e of entries) archive.append(Buffer.from(e.content.buffer, e.content.byteOffset, e.content.byteLength), { name: e.name, date: mtime, mode: e.mode });
  await archive.finalize();
  await finished;
  return new Uint8Array(Buffer.concat(chunks));
}
