import { SCENARIO_CATALOGUE } from '../catalogue/scenario-catalogue';
import { markdownReport } from './markdown-report';
import { additionalChecks, NOT_APPLICABLE, scenarioResults, type TestOutcome } from './scenario-results';

const outcome = (ancestors: string[], title: string, status: TestOutcome['status'], failureMessages: string[] = []): TestOutcome => ({
  ancestors,
  title,
  status,
  durationMs: 1000,
  failureMessages,
});

const resultOf = (outcomes: TestOutcome[], id: string) => scenarioResults(outcomes).find((r) => r.entry.id === id);

describe('scenarioResults', () => {
  it('lists every catalogue id, in catalogue order, even with no outcomes', () => {
    const results = scenarioResults([]);
    expect(results.map((r) => r.entry.id)).toEqual(SCENARIO_CATALOGUE.map((e) => e.id));
    expect(results.every((r) => r.status === 'not implemented')).toBe(true);
  });

  it('passes a scenario only when a test ran and none failed', () => {
    expect(resultOf([outcome(['append.basic'], 'a', 'passed'), outcome(['append.basic'], 'b', 'passed')], 'append.basic')?.status).toBe('passed');
    expect(resultOf([outcome(['append.basic'], 'a', 'passed'), outcome(['append.basic'], 'b', 'failed', ['boom'])], 'append.basic')).toMatchObject({
      status: 'failed',
      details: ['b:', 'boom'],
    });
  });

  it('does not count a skipped test as a pass', () => {
    expect(resultOf([outcome(['append.basic'], 'a', 'skipped')], 'append.basic')?.status).toBe('not implemented');
  });

  it('reports not applicable with the reason the harness gave', () => {
    const r = resultOf([outcome(['delivery.crash'], `${NOT_APPLICABLE} the sink does not declare hard-kill`, 'skipped')], 'delivery.crash');
    expect(r).toMatchObject({ status: 'not applicable', details: ['the sink does not declare hard-kill'] });
  });

  it('passes a scenario on the checks that ran, naming those that did not apply; all not applicable is not applicable', () => {
    const partly = [outcome(['json.envelope'], 'envelopes', 'passed'), outcome(['json.envelope'], `${NOT_APPLICABLE} JSON Schema: this run does not offer converter:json-schema`, 'skipped')];
    expect(resultOf(partly, 'json.envelope')).toMatchObject({ status: 'passed', notApplicableChecks: ['JSON Schema: this run does not offer converter:json-schema'] });
    const failing = [outcome(['json.envelope'], 'envelopes', 'failed', ['x']), partly[1]];
    expect(resultOf(failing, 'json.envelope')).toMatchObject({ status: 'failed', notApplicableChecks: ['JSON Schema: this run does not offer converter:json-schema'] });
    expect(resultOf([partly[1]], 'json.envelope')).toMatchObject({ status: 'not applicable', notApplicableChecks: [] });
    const report = markdownReport({ outcomes: partly, startedAt: new Date(0), totalMs: 0 });
    expect(report).toContain('| `json.envelope` | 0 | pass (1 check n/a) |');
    expect(report).toContain('- `json.envelope`, the check "JSON Schema: this run does not offer converter:json-schema"');
  });

  it('sums the time of a scenario\'s tests', () => {
    expect(resultOf([outcome(['append.basic'], 'a', 'passed'), outcome(['append.basic'], 'b', 'passed')], 'append.basic')?.durationMs).toBe(2000);
  });
});

describe('additionalChecks', () => {
  it('groups tests outside the catalogue by their outer describe', () => {
    const checks = additionalChecks([outcome(['walk-through'], 'a', 'passed'), outcome(['walk-through'], 'b', 'failed'), outcome(['append.basic'], 'c', 'passed')]);
    expect(checks).toEqual([{ name: 'walk-through', passed: 1, failed: 1, skipped: 0, durationMs: 2000 }]);
  });
});

describe('markdownReport', () => {
  const report = markdownReport({
    outcomes: [
      outcome(['append.basic'], 'writes N rows', 'passed'),
      outcome(['upsert.value-key'], 'last value wins', 'failed', ['\u001b[31mexpected 1 row\u001b[39m\ncompared SQL: SELECT 1']),
      outcome(['delivery.crash'], `${NOT_APPLICABLE} no hard kill`, 'skipped'),
    ],
    environment: { name: 'local', endpoints: {} as never, versions: { kafka: '3.9.2', 'schema-registry': 'Apicurio 3.3.3', databend: 'v1.2.895' }, timings: [], supportsFaults: true },
    sink: { kind: 'archive', description: 'bendsink-databend-kafka-sink-0.1.0.zip', version: '0.1.0', capabilitiesFile: 'c.json', configFormat: 'json', archive: { zip: 'dist/x.zip', folder: '/tmp/x' } },
    startedAt: new Date('2026-11-24T00:00:00Z'),
    totalMs: 61_000,
  });

  it('has a row for every catalogue id', () => {
    for (const entry of SCENARIO_CATALOGUE) expect(report).toContain(`| \`${entry.id}\` | ${entry.priority} |`);
  });

  it('shows results, versions and the failure with its SQL, without terminal colours', () => {
    expect(report).toContain('| `append.basic` | 0 | pass | 1.0 s |');
    expect(report).toContain('| `upsert.value-key` | 0 | **FAIL** | 1.0 s |');
    expect(report).toContain('| `delivery.crash` | 0 | n/a |');
    // The three P0 scenarios above ran or were n/a; every other P0 id of the catalogue is not implemented.
    const p0 = SCENARIO_CATALOGUE.filter((e) => e.priority === 0).length;
    expect(report).toContain(`P0: 1 passed, 1 failed, 1 not applicable, ${p0 - 3} not implemented`);
    expect(report).toContain('| kafka | 3.9.2 |');
    expect(report).toContain('| sink version | 0.1.0 |');
    expect(report).toContain('compared SQL: SELECT 1');
    expect(report).not.toContain('\u001b[');
  });
});
