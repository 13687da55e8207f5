import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { CONFIG_KEYS } from '../../src/config/config-definitions';
import { configDefinitions, configJsonSchema, configMarkdown } from '../../src/config/config-projections';
import { extractArchive, verifyArchive } from '../../src/plugin-archive';
import { ZipReader } from '../../src/plugin-archive/zip-reader';
import { expectReproducible } from '../../test-support/reproducible-build';
import { readBytes } from './files';
import { packagePlugin, type PackagedPlugin } from './package-plugin';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
const STEM = `bendsink-databend-kafka-sink-${PKG.version}`;
/** 2026-01-01T00:00:00Z */
const EPOCH = 1767225600;

let scratch: string;
let out: string;
let built: PackagedPlugin;
let zipBytes: Uint8Array;
let top: string;

// One build here; the tests below add two more (same sources, then a changed date). Each takes a few seconds.
beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'package-plugin-'));
  out = path.join(scratch, 'dist');
  built = await packagePlugin({ outDir: out, sourceDateEpoch: EPOCH });
  zipBytes = readBytes(built.zip);
  top = await extractArchive(built.zip, path.join(scratch, 'unpacked'));
}, 120_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const inArchive = (file: string) => fs.readFileSync(path.join(top, file), 'utf8');

describe('packagePlugin', () => {
  it('writes the zip, its sha512sum line, the SBOM and the upload metadata, all named from the manifest, and nothing else', () => {
    expect(built.stem).toBe(STEM);
    expect(fs.readdirSync(out).sort()).toEqual([`${STEM}.cdx.json`, `${STEM}.custom-plugin.json`, `${STEM}.zip`, `${STEM}.zip.sha512`]);
    expect(execFileSync('sha512sum', ['-c', `${STEM}.zip.sha512`], { cwd: out, encoding: 'utf8' })).toBe(`${STEM}.zip: OK\n`);
    expect(top).toBe(path.join(scratch, 'unpacked', STEM));
  });

  it('builds byte-identical archives from the same sources, and rebuilding over an identical one is fine', async () => {
    await expectReproducible(out, () => packagePlugin({ outDir: out, sourceDateEpoch: EPOCH }));
    expect(fs.readFileSync(built.zip).equals(zipBytes)).toBe(true);
  }, 60_000);

  it('refuses to replace a different archive of the same version unless forced', async () => {
    const other = path.join(scratch, 'other-dist');
    fs.cpSync(out, other, { recursive: true });
    const before = fs.readdirSync(other).map((f) => [f, fs.readFileSync(path.join(other, f), 'utf8')]);
    await expect(packagePlugin({ outDir: other, sourceDateEpoch: EPOCH + 86400 })).rejects.toThrow(
      `${path.join(other, `${STEM}.zip`)} exists and differs from this build of version ${PKG.version}: bump the version in package.json, or pass --force to replace it`,
    );
    expect(fs.readdirSync(other).map((f) => [f, fs.readFileSync(path.join(other, f), 'utf8')])).toEqual(before);
    const forced = await packagePlugin({ outDir: other, sourceDateEpoch: EPOCH + 86400, force: true });
    expect(forced.manifest.release_date).toBe('2026-01-02');
    expect(forced.sha512).not.toBe(built.sha512);
    expect(fs.readdirSync(other)).toHaveLength(4);
    expect(execFileSync('sha512sum', ['-c', `${STEM}.zip.sha512`], { cwd: other, encoding: 'utf8' })).toBe(`${STEM}.zip: OK\n`);
  }, 60_000);

  it('passes verify-archive without a single finding', async () => {
    expect(await verifyArchive(built.zip)).toEqual([]);
  });

  it('sorts entries, gives all one timestamp and no extra fields, and fixed modes', async () => {
    const reader = await ZipReader.open(built.zip);
    try {
      const names = reader.entries.map((e) => e.name);
      expect(names).toEqual([...names].sort());
      expect(names[0]).toBe(`${STEM}/`);
      for (const e of reader.entries) {
        expect({ name: e.name, date: e.raw.lastModFileDate, time: e.raw.lastModFileTime, extra: e.raw.extraFieldLength }).toEqual({
          name: e.name,
          date: ((2026 - 1980) << 9) | (1 << 5) | 1,
          time: 0,
          extra: 0,
        });
        const relative = e.name.slice(STEM.length + 1);
        const expected = e.kind === 'directory' || relative.startsWith('bin/') || relative === 'lib/databend-sink.js' ? 0o755 : 0o644;
        expect([e.name, e.mode]).toEqual([e.name, expected]);
      }
    } finally {
      reader.close();
    }
  });

  it('has the manifest from the template with the package.json version and the release date of SOURCE_DATE_EPOCH', () => {
    const manifest = JSON.parse(inArchive('manifest.json')) as Record<string, unknown>;
    const template = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'plugin-manifest', 'manifest.template.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toEqual({ ...template, version: PKG.version, release_date: '2026-01-01' });
    expect(Object.keys(manifest)[1]).toBe('version');
    expect(Object.keys(manifest).at(-1)).toBe('release_date');
    expect(inArchive('doc/version.txt')).toBe(`${PKG.version}\n`);
  });

  it('runs unpacked in an empty folder with nothing but node on the PATH: --version, and validate of every example config', () => {
    const onlyNode = fs.mkdtempSync(path.join(scratch, 'path-'));
    fs.symlinkSync(process.execPath, path.join(onlyNode, 'node'));
    const env = { PATH: onlyNode };
    const launcher = path.join(top, 'bin', 'databend-sink');
    expect(execFileSync(launcher, ['--version'], { env, encoding: 'utf8' })).toBe(`${PKG.version}\n`);
    const examples = fs.readdirSync(path.join(top, 'etc')).sort();
    expect(examples).toEqual(['append-json-schemaless.json', 'confluent-cloud-sasl-ssl.json', 'upsert-avro-schema-registry.json', 'upsert-json-deletes.properties']);
    for (const example of examples) {
      const stdout = execFileSync(launcher, ['validate', '--json', '--config', `etc/${example}`], { cwd: top, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const response = JSON.parse(stdout) as { error_count: number; warnings: unknown[] };
      expect([example, response.error_count, response.warnings]).toEqual([example, 0, []]);
    }
  });

  it('carries the config projections, CONFIG.md, the licence and a NOTICE for everything in lib/', () => {
    expect(JSON.parse(inArchive('config-schema.json'))).toEqual(configJsonSchema());
    expect(JSON.parse(inArchive('config-definition.json'))).toEqual(configDefinitions());
    expect(inArchive('doc/CONFIG.md')).toBe(configMarkdown());
    expect(inArchive('doc/LICENSE')).toBe(fs.readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8'));
    expect(inArchive('doc/LICENSE')).toMatch(/Apache License\s+Version 2\.0, January 2004[\s\S]*END OF TERMS AND CONDITIONS/);
    const notice = inArchive('doc/NOTICE');
    const sbom = JSON.parse(fs.readFileSync(built.sbom, 'utf8')) as { components: { name: string; version: string }[] };
    for (const c of sbom.components) expect(notice).toContain(`${c.name} ${c.version} (`);
  });

  it('lists in the SBOM exactly the npm packages bundled into lib/ and copied into lib/node_modules', () => {
    const sbom = JSON.parse(fs.readFileSync(built.sbom, 'utf8')) as {
      bomFormat: string;
      specVersion: string;
      serialNumber: string;
      metadata: { timestamp: string; component: { name: string; version: string } };
      components: { name: string; purl: string; licenses: unknown[]; hashes: unknown[]; properties: { value: string }[] }[];
    };
    expect(sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5', metadata: { timestamp: '2026-01-01T00:00:00Z', component: { name: 'databend-kafka-sink', version: PKG.version } } });
    expect(sbom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const where = (c: (typeof sbom.components)[number]) => c.properties[0].value;
    // esbuild marks each bundled module with a `// node_modules/<package>/…` comment.
    const bundle = inArchive('lib/databend-sink.js');
    const bundled = new Set([...bundle.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]));
    expect(sbom.components.filter((c) => where(c) === 'lib/databend-sink.js').map((c) => c.name).sort()).toEqual([...bundled].sort());
    expect([...bundled]).toEqual(expect.arrayContaining(['kafkajs', 'avsc', 'pino', 'yauzl']));
    const copied = fs
      .readdirSync(path.join(top, 'lib', 'node_modules'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('package.json'))
      .map((f) => path.dirname(f))
      .sort();
    expect(sbom.components.filter((c) => where(c) !== 'lib/databend-sink.js').map((c) => where(c).replace('lib/node_modules/', '')).sort()).toEqual(copied);
    expect(copied).toEqual(['@bokuweb/zstd-wasm', '@databend-driver/lib-linux-x64-gnu', 'databend-driver']);
    for (const c of sbom.components) {
      expect(c.purl).toMatch(/^pkg:npm\/(%40[^/]+\/)?[^/@]+@\d/);
      expect(c.licenses).toHaveLength(1);
      expect(c.hashes).toEqual([{ alg: 'SHA-512', content: expect.stringMatching(/^[0-9a-f]{128}$/) }]);
    }
  });

  it('writes an SBOM that CycloneDX 1.5 JSON schema (strict) validates', async () => {
    // The library ships the schemas (SPDX license ids included) and validates with ajv, offline.
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot5);
    expect(await validator.validate(fs.readFileSync(built.sbom, 'utf8'))).toBeNull();
    // The validator does reject what the schema forbids.
    const broken = JSON.parse(fs.readFileSync(built.sbom, 'utf8')) as { components: { type: string }[] };
    broken.components[0].type = 'npm-package';
    expect(await validator.validate(JSON.stringify(broken))).not.toBeNull();
  });

  it('writes upload metadata with the connector class, type SINK and every credential-carrying key as sensitive', () => {
    const meta = JSON.parse(fs.readFileSync(built.customPlugin, 'utf8')) as Record<string, unknown> & { sensitive_config_properties: string[] };
    expect(meta).toMatchObject({
      display_name: built.manifest.title,
      documentation_link: built.manifest.documentation_url,
      connector_class: 'com.databend.kafka.connect.DatabendSinkConnector',
      connector_type: 'SINK',
      content_format: 'ZIP',
      plugin_archive: `${STEM}.zip`,
      plugin_archive_sha512: built.sha512,
    });
    expect(String(built.manifest.description).startsWith(String(meta.description))).toBe(true);
    const expected = [...CONFIG_KEYS.filter((k) => k.type === 'PASSWORD').map((k) => k.name), 'sasl.jaas.config', 'consumer.override.sasl.jaas.config'];
    expect(meta.sensitive_config_properties).toEqual(expect.arrayContaining(expected));
    const userInfo = CONFIG_KEYS.filter((k) => k.name.endsWith('.basic.auth.user.info')).map((k) => k.name);
    expect(userInfo).toHaveLength(4);
    expect(meta.sensitive_config_properties).toEqual(expect.arrayContaining(userInfo));
    expect(new Set(meta.sensitive_config_properties).size).toBe(meta.sensitive_config_properties.length);
  });

  it('lists every problem of a broken manifest template and writes nothing', async () => {
    const template = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'plugin-manifest', 'manifest.template.json'), 'utf8')) as Record<string, unknown>;
    const broken = {
      ...template,
      version: '9.9.9',
      owner: { ...(template.owner as object), username: 'Bend-Sink' },
      license: { name: 'Apache License 2.0' },
      logo: 'assets/missing.png',
      tags: ['sink', 'avro'],
      component_types: ['connector'],
    };
    const templatePath = path.join(scratch, 'broken.template.json');
    fs.writeFileSync(templatePath, JSON.stringify(broken));
    const empty = path.join(scratch, 'empty-dist');
    const failure = packagePlugin({ outDir: empty, templatePath, sourceDateEpoch: EPOCH });
    await expect(failure).rejects.toThrow(`${templatePath}: 6 problem(s) in the manifest template; nothing was written:`);
    const message = await failure.catch((err: Error) => err.message);
    for (const problem of [
      '  - version: is derived',
      '  - owner.username: "Bend-Sink" must be 2–255 lowercase letters, digits and "_"',
      '  - tags: are not sorted (a warning for other archives; required here)',
      '  - logo: "assets/missing.png" is not in the component',
      '  - license: must be a non-empty array of {name, url}',
      '  - component_types[0]: "connector" must be one of sink, source, converter, transform',
    ]) {
      expect(message).toContain(problem);
    }
    expect(fs.existsSync(empty)).toBe(false);
  });
});
