import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'databend-kafka-sink';

/**
 * package.json's version, put in by the plugin archive's bundler (esbuild `define`): the bundle
 * has no package.json of its own, and one found above wherever the archive was unpacked could be
 * another checkout's.
 */
declare const BUNDLED_SINK_VERSION: string | undefined;

/**
 * The sink's version, from package.json — the only place it is written: baked into the plugin
 * archive's bundle, else found by walking up from this file (sources and the compiled tree).
 */
export function sinkVersion(from = __dirname): string {
  if (typeof BUNDLED_SINK_VERSION === 'string') return BUNDLED_SINK_VERSION;
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) throw new Error(`package.json of ${PACKAGE_NAME} not found above ${from}`);
  }
}
