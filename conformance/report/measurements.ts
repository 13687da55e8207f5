import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Numbers a scenario measures and the report shows (peak RSS, duplicates after a crash): scenarios
 * run in jest workers, the report is written in jest's main process, so they meet in a file.
 * The global setup empties it at the start of a run.
 */
export interface Measurement {
  scenario: string;
  name: string;
  value: number;
  unit: string;
  /** What the value is held against, in words (`≤ 300 MB`), when it has a bound. */
  bound?: string;
}

export const MEASUREMENTS_FILE = path.resolve(__dirname, '..', '..', 'reports', 'conformance-measurements.jsonl');

export function recordMeasurement(m: Measurement, file = MEASUREMENTS_FILE): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(m)}\n`);
}

export function readMeasurements(file = MEASUREMENTS_FILE): Measurement[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Measurement);
}

export function clearMeasurements(file = MEASUREMENTS_FILE): void {
  fs.rmSync(file, { force: true });
}
