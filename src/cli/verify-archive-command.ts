import { errorsIn, formatFinding, verifyArchive } from '../plugin-archive';
import { EXIT_CONFIG_INVALID, EXIT_OK, type CommandResult } from './validate-command';

/**
 * `databend-sink verify-archive <zip>`: checks a Confluent Hub component archive (ours or a
 * vendor's). stdout: `{archive, error_count, warning_count, findings:[{severity, at, message}]}`;
 * stderr: one line per finding and a summary. Exit 0 without errors (warnings allowed), 2 with.
 */
export async function verifyArchiveCommand(zipPath: string): Promise<CommandResult> {
  const findings = await verifyArchive(zipPath);
  const errorCount = errorsIn(findings).length;
  const warningCount = findings.length - errorCount;
  const summary = `${zipPath}: ${errorCount === 0 ? 'ok' : `${errorCount} error(s)`}${warningCount > 0 ? `, ${warningCount} warning(s)` : ''}`;
  return {
    stdout: `${JSON.stringify({ archive: zipPath, error_count: errorCount, warning_count: warningCount, findings }, null, 2)}\n`,
    stderr: [...findings.map(formatFinding), summary].join('\n') + '\n',
    exitCode: errorCount > 0 ? EXIT_CONFIG_INVALID : EXIT_OK,
  };
}
