/**
 * Where the sink's CPU goes, from a V8 `.cpuprofile` (node --cpu-prof): self time per function and
 * per area (sink modules by folder, each dependency by package, node internals, GC, idle).
 * `npx tsx scripts/bench/cpu-profile.ts <file.cpuprofile> [top]` prints both tables.
 */
import * as fs from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** The area a frame belongs to: `src/<folder>`, a package name, `node:internal`, or V8's own. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'program (native, not JS)';
    return functionName.startsWith('(') ? functionName : 'native';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /\/(?:build\/)?src\/([^/]+)\//.exec(url);
  if (src) return `src/${src[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\//, '');
}

function summarizeBy(profile: CpuProfile, key: (node: ProfileNode) => string): SelfTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let all = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    if (!node) continue;
    const k = key(node);
    totals.set(k, (totals.get(k) ?? 0) + dt);
    all += dt;
  }
  return [...totals.entries()].map(([name, ms]) => ({ name, ms, share: all > 0 ? ms / all : 0 })).sort((a, b) => b.ms - a.ms);
}

export function selfTimeByArea(profile: CpuProfile): SelfTime[] {
  return summarizeBy(profile, (n) => areaOf(n.callFrame));
}

export function selfTimeByFunction(profile: CpuProfile): SelfTime[] {
  return summarizeBy(profile, (n) => {
    const f = n.callFrame;
    const where = f.url ? `${f.url.replace(/^.*\/(node_modules|src|build)\//, '$1/')}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'} ${where}`.trim();
  });
}

function print(rows: SelfTime[], top: number, busyOnly: boolean): string {
  const busy = busyOnly ? rows.filter((r) => r.name !== 'idle' && !r.name.startsWith('(idle)')) : rows;
  const total = busy.reduce((s, r) => s + r.ms, 0);
  return busy
    .slice(0, top)
    .map((r) => `${(r.ms / 1000).toFixed(2).padStart(8)} s ${((r.ms / total) * 100).toFixed(1).padStart(5)}%  ${r.name}`)
    .join('\n');
}

if (require.main === module) {
  const [file, topText] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: npx tsx scripts/bench/cpu-profile.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const top = Number(topText ?? 30);
  process.stdout.write(`busy self time by area (idle left out):\n${print(selfTimeByArea(profile), top, true)}\n\n`);
  process.stdout.write(`busy self time by function:\n${print(selfTimeByFunction(profile), top, true)}\n`);
}
