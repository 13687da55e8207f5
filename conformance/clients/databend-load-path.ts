import type { DatabendLoadPath } from '../sink-under-test/capabilities';

/**
 * The path databend-driver 0.33 takes against a server with this `SELECT version()` text: `current`
 * above 1.2.781 (a pre-release of 1.2.781 is not above it), else
 * `legacy`. A text without a version is taken as current.
 */
export function databendLoadPath(versionText: string): DatabendLoadPath {
  const m = /v?(\d+)\.(\d+)\.(\d+)/.exec(versionText);
  if (!m) return 'current';
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const above = major !== 1 ? major > 1 : minor !== 2 ? minor > 2 : patch > 781;
  return above ? 'current' : 'legacy';
}

/** What the report says of each path. */
export const LOAD_PATH_DESCRIPTION: Record<DatabendLoadPath, string> = {
  current: 'current: databend-driver uploads to @~ and runs `INSERT … FROM @~/… FILE_FORMAT = (type = csv)` (servers above 1.2.781)',
  legacy: 'legacy: databend-driver sends `INSERT|REPLACE … VALUES` with a stage attachment (servers up to 1.2.781)',
};
