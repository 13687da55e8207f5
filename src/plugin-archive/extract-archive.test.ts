import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { javaComponent, writeRawZip, type RawEntry } from '../../test-support/archive';
import { extractArchive } from './extract-archive';

const FOLDER = 'acme_data-kafka-connect-example-1.2.0';
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'extract-archive-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const zipOf = (entries: RawEntry[]) => writeRawZip(path.join(dir, 'in', 'component.zip'), entries);
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** Everything below `root`, so a test can see that nothing was written anywhere. */
function tree(root: string): string[] {
  return fs.existsSync(root) ? (fs.readdirSync(root, { recursive: true }) as string[]).sort() : [];
}

describe('extractArchive', () => {
  it('unpacks into the destination and returns the component folder, with 0755 for executables and 0644 for the rest', async () => {
    const zip = zipOf([
      ...javaComponent(),
      { name: `${FOLDER}/bin/run`, content: '#!/bin/sh\necho run\n', mode: 0o700 },
      { name: `${FOLDER}/etc/secret.properties`, content: 'a=b\n', mode: 0o600 },
      { name: `${FOLDER}/lib/current.jar`, kind: 'symlink', content: 'kafka-connect-example-1.2.0.jar' },
    ]);
    const top = await extractArchive(zip, path.join(dir, 'out'));
    expect(top).toBe(path.join(dir, 'out', FOLDER));
    expect(fs.readFileSync(path.join(top, 'manifest.json'), 'utf8')).toContain('"kafka-connect-example"');
    expect(modeOf(path.join(top, 'bin', 'run'))).toBe(0o755);
    expect(modeOf(path.join(top, 'etc', 'secret.properties'))).toBe(0o644);
    expect(modeOf(path.join(top, 'lib'))).toBe(0o755);
    expect(fs.readlinkSync(path.join(top, 'lib', 'current.jar'))).toBe('kafka-connect-example-1.2.0.jar');
    expect(fs.readFileSync(path.join(top, 'lib', 'current.jar'), 'utf8')).toBe('PK jar bytes');
  });

  it.each<[string, RawEntry]>([
    ['a ../ entry', { name: `${FOLDER}/../../escaped.txt`, content: 'x' }],
    ['an absolute path', { name: path.join(os.tmpdir(), 'extract-archive-absolute.txt'), content: 'x' }],
    ['a symlink out of the folder', { name: `${FOLDER}/lib/escape`, kind: 'symlink', content: '../../..' }],
    ['a zip bomb', { name: `${FOLDER}/lib/data.bin`, content: new Uint8Array(4 * 1024 * 1024), deflate: true }],
    ['a second top folder', { name: 'other/x.txt', content: 'x' }],
  ])('refuses %s and writes nothing', async (_, hostile) => {
    const zip = zipOf([...javaComponent(), hostile]);
    await expect(extractArchive(zip, path.join(dir, 'out'))).rejects.toThrow(/refusing to unpack:\nerror /);
    expect(tree(path.join(dir, 'out'))).toEqual([]);
    expect(fs.existsSync(path.join(os.tmpdir(), 'extract-archive-absolute.txt'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'escaped.txt'))).toBe(false);
  });

  it('refuses to merge into a component folder that exists already', async () => {
    const zip = zipOf(javaComponent());
    fs.mkdirSync(path.join(dir, 'out', FOLDER), { recursive: true });
    await expect(extractArchive(zip, path.join(dir, 'out'))).rejects.toThrow(`${path.join(dir, 'out', FOLDER)} exists already: unpack into an empty folder`);
  });

  it('leaves nothing behind when an entry turns out corrupt midway', async () => {
    const entries = javaComponent();
    const zip = zipOf(entries);
    const bytes = new Uint8Array(fs.readFileSync(zip));
    // Corrupt the stored content of the last jar: its CRC no longer matches.
    bytes[fs.readFileSync(zip).lastIndexOf('PK jar bytes') + 3] ^= 0xff;
    fs.writeFileSync(zip, bytes);
    await expect(extractArchive(zip, path.join(dir, 'out'))).rejects.toThrow(/slf4j-api-1.7.36.jar: corrupt content \(CRC-32 /);
    expect(tree(path.join(dir, 'out'))).toEqual([]);
  });
});
