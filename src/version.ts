import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'databend-kafka-sink';

/**
 * The sink's version, from package.json — the only place it is written. Found by walking up from
 * this file, so it works from the sources, the compiled tree and the plugin archive's `lib/`.
 */
export function sinkVersion(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) throw new Error(`package.json of ${PACKAGE_NAME} not found above ${from}`);
  }
}
