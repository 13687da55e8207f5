/**
 * Our Kafka Connect plugin's packaging (sink-connect.ts) end to end: the Maven build of the glue,
 * GraalJS from Maven Central, a real Kafka Connect worker that reads the ConfigDef and loads the
 * archive. In the conformance project because it needs the suite's runtimes (Maven on a JDK, Kafka,
 * Kafka Connect). Reproducibility is judged as the standalone archive's is
 * (test-support/reproducible-build.ts): two builds, each from an empty connect-plugin/target/.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runEnvironment } from '../../conformance/jest/run-environment';
import { expectReproducible } from '../../test-support/reproducible-build';
import { extractArchive } from '../../src/plugin-archive';
import { ZipReader } from '../../src/plugin-archive/zip-reader';
import type { PackagedPlugin } from './package-plugin';
import { packageSinkConnect } from './sink-connect';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
const STEM = `bendsink-databend-kafka-sink-connect-${PKG.version}`;
/** 2026-01-01T00:00:00Z */
const EPOCH = 1767225600;
const BUILD_MS = 10 * 60_000;
// The workers use this run's Kafka instead of starting a broker per build.
const build = (outDir: string) => packageSinkConnect({ outDir, sourceDateEpoch: EPOCH, progress: () => undefined, kafka: runEnvironment().endpoints.kafka });

let scratch: string;
let built: PackagedPlugin;
let top: string;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'package-sink-connect-'));
  built = await build(path.join(scratch, 'first'));
  top = await extractArchive(built.zip, path.join(scratch, 'unpacked'));
}, BUILD_MS);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Every entry of a zip or jar carries 2026-01-01 00:00:00 (DOS date and time fields). */
async function expectEpochDates(zip: string): Promise<void> {
  const reader = await ZipReader.open(zip);
  try {
    const dates = new Set(reader.entries.map((e) => `${e.raw.lastModFileDate}/${e.raw.lastModFileTime}`));
    expect([...dates]).toEqual([`${((2026 - 1980) << 9) | (1 << 5) | 1}/0`]);
  } finally {
    reader.close();
  }
}

describe('packageSinkConnect', () => {
  it('builds byte-identical archives twice from a clean state (target/ emptied, Maven and the worker run again)', async () => {
    await expectReproducible(path.dirname(built.zip), () => build(path.join(scratch, 'second')));
  }, BUILD_MS);

  it("writes the zip named from package.json's version, its sha512sum line, the SBOM and the upload metadata", () => {
    expect(built.stem).toBe(STEM);
    const out = path.dirname(built.zip);
    expect(fs.readdirSync(out).sort()).toEqual([`${STEM}.cdx.json`, `${STEM}.custom-plugin.json`, `${STEM}.zip`, `${STEM}.zip.sha512`]);
    expect(execFileSync('sha512sum', ['-c', `${STEM}.zip.sha512`], { cwd: out, encoding: 'utf8' })).toBe(`${STEM}.zip: OK\n`);
    const manifest = JSON.parse(fs.readFileSync(path.join(top, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'databend-kafka-sink-connect', version: PKG.version, release_date: '2026-01-01', component_types: ['sink'] });
    const upload = JSON.parse(fs.readFileSync(built.customPlugin, 'utf8')) as Record<string, unknown>;
    expect(upload).toMatchObject({ connector_class: 'com.databend.kafka.connect.DatabendSinkConnector', connector_type: 'SINK', plugin_archive: `${STEM}.zip`, plugin_archive_sha512: built.sha512 });
    expect(upload.sensitive_config_properties).toEqual(['connection.password']);
  });

  it("dates every entry of the zip and of the connector jar inside it by the build's epoch", async () => {
    await expectEpochDates(built.zip);
    await expectEpochDates(path.join(top, 'lib', `databend-kafka-sink-connect-${PKG.version}.jar`));
  });

  it('lists in the SBOM exactly the jars in lib/, each with the SHA-512 of its bytes', () => {
    const sbom = JSON.parse(fs.readFileSync(built.sbom, 'utf8')) as { metadata: { timestamp: string }; components: { name: string; version: string; hashes: { alg: string; content: string }[] }[] };
    expect(sbom.metadata.timestamp).toBe('2026-01-01T00:00:00.000Z');
    const lib = fs.readdirSync(path.join(top, 'lib')).sort();
    const named = sbom.components.map((c) => (c.name.endsWith('.jar') ? c.name : `${c.name}-${c.version}.jar`)).sort();
    expect(named).toEqual(lib);
    for (const c of sbom.components) {
      const jar = c.name.endsWith('.jar') ? c.name : `${c.name}-${c.version}.jar`;
      expect([jar, c.hashes]).toEqual([jar, [{ alg: 'SHA-512', content: createHash('sha512').update(fs.readFileSync(path.join(top, 'lib', jar))).digest('hex') }]]);
    }
    expect(lib).toEqual(expect.arrayContaining([`databend-kafka-sink-connect-${PKG.version}.jar`, 'polyglot-23.1.8.jar', 'js-language-23.1.8.jar']));
  });
});
