import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AggregatedResult } from '@jest/test-result';
import { RUN_ENVIRONMENT_VARIABLE, type RunEnvironment } from '../jest/run-environment';
import { SINK_SPEC_VARIABLE, type SinkSpec } from '../sink-under-test/select-sink';
import { markdownReport, runSummary, withRunSummary } from './markdown-report';
import { readMeasurements } from './measurements';
import { scenarioResults, type TestOutcome } from './scenario-results';

const REPORTS = path.resolve(__dirname, '..', '..', 'reports');
const MAIN_REPORT = path.join(REPORTS, 'conformance-report.md');
const LEGACY_REPORT = path.join(REPORTS, 'conformance-report-legacy.md');

/**
 * A jest reporter that writes `reports/conformance-report.md` after a run that included the
 * conformance project. It runs in jest's main process, where the global setup left the chosen
 * environment and sink in environment variables.
 */
export default class ConformanceReporter {
  private readonly startedAt = new Date();

  onRunComplete(_contexts: unknown, results: AggregatedResult): void {
    const outcomes: TestOutcome[] = results.testResults
      .filter((file) => file.testFilePath.endsWith('.conformance.test.ts'))
      .flatMap((file) =>
        file.testResults.map((t) => ({
          ancestors: t.ancestorTitles,
          title: t.title,
          status: t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'skipped',
          durationMs: t.duration ?? 0,
          failureMessages: t.failureMessages,
        })),
      );
    // A suite that crashed before its tests ran has no test results; show it as a failed check.
    for (const file of results.testResults) {
      if (file.testFilePath.endsWith('.conformance.test.ts') && file.testExecError) {
        outcomes.push({ ancestors: [path.basename(file.testFilePath)], title: 'suite', status: 'failed', durationMs: 0, failureMessages: [file.testExecError.message] });
      }
    }
    if (outcomes.length === 0) return;
    // The run against a legacy Databend (CONFORMANCE_DATABEND_PROTOCOL=legacy, after the main run in
    // `npm test`) gets its own report, and the main report a summary of it: one report names both paths.
    const legacy = process.env.CONFORMANCE_DATABEND_PROTOCOL === 'legacy';
    // Runs of another sink (the vendor example, npm test's connect subset) name their own report.
    const REPORT = process.env.CONFORMANCE_REPORT_FILE ? path.resolve(process.env.CONFORMANCE_REPORT_FILE) : legacy ? LEGACY_REPORT : MAIN_REPORT;
    fs.mkdirSync(path.dirname(REPORT), { recursive: true });
    const input = { outcomes, measurements: readMeasurements(), environment: fromEnv<RunEnvironment>(RUN_ENVIRONMENT_VARIABLE), sink: fromEnv<SinkSpec>(SINK_SPEC_VARIABLE), startedAt: this.startedAt, totalMs: Date.now() - this.startedAt.getTime() };
    fs.writeFileSync(REPORT, markdownReport(input));
    if (legacy && REPORT === LEGACY_REPORT && fs.existsSync(MAIN_REPORT)) {
      fs.writeFileSync(MAIN_REPORT, withRunSummary(fs.readFileSync(MAIN_REPORT, 'utf8'), runSummary(input, path.basename(LEGACY_REPORT))));
    }
    const scenarios = scenarioResults(outcomes);
    const n = (s: string) => scenarios.filter((r) => r.status === s).length;
    process.stderr.write(
      `\nconformance scenarios: ${n('passed')} passed, ${n('failed')} failed, ${n('not applicable')} not applicable, ${n('not implemented')} not implemented — ${path.relative(process.cwd(), REPORT)}\n`,
    );
  }
}

function fromEnv<T>(name: string): T | undefined {
  const raw = process.env[name];
  return raw ? (JSON.parse(raw) as T) : undefined;
}
