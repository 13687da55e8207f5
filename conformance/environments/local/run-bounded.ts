import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ServiceStartError } from './managed-process';

/**
 * Runs an install step (mvn, pip, …) to completion within a time bound, its output in the
 * service's log file. A failure names the service, the command, the log and its last lines.
 */
export function runBounded(
  service: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; logFile: string; timeoutMs: number },
): Promise<void> {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'a');
  fs.writeSync(log, `\n=== ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', log, log], detached: true });
    fs.closeSync(log);
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // Already gone.
      }
      reject(new ServiceStartError(service, options.logFile, `${command} did not finish within ${Math.round(options.timeoutMs / 1000)} s`));
    }, options.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new ServiceStartError(service, options.logFile, `could not run ${command}: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new ServiceStartError(service, options.logFile, `${command} ${args[0] ?? ''} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}
