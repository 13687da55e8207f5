import * as fs from 'node:fs';

/**
 * The peak resident memory of a sink process and its descendants (a launcher script, a JVM, …),
 * sampled from /proc while it runs: the largest sum of VmRSS seen, or a process's own VmHWM (its
 * kernel-kept peak) where that is larger. Linux only; elsewhere `peakBytes` is null.
 */
export class RssSampler {
  private peak = 0;
  private readonly hwm = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 200,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.sample();
  }

  /** Stops sampling; the peak in bytes, or null where /proc is not there. */
  stop(): number | null {
    clearInterval(this.timer);
    this.sample();
    if (!fs.existsSync('/proc/self/status')) return null;
    return Math.max(this.peak, ...this.hwm.values());
  }

  private sample(): void {
    let total = 0;
    for (const pid of [this.pid, ...descendants(this.pid)]) {
      const status = readStatus(pid);
      if (!status) continue;
      total += status.rss;
      this.hwm.set(pid, Math.max(this.hwm.get(pid) ?? 0, status.hwm));
    }
    this.peak = Math.max(this.peak, total);
  }
}

function readStatus(pid: number): { rss: number; hwm: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  let children: number[];
  try {
    children = fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return out;
  }
  for (const child of children) out.push(child, ...descendants(child));
  return out;
}
