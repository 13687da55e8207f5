/**
 * What makes an archive safe to unpack and gives it exactly one component folder: entry names,
 * symlink targets, duplicates and sizes. The verifier reports these findings; extractArchive
 * refuses an archive that has any error among them.
 */
import * as path from 'node:path';
import { ARCHIVE_LEVEL, error, type Finding } from './finding';
import type { ZipEntry, ZipReader } from './zip-reader';

const MiB = 1024 * 1024;

export const ARCHIVE_LIMITS = {
  /**
   * Uncompressed ÷ compressed size above which an entry (or the whole archive) is a zip bomb.
   * Deflate tops out near 1030:1 on repeated bytes; code, JSON and native binaries stay below 10:1.
   */
  maxRatio: 100,
  /** Entries smaller than this are not ratio-checked: a small file of repeated bytes is harmless. */
  ratioMinBytes: MiB,
  maxTotalBytes: 4 * 1024 * MiB,
  maxEntries: 100_000,
  maxLinkTargetBytes: 4096,
} as const;

const ABSOLUTE = /^(?:\/|[A-Za-z]:)/;

export function entryNameProblem(name: string): string | undefined {
  if (name === '') return 'empty entry name';
  if (name.includes('\0')) return 'NUL byte in the entry name';
  if (name.includes('\\')) return 'backslash in the entry name (a folder separator on Windows)';
  if (ABSOLUTE.test(name)) return 'absolute path: it would be written outside the folder it is unpacked into';
  if (name.split('/').includes('..')) return '".." in the path: it would be written outside the folder it is unpacked into';
  return undefined;
}

/** A symlink at `linkName` pointing to `target` must stay inside `folder` (lexically: every link in the archive is checked). */
export function symlinkTargetProblem(linkName: string, target: string, folder: string): string | undefined {
  if (target === '' || target.includes('\0')) return 'symlink with an empty or NUL-bearing target';
  if (ABSOLUTE.test(target) || target.includes('\\')) return `symlink to an absolute path "${target}"`;
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(linkName), target));
  if (resolved !== folder && !resolved.startsWith(`${folder}/`)) return `symlink pointing out of the component folder ("${target}")`;
  return undefined;
}

export interface Layout {
  findings: Finding[];
  /** The one top-level folder, when there is exactly one. */
  folder: string | undefined;
}

/** Reads every symlink's target and checks the layout. */
export async function inspectLayout(reader: ZipReader): Promise<Layout & { linkTargets: Map<string, string> }> {
  const linkTargets = new Map<string, string>();
  const unreadable: Finding[] = [];
  for (const entry of reader.entries.filter((e) => e.kind === 'symlink')) {
    try {
      linkTargets.set(entry.name, (await reader.read(entry, ARCHIVE_LIMITS.maxLinkTargetBytes)).toString('utf8'));
    } catch (err) {
      unreadable.push(error(entry.name, `symlink target cannot be read: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
  const layout = checkLayout(reader.entries, linkTargets);
  return { findings: [...unreadable, ...layout.findings], folder: layout.folder, linkTargets };
}

export function checkLayout(entries: readonly ZipEntry[], linkTargets: ReadonlyMap<string, string>): Layout {
  const findings: Finding[] = [];
  if (entries.length === 0) return { findings: [error(ARCHIVE_LEVEL, 'the archive is empty')], folder: undefined };
  if (entries.length > ARCHIVE_LIMITS.maxEntries) findings.push(error(ARCHIVE_LEVEL, `${entries.length} entries, more than the ${ARCHIVE_LIMITS.maxEntries} allowed`));

  const seen = new Set<string>();
  const tops = new Set<string>();
  for (const entry of entries) {
    const problem = entryNameProblem(entry.name);
    if (problem) {
      findings.push(error(entry.name, problem));
      continue;
    }
    const key = entry.name.replace(/\/$/, '');
    if (seen.has(key)) findings.push(error(entry.name, 'appears twice in the archive'));
    seen.add(key);
    if (!entry.name.includes('/') && entry.kind !== 'directory') findings.push(error(entry.name, 'is outside the component folder: everything belongs in the one top-level folder'));
    else tops.add(entry.name.split('/')[0]);
  }
  const folder = tops.size === 1 ? [...tops][0] : undefined;
  if (tops.size === 0) findings.push(error(ARCHIVE_LEVEL, 'has no top-level folder: a component archive has exactly one'));
  if (tops.size > 1) findings.push(error(ARCHIVE_LEVEL, `has ${tops.size} top-level folders (${[...tops].sort().join(', ')}): a component archive has exactly one`));

  for (const [name, target] of linkTargets) {
    if (entryNameProblem(name)) continue;
    const problem = symlinkTargetProblem(name, target, folder ?? name.split('/')[0]);
    if (problem) findings.push(error(name, problem));
  }

  let total = 0;
  let compressed = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    compressed += entry.compressedSize;
    if (entry.uncompressedSize >= ARCHIVE_LIMITS.ratioMinBytes && entry.uncompressedSize > ARCHIVE_LIMITS.maxRatio * entry.compressedSize) {
      findings.push(error(entry.name, `expands ${ratio(entry.uncompressedSize, entry.compressedSize)} times (${entry.compressedSize} → ${entry.uncompressedSize} bytes), more than ${ARCHIVE_LIMITS.maxRatio}: a zip bomb`));
    }
  }
  if (total > ARCHIVE_LIMITS.maxTotalBytes) findings.push(error(ARCHIVE_LEVEL, `unpacks to ${total} bytes, more than the ${ARCHIVE_LIMITS.maxTotalBytes} allowed`));
  else if (total >= ARCHIVE_LIMITS.ratioMinBytes && total > ARCHIVE_LIMITS.maxRatio * compressed && !findings.some((f) => /zip bomb/.test(f.message))) {
    findings.push(error(ARCHIVE_LEVEL, `expands ${ratio(total, compressed)} times as a whole (${compressed} → ${total} bytes), more than ${ARCHIVE_LIMITS.maxRatio}: a zip bomb`));
  }
  return { findings, folder };
}

const ratio = (big: number, small: number) => (small === 0 ? '∞' : Math.round(big / small).toString());
