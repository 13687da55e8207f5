/** Runs a benchmark worker (scripts/bench/worker.ts) as a child process and returns its result. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './sink-process';

export type WorkerTask = 'consume-only' | 'direct-load' | 'converter-cpu';
export const WORKER_ARGS_VARIABLE = 'BENCH_WORKER_ARGS';
export const RESULT_PREFIX = 'BENCH_RESULT ';

export function runWorker<T>(task: WorkerTask, args: unknown, timeoutMs = 15 * 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker.ts'), task], {
      cwd: REPO_ROOT,
      env: { ...process.env, [WORKER_ARGS_VARIABLE]: JSON.stringify(args), RUST_LOG: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
      else reject(new Error(`bench worker ${task} ended with ${signal ?? `exit code ${code}`}:\n${err.slice(-4000)}`));
    });
  });
}
