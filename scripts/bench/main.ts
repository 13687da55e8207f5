/**
 * `npm run bench -- [--size smoke|full] [options]`: starts the services (CONFORMANCE_ENV, as the
 * conformance suite does; `external` reuses running ones), runs the benchmark, prints the table and
 * writes reports/bench.json. Exits 1 when a scenario failed to run (targets missed do not fail it).
 */
import * as path from 'node:path';
import { selectEnvironment } from '../../conformance/environments/select-environment';
import { runBench } from './bench';
import { parseBenchOptions, USAGE } from './bench-options';
import { formatReport, writeReport } from './report';
import { REPO_ROOT } from './sink-process';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options = parseBenchOptions(argv, process.env);
  const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
  const t0 = Date.now();
  const environment = await (await selectEnvironment()).start();
  log(`services: ${environment.name} (${Object.entries(environment.versions).map(([k, v]) => `${k} ${v}`).join('; ')})`);
  try {
    const report = await runBench(options, { name: environment.name, endpoints: environment.endpoints, versions: environment.versions }, log);
    const out = path.resolve(REPO_ROOT, options.out);
    writeReport(report, out);
    process.stdout.write(`\n${formatReport(report)}\n\nreport: ${path.relative(process.cwd(), out)} (total ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    return report.errors.length > 0 ? 1 : 0;
  } finally {
    await environment.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
