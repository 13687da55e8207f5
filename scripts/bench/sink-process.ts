/**
 * The sink under benchmark, run as its own OS process so that its memory and CPU time can be read
 * from /proc: every process of its tree is sampled (a launcher script may sit in front of node).
 *
 * Launch modes (`--sink`): `archive` runs `bin/databend-sink` from the newest `dist/*.zip`, unpacked
 * into a temporary folder; `build` runs `node build/src/cli/main.js` (after `npm run build`);
 * `source` runs `node --import tsx src/cli/main.ts`. `auto` prefers the archive when one exists.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type SinkLaunch = 'auto' | 'archive' | 'build' | 'source';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface SinkCommand {
  launch: Exclude<SinkLaunch, 'auto'>;
  /** Program and arguments before `run --config <file>`. */
  command: string[];
  description: string;
}

function newestArchive(): string | null {
  const dist = path.join(REPO_ROOT, 'dist');
  if (!fs.existsSync(dist)) return null;
  const zips = fs
    .readdirSync(dist)
    .filter((f) => f.endsWith('.zip'))
    .map((f) => path.join(dist, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return zips[0] ?? null;
}

function findFile(dir: string, relative: string): string | null {
  const direct = path.join(dir, relative);
  if (fs.existsSync(direct)) return direct;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const found = findFile(path.join(dir, entry.name), relative);
      if (found) return found;
    }
  }
  return null;
}

/** Resolves the launch mode to a command; builds `build/` first for `build`. */
export function sinkCommand(launch: SinkLaunch, options: { skipBuild?: boolean } = {}): SinkCommand {
  const archive = newestArchive();
  const mode = launch === 'auto' ? (archive ? 'archive' : 'build') : launch;
  switch (mode) {
    case 'archive': {
      if (!archive) throw new Error('--sink archive: no dist/*.zip (run npm run package-plugin)');
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sink-archive-'));
      execFileSync('unzip', ['-q', archive, '-d', folder]);
      const bin = findFile(folder, path.join('bin', 'databend-sink'));
      if (!bin) throw new Error(`${archive} has no bin/databend-sink`);
      fs.chmodSync(bin, 0o755);
      return { launch: 'archive', command: [bin], description: `bin/databend-sink from ${path.basename(archive)}` };
    }
    case 'build': {
      // BENCH_BUILD_DIR: another compiled tree (e.g. a copy of build/ from before a change, for A/B runs).
      const buildDir = process.env.BENCH_BUILD_DIR ? path.resolve(process.env.BENCH_BUILD_DIR) : path.join(REPO_ROOT, 'build');
      if (!options.skipBuild && !process.env.BENCH_BUILD_DIR) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'inherit' });
      return {
        launch: 'build',
        command: [process.execPath, ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), path.join(buildDir, 'src', 'cli', 'main.js')],
        description: process.env.BENCH_BUILD_DIR ? `node ${path.relative(REPO_ROOT, buildDir) || buildDir}/src/cli/main.js (BENCH_BUILD_DIR)` : 'node build/src/cli/main.js (npm run build)',
      };
    }
    case 'source':
      return {
        launch: 'source',
        command: [process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'main.ts')],
        description: 'node --import tsx src/cli/main.ts',
      };
  }
}

// ---------------------------------------------------------------------------------------------
// /proc sampling

const CLOCK_TICKS = 100;

function descendants(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const taskDir = `/proc/${out[i]}/task`;
    let tasks: string[];
    try {
      tasks = fs.readdirSync(taskDir);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const children = fs.readFileSync(`${taskDir}/${tid}/children`, 'utf8').trim();
        if (children) for (const c of children.split(/\s+/)) out.push(Number(c));
      } catch {
        // The thread ended meanwhile.
      }
    }
  }
  return out;
}

function statusKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** user + system CPU seconds of one process (its own threads, not its children). */
function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

export interface ProcessUsage {
  /** Largest sum of VmRSS over the process tree seen by the sampler (MB). */
  peakRssMb: number;
  /** Largest VmHWM (the kernel's own peak RSS) of any process in the tree (MB). */
  hwmMb: number;
  /** CPU seconds (user + system) of the tree so far. */
  cpuSeconds: number;
}

/** Samples RSS of a process tree every `intervalMs`; `read()` adds the kernel's high-water mark. */
export class UsageSampler {
  private peakKb = 0;
  private readonly timer: NodeJS.Timeout;
  private lastTree: number[] = [];
  private lastCpu = 0;

  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.sample();
  }

  private sample(): void {
    const tree = descendants(this.pid);
    this.lastTree = tree;
    let kb = 0;
    let cpu = 0;
    for (const p of tree) {
      kb += statusKb(p, 'VmRSS');
      cpu += cpuSeconds(p);
    }
    if (kb > this.peakKb) this.peakKb = kb;
    if (cpu > this.lastCpu) this.lastCpu = cpu;
  }

  /** Call while the process still runs: VmHWM and CPU time vanish with it. */
  read(): ProcessUsage {
    this.sample();
    const hwm = Math.max(0, ...this.lastTree.map((p) => statusKb(p, 'VmHWM')));
    return { peakRssMb: this.peakKb / 1024, hwmMb: hwm / 1024, cpuSeconds: this.lastCpu };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Running

export interface SinkRun {
  readonly pid: number;
  readonly usage: UsageSampler;
  readonly exited: Promise<number>;
  logs(): string;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number>;
}

export interface ConnectorConfig {
  name: string;
  config: Record<string, string>;
}

/** `nodeArgs` (e.g. --cpu-prof, which NODE_OPTIONS does not take) need a node-launched sink (build, source). */
export function startSink(sink: SinkCommand, config: ConnectorConfig, options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): SinkRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sink-'));
  const file = path.join(dir, 'connector.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  const [program, ...args] = sink.command;
  const nodeArgs = options.nodeArgs ?? [];
  if (nodeArgs.length > 0 && sink.launch === 'archive') throw new Error(`node options ${nodeArgs.join(' ')} need --sink build or --sink source`);
  args.unshift(...nodeArgs);
  const env = { ...process.env, ...options.env };
  const child: ChildProcess = spawn(program, [...args, 'run', '--config', file], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, cwd: REPO_ROOT });
  if (child.pid === undefined) throw new Error(`cannot start ${program}`);
  const pid = child.pid;
  let output = '';
  const keep = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
  });
  const usage = new UsageSampler(pid);
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // Already gone.
    }
  };
  void exited.then(() => {
    usage.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    pid,
    usage,
    exited,
    logs: () => output,
    stop: async (timeoutMs = 30_000) => {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
