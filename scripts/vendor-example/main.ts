/**
 * `npm run conformance:vendor-example [-- --accept] [-- <scenario files…>]`: packages Databend's Java
 * connector as a Kafka Connect plugin, runs the whole conformance suite on it through the `connect`
 * adapter, rewrites the verdict table of docs/vendor-example.md and compares every verdict with
 * docs/vendor-example.verdicts.json. A changed verdict fails the run (the suite or the plugin moved:
 * judge it, then `--accept` records it, keeping the judgements of the verdicts that stayed).
 * `npm run conformance:vendor-example -- --check <results.json> <id…>` only compares a results file
 * (what `npm test` does with its subset); `-- --render` rewrites the table from the last run's
 * results and the recorded judgements, without running anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { packageConnectPlugin } from '../package-plugin/connect-plugin';
import { compare, connectRunEnv, describeChanges, DOC, PEER, peerPresent, PLUGIN_SPEC, RECORDED, REPO_ROOT, runConformance, withVerdictTable } from './vendor-example';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { accept: { type: 'boolean' }, check: { type: 'string' }, render: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const results = path.join(REPO_ROOT, 'reports', 'vendor-example-results.json');
  const factsFile = path.join(REPO_ROOT, 'reports', 'vendor-example-run.json');
  if (values.render) {
    const { actual, recorded } = compare(results);
    fs.writeFileSync(DOC, withVerdictTable(fs.readFileSync(DOC, 'utf8'), actual, recorded, JSON.parse(fs.readFileSync(factsFile, 'utf8')) as string[]));
    process.stdout.write(`${path.relative(REPO_ROOT, DOC)}: verdict table rewritten from ${path.relative(REPO_ROOT, results)}\n`);
    return 0;
  }
  if (values.check) {
    const { changes, actual } = compare(values.check, positionals);
    for (const id of positionals) process.stdout.write(`  ${id}: ${actual[id] ?? 'not implemented'}\n`);
    if (changes.length > 0) {
      process.stderr.write(`verdicts differ from docs/vendor-example.verdicts.json (the suite or the plugin moved; judge and record them):\n${describeChanges(changes)}\n`);
      return 1;
    }
    process.stdout.write(`every verdict equals the one recorded in docs/vendor-example.verdicts.json\n`);
    return 0;
  }
  if (!peerPresent()) {
    process.stderr.write(`conformance:vendor-example needs the Java connector in ${PEER} (see ../shared/peers/README.md)\n`);
    return 2;
  }
  const plugin = await packageConnectPlugin(PLUGIN_SPEC, { force: true });
  const report = path.join(REPO_ROOT, 'reports', 'vendor-example-report.md');
  const started = new Date();
  // The scenarios and checks of a sink; the services' own self-tests say nothing about it.
  runConformance(connectRunEnv(plugin.zip, report), results, positionals.length > 0 ? positionals : ['conformance/scenarios']);
  if (!fs.existsSync(results)) {
    process.stderr.write('conformance:vendor-example: jest wrote no results (see its output above)\n');
    return 1;
  }
  // A partial run (scenario files given) is compared on what it ran; a whole run on every verdict.
  const ran = Object.entries(compare(results).actual).filter(([, v]) => v !== 'not implemented').map(([id]) => id);
  const { actual, recorded, changes } = compare(results, positionals.length > 0 ? ran : undefined);
  const facts = [
    `Run ${started.toISOString()} by \`npm run conformance:vendor-example\`: \`${path.basename(plugin.zip)}\` (sha512 \`${plugin.sha512.slice(0, 16)}…\`) in the \`connect\` adapter.`,
    `Full report of the run (with every failure's assertion, compared SQL and the worker's log tail): \`reports/vendor-example-report.md\`.`,
  ];
  fs.writeFileSync(factsFile, JSON.stringify(facts));
  fs.writeFileSync(DOC, withVerdictTable(fs.readFileSync(DOC, 'utf8'), actual, recorded, facts));
  if (values.accept) {
    const next = Object.fromEntries(
      Object.entries(actual).map(([id, verdict]) => [id, { verdict, ...(recorded[id]?.verdict === verdict && recorded[id]?.judgement ? { judgement: recorded[id].judgement } : verdict === 'FAIL' ? { judgement: 'to be judged' } : {}) }]),
    );
    fs.writeFileSync(RECORDED, `${JSON.stringify(next, null, 2)}\n`);
    process.stdout.write(`recorded ${Object.keys(next).length} verdicts in ${path.relative(REPO_ROOT, RECORDED)}\n`);
    return 0;
  }
  if (changes.length > 0) {
    process.stderr.write(`verdicts differ from ${path.relative(REPO_ROOT, RECORDED)}:\n${describeChanges(changes)}\n`);
    return 1;
  }
  process.stdout.write(`every verdict equals the one recorded in ${path.relative(REPO_ROOT, RECORDED)}; docs/vendor-example.md updated\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`conformance:vendor-example: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
