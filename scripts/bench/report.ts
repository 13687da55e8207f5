/**
 * The benchmark report: every scenario's runs summarised (median, min–max), each target evaluated
 * against its ceiling or absolute goal, printed as a table and written as JSON with the machine and
 * the service versions. Targets are goals the report states, not assertions: the exit code only
 * says whether every scenario ran.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { summarize, type Summary } from './stats';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryMb: number;
  node: string;
  os: string;
  /** 1-minute load average at the start and the end: a busy machine makes wall-clock figures noisy. */
  loadAverage: { start: number; end?: number };
}

export function machine(): Machine {
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: { start: os.loadavg()[0] },
  };
}

/** One measured quantity of a scenario, over its runs. */
export interface Metric {
  name: string;
  unit: string;
  summary: Summary;
}

export function metric(name: string, unit: string, values: readonly number[]): Metric {
  return { name, unit, summary: summarize(values) };
}

export interface Target {
  name: string;
  /** What is compared: `value` (the median of the metric) against `goal` with `op`. */
  value: number;
  op: '>=' | '<=' | '<';
  goal: number;
  /** How the goal was derived, e.g. "0.8 × min(consume-only, direct load)". */
  basis: string;
  unit: string;
  met: boolean;
  /** Why the target could not be evaluated in this run (a peer not available): shown as n/a, never as met. */
  notAvailable?: string;
}

export function target(name: string, value: number, op: Target['op'], goal: number, basis: string, unit: string): Target {
  const met = Number.isFinite(value) && Number.isFinite(goal) && (op === '>=' ? value >= goal : op === '<=' ? value <= goal : value < goal);
  return { name, value, op, goal, basis, unit, met };
}

/** A target this run cannot evaluate, and why. */
export function unavailableTarget(name: string, op: Target['op'], goal: number, basis: string, unit: string, reason: string): Target {
  return { name, value: NaN, op, goal, basis, unit, met: false, notAvailable: reason };
}

export interface BenchReport {
  startedAt: string;
  finishedAt?: string;
  size: string;
  options: Record<string, unknown>;
  machine: Machine;
  environment: { name: string; versions: Record<string, string> };
  sink: { launch: string; description: string; version: string };
  data: Record<string, unknown>;
  metrics: Metric[];
  targets: Target[];
  /** Raw per-run results by scenario. */
  runs: Record<string, unknown[]>;
  /** Rows a peer could not run here, with the reason (shown as n/a). */
  unavailable: { name: string; reason: string }[];
  errors: { scenario: string; error: string }[];
}

function fmt(n: number, unit: string): string {
  if (!Number.isFinite(n)) return '–';
  if (unit === 'rec/s' || unit === 'rec/cpu-s') return Math.round(n).toLocaleString('en-US');
  if (unit === 'ratio') return n.toFixed(2);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(2);
}

/** A plain-text table; `right[i]` right-aligns column i. */
export function table(header: string[], rows: string[][], right: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

export function formatReport(report: BenchReport): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(`databend-kafka-sink benchmark (${report.size}) — ${report.startedAt}`);
  lines.push(`machine: ${m.cores} cores ${m.cpuModel}, ${m.memoryMb} MB, node ${m.node}, load avg ${m.loadAverage.start.toFixed(2)} → ${m.loadAverage.end?.toFixed(2) ?? '?'}`);
  lines.push(`services (${report.environment.name}): ${Object.entries(report.environment.versions).map(([k, v]) => `${k} ${v}`).join('; ')}`);
  lines.push(`sink: ${report.sink.description} (${report.sink.version})`);
  lines.push('');
  const metricRows = report.metrics.map((x) => {
    const s = x.summary;
    return [x.name, fmt(s.median, x.unit), `${fmt(s.min, x.unit)} – ${fmt(s.max, x.unit)}`, Number.isFinite(s.spread) ? `${Math.round(s.spread * 100)}%` : '–', x.unit];
  });
  for (const u of report.unavailable) metricRows.push([u.name, 'n/a', '', '', u.reason]);
  lines.push(...table(['metric', 'median', 'min – max', 'spread', 'unit'], metricRows, [false, true, true, true, false]));
  lines.push('');
  const targetRows = report.targets.map((t) => {
    const ratio = t.goal !== 0 ? t.value / t.goal : NaN;
    if (t.notAvailable !== undefined) return [t.name, 'n/a', `${t.op} ${fmt(t.goal, t.unit)}`, '–', 'n/a', `${t.basis}; ${t.notAvailable}`];
    return [t.name, fmt(t.value, t.unit), `${t.op} ${fmt(t.goal, t.unit)}`, Number.isFinite(ratio) ? ratio.toFixed(2) : '–', t.met ? 'yes' : 'NO', t.basis];
  });
  lines.push(...table(['target', 'value', 'goal', 'value/goal', 'met', 'basis'], targetRows, [false, true, false, true, false, false]));
  if (report.errors.length > 0) {
    lines.push('');
    for (const e of report.errors) lines.push(`FAILED ${e.scenario}: ${e.error.split('\n')[0]}`);
  }
  return lines.join('\n');
}

export function writeReport(report: BenchReport, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
