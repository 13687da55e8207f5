/**
 * Instructions per record of the sink's in-process work (decode, row encoding, CSV bytes), counted
 * by valgrind's callgrind with node --predictable (single-threaded GC and compilation): a figure
 * that a busy machine does not move, for before/after comparisons of a change.
 *
 *   npx tsx scripts/bench/instruction-count.ts [--records 50000] [--data avro,json-dense,…] [--build DIR ...]
 *
 * Data (`--data`, default all): `avro` (the Avro orders), `json-dense` / `json-sparse` (the
 * schemaless JSON topics of the bench), `connect-json` (the dense orders in Kafka Connect's
 * schema + payload envelope). Each build directory (default build/, after `npm run build`) is a
 * compiled tree (tsc output); the count is (run with 2 passes − run with 0 passes) / (2 × records),
 * so start-up and data loading cancel.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ORDER_V1 } from './data-generator';
import { connectJsonEnvelope, MessageStream, JsonMessageStream } from './sink-pipeline';
import { REPO_ROOT } from './sink-process';

function instructions(buildDir: string, dataFile: string, passes: number): number {
  const probe = path.join(__dirname, 'instruction-probe.cjs');
  const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--predictable', probe, buildDir, dataFile, String(passes)], { encoding: 'utf8' });
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`callgrind run failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return Number(m[1]);
}

const DATA = ['avro', 'json-dense', 'json-sparse', 'connect-json'] as const;
type DataName = (typeof DATA)[number];

/** The recorded messages of one data set, and the value converter the probe reads them with. */
function dataSet(name: DataName, records: number): { format: 'avro' | 'json' | 'connect-json'; messages: { key: Buffer; value: Buffer }[] } {
  switch (name) {
    case 'avro':
      return { format: 'avro', messages: new MessageStream(100_000, 42).take(records) };
    case 'json-dense':
    case 'json-sparse':
      return { format: 'json', messages: new JsonMessageStream(100_000, 42, name === 'json-dense' ? 'dense' : 'sparse').take(records) };
    case 'connect-json':
      return { format: 'connect-json', messages: new JsonMessageStream(100_000, 42, 'dense').take(records).map((m) => ({ key: m.key, value: connectJsonEnvelope(m.value) })) };
  }
}

function main(argv: string[]): void {
  const at = (flag: string) => argv.indexOf(flag);
  const records = at('--records') >= 0 ? Number(argv[at('--records') + 1]) : 50_000;
  const data = (at('--data') >= 0 ? argv[at('--data') + 1].split(',') : [...DATA]) as DataName[];
  const unknown = data.filter((d) => !(DATA as readonly string[]).includes(d));
  if (unknown.length > 0) throw new Error(`--data ${unknown.join(',')}: data sets are ${DATA.join(', ')}`);
  const builds = argv.flatMap((a, i) => (argv[i - 1] === '--build' ? [path.resolve(a)] : []));
  if (builds.length === 0) builds.push(path.join(REPO_ROOT, 'build'));
  execFileSync('valgrind', ['--version']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-instructions-'));
  for (const name of data) {
    const dataFile = path.join(dir, `${name}.json`);
    const { format, messages } = dataSet(name, records);
    fs.writeFileSync(dataFile, JSON.stringify({ format, schema: JSON.stringify(ORDER_V1), batchSize: 10_000, messages: messages.map((m) => [m.key.toString(), m.value.toString('base64')]) }));
    for (const build of builds) {
      const base = instructions(build, dataFile, 0);
      const full = instructions(build, dataFile, 2);
      process.stdout.write(`${name.padEnd(12)} ${build}: ${Math.round((full - base) / (2 * records)).toLocaleString('en-US')} instructions per record (decode + rows + CSV bytes)\n`);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main(process.argv.slice(2));
