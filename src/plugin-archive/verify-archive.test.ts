import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { javaComponent, validManifest, writeRawZip, type RawEntry } from '../../test-support/archive';
import type { Finding } from './finding';
import { verifyArchive } from './verify-archive';

const FOLDER = 'acme_data-kafka-connect-example-1.2.0';
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-archive-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function verify(entries: RawEntry[], fileName = `${FOLDER}.zip`): Promise<Finding[]> {
  return verifyArchive(writeRawZip(path.join(dir, `${Math.random().toString(36).slice(2)}`, fileName), entries));
}

const errors = (findings: Finding[]) => findings.filter((f) => f.severity === 'error').map((f) => `${f.at}: ${f.message}`);

describe('verifyArchive', () => {
  it('passes a plausible Java connector archive without a finding', async () => {
    expect(await verify(javaComponent())).toEqual([]);
  });

  it('reports a missing manifest', async () => {
    const entries = javaComponent().filter((e) => !e.name.endsWith('manifest.json'));
    expect(errors(await verify(entries))).toEqual([`${FOLDER}/manifest.json: is missing: manifest.json sits directly in the component folder`]);
  });

  it('reports a manifest that is not JSON', async () => {
    const entries = javaComponent().map((e) => (e.name.endsWith('manifest.json') ? { ...e, content: '{"name": ' } : e));
    expect(errors(await verify(entries))).toEqual([expect.stringMatching(new RegExp(`^${FOLDER}/manifest.json: cannot be read as JSON`))]);
  });

  it('reports two top folders', async () => {
    const entries = [...javaComponent(), { name: 'other-folder/README.md', content: 'x' }];
    expect(errors(await verify(entries))).toEqual([`(archive): has 2 top-level folders (${FOLDER}, other-folder): a component archive has exactly one`]);
  });

  it('reports a file beside the component folder', async () => {
    expect(errors(await verify([...javaComponent(), { name: 'README.md', content: 'x' }]))).toEqual([
      'README.md: is outside the component folder: everything belongs in the one top-level folder',
    ]);
  });

  it('reports a folder not named after the manifest', async () => {
    const findings = await verify(javaComponent(validManifest(), 'acme_data-kafka-connect-example-1.1.0'));
    expect(errors(findings)).toEqual([
      'acme_data-kafka-connect-example-1.1.0/: the component folder must be named "acme_data-kafka-connect-example-1.2.0", {owner.username}-{name}-{version} of its manifest',
    ]);
  });

  it('warns when the file name is not the one the manifest makes', async () => {
    const findings = await verify(javaComponent(), 'example.zip');
    expect(findings).toEqual([{ severity: 'warning', at: '(archive)', message: `the file is named example.zip; its manifest makes it ${FOLDER}.zip` }]);
  });

  it('reports bad owner syntax', async () => {
    const manifest = { ...validManifest(), owner: { ...(validManifest().owner as object), username: 'Acme-Data' } };
    expect(errors(await verify(javaComponent(manifest)))).toEqual([`${FOLDER}/manifest.json#owner.username: "Acme-Data" must be 2–255 lowercase letters, digits and "_"`]);
  });

  it('reports a licence that is not an array', async () => {
    const manifest = { ...validManifest(), license: { name: 'Apache License 2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' } };
    expect(errors(await verify(javaComponent(manifest)))).toEqual([`${FOLDER}/manifest.json#license: must be a non-empty array of {name, url}`]);
  });

  it('reports a logo the archive does not have', async () => {
    const entries = javaComponent().filter((e) => !e.name.endsWith('logo.png'));
    expect(errors(await verify(entries))).toEqual([
      `${FOLDER}/manifest.json#owner.logo: "assets/logo.png" is not in the component`,
      `${FOLDER}/manifest.json#support.logo: "assets/logo.png" is not in the component`,
      `${FOLDER}/manifest.json#logo: "assets/logo.png" is not in the component`,
    ]);
  });

  it('reports a ../ entry', async () => {
    const findings = await verify([...javaComponent(), { name: `${FOLDER}/../../evil.sh`, content: 'rm -rf ~' }]);
    expect(errors(findings)).toEqual([`${FOLDER}/../../evil.sh: ".." in the path: it would be written outside the folder it is unpacked into`]);
  });

  it('reports an absolute path', async () => {
    const findings = await verify([...javaComponent(), { name: '/etc/cron.d/evil', content: '* * * * * root true' }]);
    expect(errors(findings)).toEqual(['/etc/cron.d/evil: absolute path: it would be written outside the folder it is unpacked into']);
  });

  it('reports a backslash name', async () => {
    expect(errors(await verify([...javaComponent(), { name: `${FOLDER}\\..\\evil.bat`, content: 'x' }]))).toEqual([
      `${FOLDER}\\..\\evil.bat: backslash in the entry name (a folder separator on Windows)`,
    ]);
  });

  it('reports a symlink pointing out of the folder, and accepts one inside', async () => {
    const findings = await verify([
      ...javaComponent(),
      { name: `${FOLDER}/lib/escape`, kind: 'symlink', content: '../../../etc/passwd' },
      { name: `${FOLDER}/lib/rooted`, kind: 'symlink', content: '/etc/passwd' },
      { name: `${FOLDER}/lib/current.jar`, kind: 'symlink', content: 'kafka-connect-example-1.2.0.jar' },
    ]);
    expect(errors(findings)).toEqual([
      `${FOLDER}/lib/escape: symlink pointing out of the component folder ("../../../etc/passwd")`,
      `${FOLDER}/lib/rooted: symlink to an absolute path "/etc/passwd"`,
    ]);
  });

  it('reports a duplicate entry', async () => {
    const entries = javaComponent();
    expect(errors(await verify([...entries, entries[3]]))).toEqual([`${entries[3].name}: appears twice in the archive`]);
  });

  it('reports a zip bomb by its expansion ratio', async () => {
    const findings = await verify([...javaComponent(), { name: `${FOLDER}/lib/data.bin`, content: new Uint8Array(8 * 1024 * 1024), deflate: true }]);
    expect(errors(findings)).toEqual([expect.stringMatching(new RegExp(`^${FOLDER}/lib/data.bin: expands \\d+ times \\(\\d+ → 8388608 bytes\\), more than 100: a zip bomb$`))]);
  });

  it('reports many small entries that expand too much as a whole', async () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ name: `${FOLDER}/lib/part-${i}.bin`, content: new Uint8Array(512 * 1024), deflate: true }));
    const findings = await verify([...javaComponent(), ...many]);
    expect(errors(findings)).toEqual([expect.stringMatching(/^\(archive\): expands \d+ times as a whole .* a zip bomb$/)]);
  });

  it('reports Kafka framework jars in a Java archive', async () => {
    const entries = [
      ...javaComponent(),
      { name: `${FOLDER}/lib/kafka-clients-3.9.0.jar`, content: 'PK' },
      { name: `${FOLDER}/lib/connect-api-3.9.0.jar`, content: 'PK' },
      { name: `${FOLDER}/lib/connect-runtime-7.9.0-ccs.jar`, content: 'PK' },
    ];
    expect(errors(await verify(entries))).toEqual([
      `${FOLDER}/lib/kafka-clients-3.9.0.jar: is part of Kafka Connect or the Kafka client, which the worker provides: a second copy in the plugin breaks class loading`,
      `${FOLDER}/lib/connect-api-3.9.0.jar: is part of Kafka Connect or the Kafka client, which the worker provides: a second copy in the plugin breaks class loading`,
      `${FOLDER}/lib/connect-runtime-7.9.0-ccs.jar: is part of Kafka Connect or the Kafka client, which the worker provides: a second copy in the plugin breaks class loading`,
    ]);
  });

  it('does not mistake a connector named like a framework jar for one', async () => {
    const entries = [...javaComponent(), { name: `${FOLDER}/lib/connect-api-extras-for-acme-1.0.jar`, content: 'PK' }];
    expect(await verify(entries)).toEqual([]);
  });

  it('warns about a launcher in bin/ that is not executable and about an empty lib/', async () => {
    const entries = [...javaComponent().filter((e) => !e.name.includes('/lib/')), { name: `${FOLDER}/bin/run`, content: '#!/bin/sh\n', mode: 0o644 }];
    expect(await verify(entries)).toEqual([
      { severity: 'warning', at: `${FOLDER}/lib/`, message: 'is missing or empty: the component has nothing to run' },
      { severity: 'warning', at: `${FOLDER}/bin/run`, message: 'is in bin/ but not executable (mode 0755 expected)' },
    ]);
  });

  it('lists every problem of a thoroughly broken archive at once', async () => {
    const manifest = { ...validManifest(), name: 'Bad Name', license: 'MIT' };
    const findings = await verify([...javaComponent(manifest), { name: '/abs', content: 'x' }, { name: `${FOLDER}/lib/kafka-clients-3.9.0.jar`, content: 'PK' }]);
    expect(errors(findings)).toHaveLength(4);
  });

  it('reports an entry whose bytes do not match its CRC-32', async () => {
    const file = writeRawZip(path.join(dir, 'corrupt', `${FOLDER}.zip`), javaComponent());
    const bytes = new Uint8Array(fs.readFileSync(file));
    bytes[fs.readFileSync(file).indexOf('# Example Sink')] ^= 0xff;
    fs.writeFileSync(file, bytes);
    expect(errors(await verifyArchive(file))).toEqual([expect.stringMatching(new RegExp(`^${FOLDER}/doc/README.md: cannot be read: .*corrupt content \\(CRC-32 `))]);
  });

  it('reports a file that is not a zip, and an empty zip', async () => {
    const notZip = path.join(dir, 'not-a.zip');
    fs.writeFileSync(notZip, 'hello');
    expect(errors(await verifyArchive(notZip))).toEqual([expect.stringMatching(/^\(archive\): .*not-a\.zip is not a readable zip archive: /)]);
    expect(errors(await verify([]))).toEqual(['(archive): the archive is empty']);
  });
});
