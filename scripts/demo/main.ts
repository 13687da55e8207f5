/**
 * `npm run demo`: the seed's walk-through in one command — packages the sink (npm run
 * package-plugin), unpacks the archive, starts the local services (as `npm run env:up` does),
 * runs the walk-through through the archive's bin/databend-sink (demo.ts), prints the table and the
 * sink's progress, and stops everything. Exit 0 when every row came out exact.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selectEnvironment } from '../../conformance/environments/select-environment';
import { prepareArchiveSink } from '../../conformance/sink-under-test/archive-sink';
import { sinkUnderTest } from '../../conformance/sink-under-test/select-sink';
import { V1_ROWS, V2_ROWS } from '../../conformance/support/confluent-cloud-walkthrough';
import { runDemo } from './demo';

const print = (text: string) => process.stdout.write(text);

async function main(): Promise<number> {
  print('Packaging the sink (npm run package-plugin) …\n');
  const pack = spawnSync('npm', ['run', '--silent', 'package-plugin', '--', '--force'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (pack.status !== 0) throw new Error('npm run package-plugin failed');
  const spec = await prepareArchiveSink({ ...process.env, CONFORMANCE_ARCHIVE: undefined, CONFORMANCE_SINK_CAPABILITIES: undefined });
  print(`Unpacked ${spec.description} into ${spec.archive!.folder}\n`);
  print('Starting Kafka (KRaft, with a SASL_SSL listener), the Schema Registry and Databend …\n');
  const env = await (await selectEnvironment(process.env.CONFORMANCE_ENV ?? 'local')).start();
  const stop = () => env.stop().catch(() => undefined);
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  try {
    const launcher = spec.command![0];
    const result = await runDemo({
      endpoints: env.endpoints,
      sink: sinkUnderTest(spec),
      print,
      beforeStart: (config) => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'databend-sink-demo-')), 'confluent-cloud.json');
        fs.writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
        const validate = spawnSync(launcher, ['validate', '--config', file], { encoding: 'utf8' });
        print(`\n$ bin/databend-sink validate --config confluent-cloud.json\n${validate.stdout.replaceAll(file, 'confluent-cloud.json')}${validate.stderr}\n`);
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      },
    });
    const exact = JSON.stringify(result.v1Rows) === JSON.stringify(V1_ROWS) && JSON.stringify(result.v2Rows) === JSON.stringify(V2_ROWS);
    print(exact && result.exitCode === 0 ? 'Every row exact. Stopping the services.\n' : 'The rows differ from what the walk-through expects (see above). Stopping the services.\n');
    if (!exact || result.exitCode !== 0) print(`The sink's log:\n${result.logs}\n`);
    return exact && result.exitCode === 0 ? 0 : 1;
  } finally {
    await stop();
    fs.rmSync(spec.archive!.folder, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
