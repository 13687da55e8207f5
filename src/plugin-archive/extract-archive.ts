import { createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { inspectLayout } from './entry-rules';
import { errorsIn, formatFinding } from './finding';
import { ZipReader } from './zip-reader';

/**
 * Unpacks a component archive into `destDir` and returns the path of its one top-level folder.
 * Refuses, before writing anything, an archive with any hostile entry (path traversal, absolute
 * path, symlink out of the folder, zip bomb) or not exactly one top folder, and refuses to merge
 * into a folder that exists already. Files get 0755 when the archive marks them executable, else
 * 0644; folders 0755. On failure nothing of the folder is left behind.
 */
export async function extractArchive(zipPath: string, destDir: string): Promise<string> {
  const reader = await ZipReader.open(zipPath);
  try {
    const { findings, folder, linkTargets } = await inspectLayout(reader);
    const problems = errorsIn(findings);
    if (problems.length > 0 || folder === undefined) throw new Error(`${zipPath}: refusing to unpack:\n${problems.map(formatFinding).join('\n')}`);
    const dest = path.resolve(destDir);
    const top = path.join(dest, folder);
    await fs.mkdir(dest, { recursive: true });
    try {
      await fs.mkdir(top, { mode: 0o755 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${top} exists already: unpack into an empty folder`, { cause: err });
      throw err;
    }
    try {
      for (const entry of reader.entries) {
        const target = path.join(dest, entry.name);
        if (target !== top && !target.startsWith(`${top}${path.sep}`)) throw new Error(`${entry.name} would be written outside ${top}`);
        if (entry.kind === 'directory') await fs.mkdir(target, { recursive: true, mode: 0o755 });
        if (entry.kind !== 'file') continue;
        await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
        await pipeline(await reader.stream(entry), createWriteStream(target, { flags: 'wx' }));
        // chmod after writing, so the process umask cannot take the executable bit away.
        await fs.chmod(target, (entry.mode ?? 0) & 0o111 ? 0o755 : 0o644);
      }
      // Links last: no file is ever written through one.
      for (const [name, linkTarget] of linkTargets) {
        const link = path.join(dest, name);
        await fs.mkdir(path.dirname(link), { recursive: true, mode: 0o755 });
        await fs.symlink(linkTarget, link);
      }
    } catch (err) {
      await fs.rm(top, { recursive: true, force: true });
      throw err;
    }
    return top;
  } finally {
    reader.close();
  }
}
