import * as fs from 'node:fs';
import * as path from 'node:path';
import { additionalChecks, scenarioResults, type ScenarioStatus, type TestOutcome } from './scenario-results';

/** One verdict as a report shows it. */
export type Verdict = 'pass' | 'FAIL' | 'n/a' | 'not implemented';

const VERDICT: Record<ScenarioStatus, Verdict> = { passed: 'pass', failed: 'FAIL', 'not applicable': 'n/a', 'not implemented': 'not implemented' };

/** The part of jest's `--json` output the verdicts come from. */
interface JestJson {
  testResults: {
    name: string;
    message?: string;
    assertionResults: { ancestorTitles: string[]; title: string; status: string; duration?: number | null; failureMessages: string[] }[];
  }[];
}

/** Test outcomes of the conformance files in jest's `--json` output; a file that crashed counts as a failed test. */
export function outcomesOfJestJson(json: JestJson): TestOutcome[] {
  return json.testResults
    .filter((file) => file.name.endsWith('.conformance.test.ts'))
    .flatMap((file): TestOutcome[] => {
      if (file.assertionResults.length === 0 && file.message) {
        return [{ ancestors: [path.basename(file.name)], title: 'suite', status: 'failed', durationMs: 0, failureMessages: [file.message] }];
      }
      return file.assertionResults.map((a) => ({
        ancestors: a.ancestorTitles,
        title: a.title,
        status: a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped',
        durationMs: a.duration ?? 0,
        failureMessages: a.failureMessages,
      }));
    });
}

/**
 * The verdict of every catalogue scenario and every other check that ran (by its name): what a
 * recorded run is compared with. A check outside the catalogue fails if a test of it failed, is not
 * applicable if all its tests were skipped, and passes otherwise.
 */
export function verdictsOf(outcomes: readonly TestOutcome[]): Record<string, Verdict> {
  const verdicts: Record<string, Verdict> = {};
  for (const r of scenarioResults(outcomes)) verdicts[r.entry.id] = VERDICT[r.status];
  for (const c of additionalChecks(outcomes)) verdicts[c.name] = c.failed > 0 ? 'FAIL' : c.passed > 0 ? 'pass' : 'n/a';
  return verdicts;
}

export function readJestJson(file: string): JestJson {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as JestJson;
}

/** Expected verdicts with the reading of each, as docs/vendor-example.verdicts.json keeps them. */
export type RecordedVerdicts = Record<string, { verdict: Verdict; judgement?: string }>;

export interface VerdictChange {
  id: string;
  expected: Verdict | 'not recorded';
  actual: Verdict;
}

/**
 * Where a run's verdicts differ from the recorded ones, for the ids given (every recorded id that
 * the run has, by default). An id the run should have judged but did not is a change too.
 */
export function verdictChanges(recorded: RecordedVerdicts, actual: Record<string, Verdict>, ids: readonly string[] = Object.keys(recorded)): VerdictChange[] {
  const changes: VerdictChange[] = [];
  for (const id of ids) {
    const expected = recorded[id]?.verdict ?? 'not recorded';
    const got = actual[id] ?? 'not implemented';
    if (expected !== got) changes.push({ id, expected, actual: got });
  }
  return changes;
}
