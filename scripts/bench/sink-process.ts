/**
 * The sink under benchmark, run as its own OS process so that its memory and CPU time can be read
 * from /proc: every process of its tree is sampled (a launcher script may sit in front of node).
 *
 * Launch modes (`--sink`): `archive` runs `bin/databend-sink` from the newest `dist/*.zip`, unpacked
 * into a temporary folder; `build` runs `node build/src/cli/main.js` (after `npm run build`);
 * `source` runs `node --import tsx src/cli/main.ts`. `auto` prefers the archive when one exists.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSink, writeConfigFile } from '../../conformance/sink-under-test/process-sink';
import type { ConnectorConfig } from '../../conformance/sink-under-test/sink-under-test';

export type SinkLaunch = 'auto' | 'archive' | 'build' | 'source';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface SinkCommand {
  launch: Exclude<SinkLaunch, 'auto'>;
  description: string;
  /** The archive's `bin/databend-sink`, run as is unless node options are needed. */
  launcher?: string;
  /** The script node runs (with `preArgs` before it): the archive's bundle, build/ or src/. */
  script: string;
  preArgs: string[];
}

/** The newest dist/*.zip with a launcher: package-plugin writes the Kafka Connect plugin's zip (jars only) beside it. */
function newestArchive(): string | null {
  const dist = path.join(REPO_ROOT, 'dist');
  if (!fs.existsSync(dist)) return null;
  const zips = fs
    .readdirSync(dist)
    .filter((f) => f.endsWith('.zip'))
    .map((f) => path.join(dist, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return zips.find((zip) => /^[^/]+\/bin\/databend-sink$/m.test(execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }))) ?? null;
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

/** The sink of an unpacked archive folder (its launcher, and its bundle for node options). */
export function archiveSinkCommand(folder: string, description: string): SinkCommand {
  const launcher = findFile(folder, path.join('bin', 'databend-sink'));
  const script = findFile(folder, path.join('lib', 'databend-sink.js'));
  if (!launcher || !script) throw new Error(`${folder} has no bin/databend-sink and lib/databend-sink.js`);
  return { launch: 'archive', launcher, script, preArgs: [], description };
}

/** The sink from src/ through tsx. */
export function sourceSinkCommand(): SinkCommand {
  return { launch: 'source', script: path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), preArgs: ['--import', 'tsx'], description: 'node --import tsx src/cli/main.ts' };
}

/** `npm run package-plugin`'s module: the bench packages through it into a folder of its own. */
const PACKAGER = path.join(REPO_ROOT, 'scripts', 'package-plugin', 'package-plugin.ts');

/**
 * Resolves the launch mode to a command, building first unless `skipBuild`: the plugin archive of the
 * current sources (package-plugin into a temporary folder, so dist/ is left alone), or
 * `tsc -p tsconfig.build.json` for build/. `auto` is the archive where the project can package one,
 * else build/. With `skipBuild`, the archive is the newest dist/*.zip.
 */
export async function sinkCommand(launch: SinkLaunch, options: { skipBuild?: boolean } = {}): Promise<SinkCommand> {
  const canPackage = fs.existsSync(PACKAGER);
  const mode = launch === 'auto' ? (canPackage || newestArchive() ? 'archive' : 'build') : launch;
  switch (mode) {
    case 'archive': {
      const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sink-archive-'));
      process.once('exit', () => fs.rmSync(temp, { recursive: true, force: true }));
      let archive: string | null;
      if (!options.skipBuild && canPackage) {
        const { packagePlugin } = (await import(PACKAGER)) as { packagePlugin(o: { outDir: string }): Promise<{ zip: string }> };
        archive = (await packagePlugin({ outDir: path.join(temp, 'dist') })).zip;
      } else archive = newestArchive();
      if (!archive) throw new Error('--sink archive: no dist/*.zip (run npm run package-plugin)');
      const folder = path.join(temp, 'unpacked');
      fs.mkdirSync(folder);
      execFileSync('unzip', ['-q', archive, '-d', folder]);
      const what = archive.startsWith(temp) ? `${path.basename(archive)} packaged from the current sources` : `${path.relative(REPO_ROOT, archive)} (built ${new Date(fs.statSync(archive).mtimeMs).toISOString()})`;
      return archiveSinkCommand(folder, `bin/databend-sink from the unpacked ${what}`);
    }
    case 'build': {
      // BENCH_BUILD_DIR: another compiled tree (e.g. a copy of build/ from before a change, for A/B runs).
      const buildDir = process.env.BENCH_BUILD_DIR ? path.resolve(process.env.BENCH_BUILD_DIR) : path.join(REPO_ROOT, 'build');
      if (!options.skipBuild && !process.env.BENCH_BUILD_DIR) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'inherit' });
      return {
        launch: 'build',
        script: path.join(buildDir, 'src', 'cli', 'main.js'),
        preArgs: [],
        description: process.env.BENCH_BUILD_DIR ? `node ${buildDir}/src/cli/main.js (BENCH_BUILD_DIR)` : 'node build/src/cli/main.js (npm run build)',
      };
    }
    case 'source':
      return sourceSinkCommand();
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

/** Busy and total clock ticks of all cores so far (/proc/stat); busy excludes idle and iowait. */
export function machineTicks(): { busy: number; total: number } {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    return { busy: total - cpu[3] - (cpu[4] ?? 0), total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** Share of all cores' time spent busy between two readings of `machineTicks`. */
export function busyShare(from: { busy: number; total: number }, to: { busy: number; total: number }): number {
  return to.total > from.total ? (to.busy - from.busy) / (to.total - from.total) : NaN;
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

/** What the sink under benchmark says its version is. */
export function reportedVersion(sink: SinkCommand): string {
  const [program, ...args] = sink.launcher ? [sink.launcher] : [process.execPath, ...sink.preArgs, sink.script];
  try {
    return execFileSync(program, [...args, '--version'], { encoding: 'utf8', cwd: REPO_ROOT }).trim();
  } catch (err) {
    return `unknown (${(err as Error).message.split('\n')[0]})`;
  }
}

/**
 * Starts the sink with a connector config. `nodeArgs` (e.g. --cpu-prof, which NODE_OPTIONS does not
 * take; BENCH_NODE_ARGS adds more) go to node: through the launcher's DATABEND_SINK_NODE_FLAGS for
 * the archive, so that its own node flags apply as they do for users; before the script otherwise.
 */
export function startSink(sink: SinkCommand, config: ConnectorConfig, options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): SinkRun {
  const file = writeConfigFile(config, 'json');
  const nodeArgs = [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), ...(options.nodeArgs ?? [])];
  const [program, ...args] = sink.launcher ? [sink.launcher] : [process.execPath, ...nodeArgs, ...sink.preArgs, sink.script];
  if (sink.launcher && nodeArgs.some((a) => /\s/.test(a))) throw new Error(`node flags for the launcher are split on spaces: ${nodeArgs.join(' ')}`);
  const env = { ...process.env, ...(sink.launcher && nodeArgs.length > 0 ? { DATABEND_SINK_NODE_FLAGS: nodeArgs.join(' ') } : {}), ...options.env };
  const running = spawnSink(program, [...args, 'run', '--config', file], { env, cwd: REPO_ROOT });
  const pid = running.pid;
  if (pid === undefined) throw new Error(`cannot start ${program}`);
  const usage = new UsageSampler(pid);
  void running.exited.then(() => {
    usage.stop();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
  return { pid, usage, exited: running.exited, logs: running.logs, stop: running.stop };
}
