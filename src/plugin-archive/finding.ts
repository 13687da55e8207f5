/** Something an archive or manifest check found, and the zip entry or manifest field it concerns. */
export interface Finding {
  severity: 'error' | 'warning';
  /** A zip entry path, a manifest field (`manifest.json#owner.username`), or `(archive)`. */
  at: string;
  message: string;
}

export const ARCHIVE_LEVEL = '(archive)';

export function error(at: string, message: string): Finding {
  return { severity: 'error', at, message };
}

export function warning(at: string, message: string): Finding {
  return { severity: 'warning', at, message };
}

export function errorsIn(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

export function formatFinding(f: Finding): string {
  return `${f.severity.padEnd(7)} ${f.at}: ${f.message}`;
}
