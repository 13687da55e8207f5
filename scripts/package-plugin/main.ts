/**
 * `npm run package-plugin [-- --force]`: our sink's archive (package-plugin.ts).
 * `npm run package-plugin -- --connect <spec.json> [--force]`: a Kafka Connect plugin from a
 * connector jar and Maven coordinates (connect-plugin.ts).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { packageConnectPlugin } from './connect-plugin';
import { packagePlugin } from './package-plugin';

const USAGE = `usage: npm run package-plugin [-- --force]                       this project's sink
       npm run package-plugin -- --connect <spec.json> [--force]   a Kafka Connect plugin (connector jar + Maven dependencies)
--force replaces a different archive of the same version`;

let args: { force?: boolean; connect?: string };
try {
  args = parseArgs({ options: { force: { type: 'boolean' }, connect: { type: 'string' } }, strict: true }).values;
} catch (err) {
  process.stderr.write(`package-plugin: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
  process.exit(2);
}
const started = Date.now();
const build = args.connect ? packageConnectPlugin(args.connect, { force: args.force }) : packagePlugin({ force: args.force });
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
