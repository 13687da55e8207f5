#!/usr/bin/env node
// `npm test`: type-check, lint, build the plugin archive, unit tests, then the conformance suite
// on the selected environment (which runs the sink from that archive by default).
// Ends with one plain `N passed, N failed` line counting every test and every check.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

const checks = [
  { name: 'typecheck', command: 'npx', args: ['tsc', '--noEmit'] },
  { name: 'lint', command: 'npx', args: ['eslint', '.'] },
  // --force: a test run packages the work tree as it is, over the archive of the previous run.
  { name: 'package-plugin', command: 'npm', args: ['run', '--silent', 'package-plugin', '--', '--force'] },
];
const jestResults = 'reports/jest-results.json';
const only = process.argv.slice(2);

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

for (const check of checks) {
  const t0 = Date.now();
  const r = spawnSync(check.command, check.args, { stdio: 'inherit' });
  const ok = r.status === 0;
  console.log(`${check.name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (ok) passed++;
  else {
    failed++;
    failures.push(check.name);
  }
}

fs.mkdirSync('reports', { recursive: true });
fs.rmSync(jestResults, { force: true });
const t0 = Date.now();
// Two workers: conformance scenarios spend most of their time waiting on services, so two overlap well on 2 cores.
const jest = spawnSync('npx', ['jest', '--json', `--outputFile=${jestResults}`, '--maxWorkers=2', ...only], { stdio: 'inherit' });
console.log(`jest: exit ${jest.status} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
if (fs.existsSync(jestResults)) {
  const results = JSON.parse(fs.readFileSync(jestResults, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + results.numTodoTests;
  // A suite that failed before running its tests (setup error) has no failed test to count.
  const brokenSuites = results.testResults.filter((s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed'));
  failed += brokenSuites.length;
  for (const s of brokenSuites) failures.push(`suite ${s.name}`);
  if (jest.status !== 0 && results.numFailedTests === 0 && brokenSuites.length === 0) {
    failed++;
    failures.push('jest run');
  }
} else {
  failed++;
  failures.push('jest run (no results written)');
}

if (failures.length > 0) console.log(`failed: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
