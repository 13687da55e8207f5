/**
 * `npm run package-plugin [-- --force]`: both archives of our sink from package.json's version —
 * the standalone Node archive (package-plugin.ts) and the Kafka Connect plugin (sink-connect.ts).
 * `-- --only standalone|connect`: one of them.
 * `-- --connect <spec.json>`: a foreign Kafka Connect plugin from a connector jar and Maven
 * coordinates (connect-plugin.ts).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { packageConnectPlugin } from './connect-plugin';
import { packagePlugin, type PackagedPlugin } from './package-plugin';
import { packageSinkConnect } from './sink-connect';

const USAGE = `usage: npm run package-plugin [-- --force]                        this project's sink: the standalone archive and the Kafka Connect plugin
       npm run package-plugin -- --only standalone|connect [--force]   one of the two
       npm run package-plugin -- --connect <spec.json> [--force]       a foreign Kafka Connect plugin (connector jar + Maven dependencies)
--force replaces a different archive of the same version`;
const ONLY = ['standalone', 'connect'] as const;

let args: { force?: boolean; connect?: string; only?: string };
try {
  args = parseArgs({ options: { force: { type: 'boolean' }, connect: { type: 'string' }, only: { type: 'string' } }, strict: true }).values;
  if (args.only !== undefined && !(ONLY as readonly string[]).includes(args.only)) throw new Error(`--only ${args.only}: must be one of ${ONLY.join(', ')}`);
  if (args.only !== undefined && args.connect !== undefined) throw new Error('--only and --connect exclude each other');
} catch (err) {
  process.stderr.write(`package-plugin: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
  process.exit(2);
}
const started = Date.now();
const options = { force: args.force };
const builds: Promise<PackagedPlugin>[] = args.connect
  ? [packageConnectPlugin(args.connect, options)]
  : [...(args.only !== 'connect' ? [packagePlugin(options)] : []), ...(args.only !== 'standalone' ? [packageSinkConnect(options)] : [])];

// Each archive's lines as soon as it is written (the zip first: callers read the first line);
// a failed build fails the command after the others finished, so one missing JDK still leaves the standalone archive.
const rel = (f: string) => path.relative(process.cwd(), f);
const report = (r: PackagedPlugin) =>
  process.stdout.write(`${rel(r.zip)}  ${(r.bytes / 1024 / 1024).toFixed(1)} MiB, sha512 ${r.sha512.slice(0, 16)}…, built in ${((Date.now() - started) / 1000).toFixed(1)} s\n${rel(r.sha512File)}\n${rel(r.sbom)}\n${rel(r.customPlugin)}\n`);
void Promise.allSettled(builds.map((b) => b.then(report))).then((results) => {
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const f of failures) process.stderr.write(`package-plugin: ${f.reason instanceof Error ? f.reason.message : String(f.reason)}\n`);
  if (failures.length > 0) process.exit(1);
});
