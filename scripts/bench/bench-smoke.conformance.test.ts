/**
 * The benchmark's smoke size, run in-process against this run's services and with the sink under
 * test (the archive, or src/ for `source`/`inprocess`), so that `npm run bench` cannot rot: every
 * scenario must run and report numbers. Its figures are not checked — they mean nothing on a CI
 * machine running other tests — and the targets are the full benchmark's business (docs/benchmarks.md).
 */
import * as path from 'node:path';
import { holdSharedServices } from '../../conformance/harness/environment-faults';
import { runEnvironment } from '../../conformance/jest/run-environment';
import { sinkSpec } from '../../conformance/sink-under-test/select-sink';
import { runBench } from './bench';
import { parseBenchOptions, SCENARIOS } from './bench-options';
import { formatReport, writeReport } from './report';
import { archiveSinkCommand, REPO_ROOT, sourceSinkCommand, type SinkCommand } from './sink-process';

const spec = sinkSpec();
// Our sink only: the benchmark runs our launcher (a Connect plugin's archive has none).
const sink: SinkCommand | null = spec.kind === 'archive' && spec.archive
  ? archiveSinkCommand(spec.archive.folder, `${spec.description} (the conformance run's archive)`)
  : spec.kind === 'source' || spec.kind === 'inprocess'
    ? sourceSinkCommand()
    : null;

describe('benchmark smoke (npm run bench -- --size smoke)', () => {
  const run = runEnvironment();
  if (sink) holdSharedServices(run);

  (sink ? it : it.skip)(
    `runs every scenario of the smoke size against the run's services${sink ? '' : ' — not applicable: the sink under test is not this project’s'}`,
    async () => {
      const options = parseBenchOptions(['--size', 'smoke', '--no-build', '--out', 'reports/bench-smoke.json']);
      const log: string[] = [];
      const report = await runBench(options, { name: run.name, endpoints: run.endpoints, versions: run.versions }, (m) => log.push(m), sink as SinkCommand);
      writeReport(report, path.join(REPO_ROOT, options.out));
      if (report.errors.length > 0) throw new Error(`${formatReport(report)}\n\n${log.join('\n')}`);
      expect(Object.keys(report.runs).sort()).toEqual(['append', 'append-exactly-once', 'consume-only', 'convert-load', 'converter', 'direct-load', 'direct-upsert', 'evolution', 'json-connect', 'json-dense', 'json-sparse', 'latency', 'upsert']);
      expect(report.metrics.every((m) => m.summary.runs.length === options.runs && Number.isFinite(m.summary.median))).toBe(true);
      // Every target of every scenario is evaluated (met or not), or not available here with the reason (a peer that is not there).
      expect(report.targets).toHaveLength(19);
      expect(report.targets.filter((t) => !Number.isFinite(t.value) && !t.notAvailable)).toEqual([]);
      // Every scenario but the Kafka Connect workers' passes (minutes of JVM start and warm-up; `npm run bench` runs them).
      expect(options.only).toEqual(SCENARIOS.filter((s) => s !== 'connect-plugin'));
    },
    600_000,
  );
});
