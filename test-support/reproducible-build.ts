import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every file of a packager's output folder (the zip, its checksum, SBOM, upload metadata) and its SHA-512. */
export function outputDigests(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [f, createHash('sha512').update(fs.readFileSync(path.join(dir, f))).digest('hex')]),
  );
}

/**
 * A packager is reproducible when a second build from the same inputs writes the same files with
 * the same bytes as the first. `rebuild` builds again (from a clean state: the packagers start from
 * empty work folders) and returns the zip it wrote; its folder is compared with `firstDir`'s digests
 * taken before the rebuild, so a rebuild into the same folder cannot compare a file with itself.
 */
export async function expectReproducible(firstDir: string, rebuild: () => Promise<{ zip: string }>): Promise<void> {
  const first = outputDigests(firstDir);
  expect(Object.keys(first).filter((f) => f.endsWith('.zip'))).toHaveLength(1);
  const again = await rebuild();
  expect(outputDigests(path.dirname(again.zip))).toEqual(first);
}
