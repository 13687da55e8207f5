/**
 * The connector jar of our Kafka Connect plugin (connect-plugin/, docs/packaging.md): its generated
 * resources — the sink's bundle for GraalJS, the ConfigDef's keys from the one config declaration,
 * the version — then the Maven build of the Java glue. Its run-time jars (GraalJS) are copied to
 * connect-plugin/target/lib.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connectConfigDefinitions } from '../../src/connect/connect-config';
import { bundleConnect, CONNECT_BUNDLE_FILE } from './bundle-connect';

export const CONNECT_PLUGIN_DIR = 'connect-plugin';

/** Writes the generated resources and runs Maven; returns the plugin's jars (name → bytes), sorted. */
export async function buildSinkConnectJar(root: string, version: string): Promise<Map<string, Uint8Array>> {
  const dir = path.join(root, CONNECT_PLUGIN_DIR);
  const generated = path.join(dir, 'target', 'generated-resources');
  fs.mkdirSync(generated, { recursive: true });
  fs.writeFileSync(path.join(generated, CONNECT_BUNDLE_FILE), await bundleConnect(root, version));
  fs.writeFileSync(path.join(generated, 'databend-sink-config.json'), `${JSON.stringify(connectConfigDefinitions(), null, 2)}\n`);
  fs.writeFileSync(path.join(generated, 'databend-sink-version.txt'), `${version}\n`);
  runMaven(dir, version);
  const jars = new Map<string, Uint8Array>();
  const main = `databend-kafka-sink-connect-${version}.jar`;
  jars.set(main, fs.readFileSync(path.join(dir, 'target', main)));
  for (const jar of fs.readdirSync(path.join(dir, 'target', 'lib')).sort()) jars.set(jar, fs.readFileSync(path.join(dir, 'target', 'lib', jar)));
  return jars;
}

/** Offline first (every artifact in the local repository after the first build), online otherwise. */
function runMaven(dir: string, version: string): void {
  const args = ['-B', '-q', `-Drevision=${version}`, 'package'];
  try {
    execFileSync('mvn', ['-o', ...args], { cwd: dir, stdio: 'pipe' });
  } catch {
    try {
      execFileSync('mvn', args, { cwd: dir, stdio: 'pipe' });
    } catch (err) {
      const out = (err as { stdout?: Buffer }).stdout?.toString() ?? '';
      throw new Error(`the Connect plugin's Maven build failed (cd ${CONNECT_PLUGIN_DIR} && mvn package):\n${out.split('\n').filter((l) => /ERROR/.test(l)).slice(0, 20).join('\n')}`, { cause: err });
    }
  }
}

/** The run-time dependencies of the connector jar (GraalJS 23.1.8: js-community is a POM of these). */
const GRAALJS = ['org.graalvm.polyglot:polyglot:23.1.8', 'org.graalvm.js:js-language:23.1.8', 'org.graalvm.truffle:truffle-runtime:23.1.8'];

/**
 * Builds the connector jar and writes the packaging spec of our plugin for
 * `packageConnectPlugin` (connect-plugin.ts) into connect-plugin/target/: the jar, GraalJS's Maven
 * coordinates, the licence and connect-plugin/manifest.template.json with package.json's version.
 */
export async function writeSinkConnectSpec(root: string, version: string): Promise<string> {
  await buildSinkConnectJar(root, version);
  const dir = path.join(root, CONNECT_PLUGIN_DIR);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.template.json'), 'utf8')) as Record<string, unknown>;
  const spec = {
    connector: { jar: `databend-kafka-sink-connect-${version}.jar`, class: 'com.databend.kafka.connect.DatabendSinkConnector' },
    dependencies: GRAALJS,
    license_file: path.join(root, 'LICENSE'),
    manifest: { ...manifest, version },
  };
  const file = path.join(dir, 'target', 'connect-plugin.spec.json');
  fs.writeFileSync(file, `${JSON.stringify(spec, null, 2)}\n`);
  return file;
}
