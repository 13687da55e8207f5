/** Summary statistics of repeated measurements (pure). */

export interface Summary {
  runs: number[];
  median: number;
  min: number;
  max: number;
  /** (max − min) / median: the relative spread of the runs. */
  spread: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { runs: [], median: NaN, min: NaN, max: NaN, spread: NaN };
  const min = Math.min(...values);
  const max = Math.max(...values);
  const m = median(values);
  return { runs: [...values], median: m, min, max, spread: m === 0 ? 0 : (max - min) / Math.abs(m) };
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  if (p < 0 || p > 100) throw new Error(`percentile ${p} is outside 0..100`);
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Records per second for `count` records in `ms` milliseconds. */
export function rate(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : NaN;
}
