import { SCENARIO_CATALOGUE, type ScenarioEntry } from '../catalogue/scenario-catalogue';

/** One jest test as the report sees it. */
export interface TestOutcome {
  /** `describe` titles, outermost first; a scenario's first title is its catalogue id. */
  ancestors: string[];
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  failureMessages: string[];
}

export type ScenarioStatus = 'passed' | 'failed' | 'not applicable' | 'not implemented';

export interface ScenarioResult {
  entry: ScenarioEntry;
  status: ScenarioStatus;
  durationMs: number;
  /** Why it is not applicable, or the failure messages of its tests. */
  details: string[];
  /** Checks of a scenario that ran which did not apply (`s.itRequiring`), each with why. */
  notApplicableChecks: string[];
}

/** Marker the harness puts in the title of a scenario it did not run. */
export const NOT_APPLICABLE = 'not applicable:';

/**
 * Folds test outcomes into one result per catalogue id. A scenario fails if any of its tests
 * failed, passes only if it ran at least one test and none failed, and is "not implemented" when
 * no test carries its id — so a missing scenario can never pass by absence. A scenario some of
 * whose checks did not apply passes on the others, and names those checks.
 */
export function scenarioResults(outcomes: readonly TestOutcome[]): ScenarioResult[] {
  return SCENARIO_CATALOGUE.map((entry) => {
    const own = outcomes.filter((o) => o.ancestors[0] === entry.id);
    const durationMs = own.reduce((sum, o) => sum + o.durationMs, 0);
    const notApplicable = own.filter((o) => o.status === 'skipped' && o.title.startsWith(NOT_APPLICABLE)).map((o) => o.title.slice(NOT_APPLICABLE.length).trim());
    const ran = own.some((o) => o.status === 'passed' || o.status === 'failed');
    const notApplicableChecks = ran ? notApplicable : [];
    const failed = own.filter((o) => o.status === 'failed');
    if (failed.length > 0) return { entry, status: 'failed', durationMs, details: failed.flatMap((o) => [`${o.title}:`, ...o.failureMessages]), notApplicableChecks };
    if (own.some((o) => o.status === 'passed')) return { entry, status: 'passed', durationMs, details: [], notApplicableChecks };
    if (notApplicable.length > 0) return { entry, status: 'not applicable', durationMs, details: notApplicable, notApplicableChecks };
    return { entry, status: 'not implemented', durationMs, details: [], notApplicableChecks };
  });
}

/** Tests outside the catalogue (walk-through, service checks), grouped by their outer describe. */
export function additionalChecks(outcomes: readonly TestOutcome[]): { name: string; passed: number; failed: number; skipped: number; durationMs: number }[] {
  const ids = new Set(SCENARIO_CATALOGUE.map((e) => e.id));
  const groups = new Map<string, { name: string; passed: number; failed: number; skipped: number; durationMs: number }>();
  for (const o of outcomes) {
    const name = o.ancestors[0] ?? o.title;
    if (ids.has(name)) continue;
    const g = groups.get(name) ?? { name, passed: 0, failed: 0, skipped: 0, durationMs: 0 };
    g[o.status]++;
    g.durationMs += o.durationMs;
    groups.set(name, g);
  }
  return [...groups.values()];
}
