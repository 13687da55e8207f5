/** `npm run package-plugin [-- --force]`: see package-plugin.ts. */
import * as path from 'node:path';
import { packagePlugin } from './package-plugin';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--force');
if (unknown.length > 0) {
  process.stderr.write(`package-plugin: unknown argument ${unknown.join(' ')}\nusage: npm run package-plugin [-- --force]   (--force replaces a different archive of the same version)\n`);
  process.exit(2);
}
const started = Date.now();
packagePlugin({ force: args.includes('--force') }).then(
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
