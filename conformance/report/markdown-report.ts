import { databendLoadPath, LOAD_PATH_DESCRIPTION } from '../clients/databend-load-path';
import type { RunEnvironment } from '../jest/run-environment';
import type { Measurement } from './measurements';
import type { SinkSpec } from '../sink-under-test/select-sink';
import { additionalChecks, scenarioResults, type TestOutcome } from './scenario-results';

export interface ReportInput {
  outcomes: TestOutcome[];
  /** What scenarios measured (`ScenarioContext.measure`). */
  measurements?: Measurement[];
  environment?: RunEnvironment;
  sink?: SinkSpec;
  startedAt: Date;
  totalMs: number;
}

const ICON = { passed: 'pass', failed: '**FAIL**', 'not applicable': 'n/a', 'not implemented': 'not implemented' } as const;

/** `reports/conformance-report.md`: scenario × result × time, where it ran, and why anything failed. */
export function markdownReport(input: ReportInput): string {
  const results = scenarioResults(input.outcomes);
  const count = (status: string, priority?: number) => results.filter((r) => r.status === status && (priority === undefined || r.entry.priority === priority)).length;
  const lines: string[] = [];
  lines.push('# Conformance report', '');
  lines.push(`Run at ${input.startedAt.toISOString()}, ${(input.totalMs / 1000).toFixed(1)} s in all.`, '');
  lines.push(
    `**P0: ${count('passed', 0)} passed, ${count('failed', 0)} failed, ${count('not applicable', 0)} not applicable, ${count('not implemented', 0)} not implemented** · ` +
      `P1: ${count('passed', 1)} passed, ${count('failed', 1)} failed, ${count('not applicable', 1)} not applicable, ${count('not implemented', 1)} not implemented`,
    '',
  );
  lines.push('| | |', '|---|---|');
  if (input.sink) {
    lines.push(`| sink under test | ${cell(input.sink.description)} (adapter \`${input.sink.kind}\`) |`);
    lines.push(`| sink version | ${cell(input.sink.version)} |`);
    if (input.sink.archive) lines.push(`| archive | \`${cell(input.sink.archive.zip)}\` |`);
  }
  if (input.environment) {
    lines.push(`| environment | \`${input.environment.name}\` |`);
    for (const [service, version] of Object.entries(input.environment.versions)) lines.push(`| ${service} | ${cell(version)} |`);
    lines.push(`| databend load path | ${cell(LOAD_PATH_DESCRIPTION[databendLoadPath(input.environment.versions.databend)])} |`);
  }
  lines.push('');
  lines.push('## Scenarios', '', '| id | P | result | time | expectation |', '|---|---|---|---|---|');
  for (const r of results) {
    const partly = r.notApplicableChecks.length > 0 ? ` (${r.notApplicableChecks.length} check${r.notApplicableChecks.length > 1 ? 's' : ''} n/a)` : '';
    lines.push(`| \`${r.entry.id}\` | ${r.entry.priority} | ${ICON[r.status]}${partly} | ${r.status === 'passed' || r.status === 'failed' ? `${(r.durationMs / 1000).toFixed(1)} s` : ''} | ${cell(r.entry.expectation)} |`);
  }
  if (input.measurements && input.measurements.length > 0) {
    lines.push('', '## Measurements', '', '| scenario | what | value | bound |', '|---|---|---|---|');
    for (const m of input.measurements) lines.push(`| \`${m.scenario}\` | ${cell(m.name)} | ${m.value.toLocaleString('en-US')} ${cell(m.unit)} | ${cell(m.bound ?? '')} |`);
  }
  const extra = additionalChecks(input.outcomes);
  if (extra.length > 0) {
    lines.push('', '## Other checks', '', '| check | passed | failed | skipped | time |', '|---|---|---|---|---|');
    for (const g of extra) lines.push(`| ${cell(g.name)} | ${g.passed} | ${g.failed} | ${g.skipped} | ${(g.durationMs / 1000).toFixed(1)} s |`);
  }
  const notApplicable = results.filter((r) => r.status === 'not applicable' || r.notApplicableChecks.length > 0);
  if (notApplicable.length > 0) {
    lines.push('', '## Not applicable', '');
    for (const r of notApplicable) {
      if (r.status === 'not applicable') lines.push(`- \`${r.entry.id}\`: ${r.details.join('; ')}`);
      else for (const check of r.notApplicableChecks) lines.push(`- \`${r.entry.id}\`, the check "${check}"`);
    }
  }
  const failed = results.filter((r) => r.status === 'failed');
  const failedExtra = input.outcomes.filter((o) => o.status === 'failed' && !results.some((r) => r.entry.id === o.ancestors[0]));
  if (failed.length + failedExtra.length > 0) {
    lines.push('', '## Failures', '');
    for (const r of failed) lines.push(`### \`${r.entry.id}\``, '', '```', stripAnsi(r.details.join('\n')), '```', '');
    for (const o of failedExtra) lines.push(`### ${[...o.ancestors, o.title].join(' › ')}`, '', '```', stripAnsi(o.failureMessages.join('\n')), '```', '');
  }
  return `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').replace(/```/g, "'''");
}

const RUN_SUMMARY_MARKER = '<!-- legacy-databend-run -->';

/**
 * A section for another run of the suite (against an old Databend server): where it ran, which
 * load path, and each scenario it ran with its result; the details are in `reportFile`.
 */
export function runSummary(input: ReportInput, reportFile: string): string {
  const ran = scenarioResults(input.outcomes).filter((r) => r.status === 'passed' || r.status === 'failed' || r.status === 'not applicable');
  const lines = [RUN_SUMMARY_MARKER, '', '## Run against a legacy Databend server', ''];
  if (input.environment) {
    const databend = input.environment.versions.databend;
    lines.push(`Databend ${cell(databend)} — ${cell(LOAD_PATH_DESCRIPTION[databendLoadPath(databend)])}. Full report: \`${reportFile}\`.`, '');
  }
  lines.push('| id | result | time |', '|---|---|---|');
  for (const r of ran) lines.push(`| \`${r.entry.id}\` | ${ICON[r.status]} | ${r.status === 'not applicable' ? '' : `${(r.durationMs / 1000).toFixed(1)} s`} |`);
  return `${lines.join('\n')}\n`;
}

/** `report` with `summary` in place of an earlier run summary, or appended. */
export function withRunSummary(report: string, summary: string): string {
  const at = report.indexOf(RUN_SUMMARY_MARKER);
  return `${at >= 0 ? report.slice(0, at) : `${report}\n`}${summary}`;
}
