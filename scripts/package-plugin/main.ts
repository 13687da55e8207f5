/**
 * `npm run package-plugin [-- --force]`: our sink's archive (package-plugin.ts).
 * `npm run package-plugin -- --connect <spec.json> [--force]`: a Kafka Connect plugin from a
 * connector jar and Maven coordinates (connect-plugin.ts).
 * `npm run package-plugin -- --sink-connect [--force]`: our sink as a Kafka Connect plugin
 * (connect-plugin/, docs/connect-plugin.md): the connector jar built, then packaged as above.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { packageConnectPlugin } from './connect-plugin';
import { packagePlugin } from './package-plugin';
import { writeSinkConnectSpec } from './sink-connect-jar';
import * as fs from 'node:fs';

const USAGE = `usage: npm run package-plugin [-- --force]                       this project's sink
       npm run package-plugin -- --connect <spec.json> [--force]   a Kafka Connect plugin (connector jar + Maven dependencies)
       npm run package-plugin -- --sink-connect [--force]          this project's sink as a Kafka Connect plugin
--force replaces a different archive of the same version`;

let args: { force?: boolean; connect?: string; 'sink-connect'?: boolean };
try {
  args = parseArgs({ options: { force: { type: 'boolean' }, connect: { type: 'string' }, 'sink-connect': { type: 'boolean' } }, strict: true }).values;
} catch (err) {
  process.stderr.write(`package-plugin: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
  process.exit(2);
}
const started = Date.now();
const root = path.resolve(__dirname, '..', '..');
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const build = args['sink-connect']
  ? writeSinkConnectSpec(root, version).then((spec) => packageConnectPlugin(spec, { force: args.force }))
  : args.connect
    ? packageConnectPlugin(args.connect, { force: args.force })
    : packagePlugin({ force: args.force });
build.then(
  (r) => {
    const rel = (f: string) => path.relative(process.cwd(), f);
    process.stdout.write(
      `${rel(r.zip)}  ${(r.bytes / 1024 / 1024).toFixed(1)} MiB, built in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
        `${rel(r.sha512File)}\n${rel(r.sbom)}\n${rel(r.customPlugin)}\n`,
    );
  },
  (err: unknown) => {
    process.stderr.write(`package-plugin: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
