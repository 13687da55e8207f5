import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A service run as a child process in its own process group, with its output in a log file.
 * Every start is bounded in time, and every process is stopped by pid: at `stop()`, on Ctrl-C,
 * on exit, and — for runs that were SIGKILLed — by the next run (see `reapOrphans`).
 */
export interface ManagedProcessOptions {
  /** Service name used in every message, e.g. `kafka`. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  /** Resolves true once the service answers; called repeatedly until it does or time runs out. */
  ready: () => Promise<boolean>;
  readyTimeoutMs: number;
  /** Folder for pid files, so a later run can reap what a killed run left behind. */
  pidDir: string;
}

export class ServiceStartError extends Error {
  constructor(
    readonly service: string,
    readonly logFile: string,
    reason: string,
  ) {
    super(`${service}: ${reason}\n  log: ${logFile}\n${indent(tailFile(logFile, 30))}`);
    this.name = 'ServiceStartError';
  }
}

const live = new Set<ManagedProcess>();

export class ManagedProcess {
  private exited = false;
  private exitInfo = '';
  private readonly exitPromise: Promise<void>;
  /** Resolves when the process is gone: its exit code, or 128 + the signal's number. */
  readonly exitCode: Promise<number>;

  private constructor(
    readonly options: ManagedProcessOptions,
    private readonly child: ChildProcess,
    private readonly pidFile: string,
  ) {
    this.exitCode = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = true;
        this.exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
        live.delete(this);
        fs.rmSync(this.pidFile, { force: true });
        resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0));
      });
    });
    this.exitPromise = this.exitCode.then(() => undefined);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return !this.exited;
  }

  static async start(options: ManagedProcessOptions): Promise<ManagedProcess> {
    installExitHooks();
    fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
    fs.mkdirSync(options.pidDir, { recursive: true });
    const log = fs.openSync(options.logFile, 'a');
    fs.writeSync(log, `\n=== ${new Date().toISOString()} ${options.command} ${options.args.join(' ')}\n`);
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    if (child.pid === undefined) {
      const err = await spawnError;
      throw new ServiceStartError(options.name, options.logFile, `could not start ${options.command}: ${err.message}`);
    }
    const pidFile = path.join(options.pidDir, `${child.pid}.json`);
    fs.writeFileSync(pidFile, JSON.stringify({ owner: process.pid, service: options.name, pgid: child.pid }));
    const proc = new ManagedProcess(options, child, pidFile);
    live.add(proc);
    try {
      await proc.waitUntilReady();
    } catch (err) {
      await proc.stop();
      throw err;
    }
    return proc;
  }

  private async waitUntilReady(): Promise<void> {
    const { name, logFile, readyTimeoutMs, ready } = this.options;
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (this.exited) {
        throw new ServiceStartError(name, logFile, `exited during start (${this.exitInfo})`);
      }
      if (await ready().catch(() => false)) return;
      if (Date.now() > deadline) {
        throw new ServiceStartError(name, logFile, `not ready after ${Math.round(readyTimeoutMs / 1000)} s`);
      }
      await Promise.race([sleep(250), this.exitPromise]);
    }
  }

  /** Sends `signal` to the whole process group (a service's own control signals). */
  signal(signal: NodeJS.Signals): void {
    if (!this.exited) signalGroup(this.pid, signal);
  }

  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    signalGroup(this.pid, 'SIGTERM');
    // The grace timer is cleared once the process is gone, so a stopped service never keeps
    // node (or a jest worker) alive for the rest of `graceMs`.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const stopped = await Promise.race([this.exitPromise.then(() => true), grace]);
    clearTimeout(timer);
    if (!stopped) {
      signalGroup(this.pid, 'SIGKILL');
      await this.exitPromise;
    }
  }

  logTail(lines = 40): string {
    return tailFile(this.options.logFile, lines);
  }
}

/** Kills the process groups recorded by runs whose owner process is gone (a SIGKILLed test run). */
export function reapOrphans(pidDir: string): string[] {
  if (!fs.existsSync(pidDir)) return [];
  const reaped: string[] = [];
  for (const file of fs.readdirSync(pidDir)) {
    const full = path.join(pidDir, file);
    try {
      const entry = JSON.parse(fs.readFileSync(full, 'utf8')) as { owner: number; service: string; pgid: number };
      if (isAlive(entry.owner)) continue;
      signalGroup(entry.pgid, 'SIGKILL');
      reaped.push(`${entry.service} (pid ${entry.pgid})`);
    } catch {
      // An unreadable pid file belongs to nobody; remove it below.
    }
    fs.rmSync(full, { force: true });
  }
  return reaped;
}

let hooksInstalled = false;
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' handlers must be synchronous: a plain SIGKILL of every group is all that is possible there.
  process.once('exit', () => {
    for (const proc of live) signalGroup(proc.pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((proc) => proc.stop()));
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  if (pgid <= 0) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function tailFile(file: string, lines: number): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log written)';
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    | ${line}`)
    .join('\n');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
