/**
 * Instructions per record of the sink's in-process work (Avro decode, row encoding, CSV bytes),
 * counted by valgrind's callgrind with node --predictable (single-threaded GC and compilation): a
 * figure that a busy machine does not move, for before/after comparisons of a change.
 *
 *   npx tsx scripts/bench/instruction-count.ts [--records 50000] [--build DIR ...]
 *
 * Each build directory (default build/, after `npm run build`) is a compiled tree (tsc output); the
 * count is (run with 2 passes − run with 0 passes) / (2 × records), so start-up and data loading cancel.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ORDER_V1 } from './data-generator';
import { MessageStream } from './sink-pipeline';
import { REPO_ROOT } from './sink-process';

function instructions(buildDir: string, dataFile: string, passes: number): number {
  const probe = path.join(__dirname, 'instruction-probe.cjs');
  const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--predictable', probe, buildDir, dataFile, String(passes)], { encoding: 'utf8' });
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`callgrind run failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return Number(m[1]);
}

function main(argv: string[]): void {
  const at = (flag: string) => argv.indexOf(flag);
  const records = at('--records') >= 0 ? Number(argv[at('--records') + 1]) : 50_000;
  const builds = argv.flatMap((a, i) => (argv[i - 1] === '--build' ? [path.resolve(a)] : []));
  if (builds.length === 0) builds.push(path.join(REPO_ROOT, 'build'));
  execFileSync('valgrind', ['--version']);
  const dataFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-instructions-')), 'data.json');
  const messages = new MessageStream(100_000, 42).take(records).map((m) => [m.key.toString(), m.value.toString('base64')]);
  fs.writeFileSync(dataFile, JSON.stringify({ schema: JSON.stringify(ORDER_V1), batchSize: 10_000, messages }));
  for (const build of builds) {
    const base = instructions(build, dataFile, 0);
    const full = instructions(build, dataFile, 2);
    process.stdout.write(`${build}: ${Math.round((full - base) / (2 * records)).toLocaleString('en-US')} instructions per record (decode + rows + CSV bytes)\n`);
  }
  fs.rmSync(path.dirname(dataFile), { recursive: true, force: true });
}

main(process.argv.slice(2));
