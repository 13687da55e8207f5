import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageDirOf, readLibPackage, readLockFile, type LibPackage } from './lib-packages';
import { listFiles, readBytes } from './files';

export const BUNDLE_FILE = 'lib/databend-sink.js';

/**
 * Left out of the bundle and required at run time: databend-driver loads its native binary from
 * a package beside its own files (only the linux-x64-gnu binary ships, the target of the archive),
 * and @bokuweb/zstd-wasm (the zstd writer of the dead-letter queue) reads its .wasm file beside its own code.
 */
const EXTERNAL_PACKAGES = ['databend-driver', '@bokuweb/zstd-wasm'] as const;
/** Copied into lib/node_modules: the external packages and what they load. */
const RUNTIME_PACKAGES = [...EXTERNAL_PACKAGES, '@databend-driver/lib-linux-x64-gnu'] as const;

export interface BundledSink {
  /** lib/ files, keyed by their path in the component folder. */
  files: Map<string, Uint8Array>;
  /** Every npm package in lib/, bundled or copied, sorted by name. */
  packages: LibPackage[];
}

/**
 * `src/cli/main.ts` as one CommonJS file for Node 20, with the version baked in, plus the
 * runtime packages. The packages listed for the SBOM and NOTICE are exactly the ones esbuild's
 * metafile says went into the bundle, plus the copied ones.
 */
export async function bundleSink(root: string, version: string): Promise<BundledSink> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts'],
    outfile: BUNDLE_FILE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: [...EXTERNAL_PACKAGES],
    define: { BUNDLED_SINK_VERSION: JSON.stringify(version) },
    // Third-party licences go to doc/NOTICE in full; comments repeating them in the bundle add nothing.
    legalComments: 'none',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) {
    // A warning here is usually a require() esbuild could not follow: the bundle would fail at run time.
    const text = await esbuild.formatMessages(result.warnings, { kind: 'warning' });
    throw new Error(`esbuild warned while bundling the sink:\n${text.join('\n')}`);
  }
  const files = new Map<string, Uint8Array>();
  for (const out of result.outputFiles) files.set(path.relative(root, out.path).split(path.sep).join('/'), out.contents);

  const lock = readLockFile(root);
  const bundledDirs = new Set(Object.keys(result.metafile.inputs).map(packageDirOf).filter((d): d is string => d !== undefined));
  const packages = [...bundledDirs].map((dir) => readLibPackage(root, dir, BUNDLE_FILE, lock));

  for (const name of RUNTIME_PACKAGES) {
    const dir = `node_modules/${name}`;
    if (!fs.existsSync(path.join(root, dir, 'package.json'))) {
      throw new Error(`${dir} is missing: the archive ships it in lib/node_modules (on another platform: npm install --os=linux --cpu=x64 --libc=glibc)`);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const missing = Object.keys(manifest.dependencies ?? {}).filter((d) => !(RUNTIME_PACKAGES as readonly string[]).includes(d));
    if (missing.length > 0) throw new Error(`${name} now depends on ${missing.join(', ')}: add them to RUNTIME_PACKAGES in ${path.relative(root, __filename)}`);
    for (const file of listFiles(path.join(root, dir))) files.set(`lib/${dir}/${file}`, readBytes(path.join(root, dir, file)));
    packages.push(readLibPackage(root, dir, `lib/${dir}`, lock));
  }
  const key = (p: LibPackage) => `${p.name}@${p.version}@${p.dir}`;
  packages.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { files, packages };
}
