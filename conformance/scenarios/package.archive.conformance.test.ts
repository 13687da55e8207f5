import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { scenario } from '../harness/scenario';
import { inspectComponentArchive } from '../support/component-archive';

const run = promisify(execFile);

/**
 * The component archive under test, as a user gets it, judged by the suite's own reading of the
 * Confluent Hub layout (not the product's verifier): safe to unpack, one folder named from its
 * manifest, the manifest's required fields, every logo it names present, every entry's CRC, its
 * checksum file (when present) matching. Then the component runs and reports the manifest's
 * version: a standalone sink's launcher with only Node on the PATH, or a Kafka Connect plugin's
 * connector as the worker that loaded it lists it.
 */
scenario('package.archive', (s) => {
  const archive = () => {
    if (!s.spec.archive) throw new Error('package.archive runs only with an archive under test');
    return s.spec.archive;
  };
  const manifest = () => JSON.parse(fs.readFileSync(path.join(archive().folder, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const onlyNode = { PATH: path.dirname(process.execPath), HOME: process.env.HOME ?? '/tmp' };

  s.it('follows the component layout and manifest rules, and its checksum file (when present) matches', async () => {
    expect((await inspectComponentArchive(archive().zip)).problems).toEqual([]);
    const checksumFile = `${archive().zip}.sha512`;
    if (fs.existsSync(checksumFile)) {
      const digest = createHash('sha512').update(fs.readFileSync(archive().zip)).digest('hex');
      expect(fs.readFileSync(checksumFile, 'utf8')).toBe(`${digest}  ${path.basename(archive().zip)}\n`);
    }
  });

  s.it('names only paths that exist in the unpacked component folder', async () => {
    const m = manifest();
    const named = [m.logo, (m.owner as Record<string, unknown>).logo, (m.support as Record<string, unknown> | undefined)?.logo].filter((p): p is string => typeof p === 'string');
    for (const relative of named) expect(fs.existsSync(path.join(archive().folder, relative))).toBe(true);
    expect(path.basename(archive().folder)).toBe(`${(m.owner as Record<string, string>).username}-${String(m.name)}-${String(m.version)}`);
  });

  s.it('its component runs and reports the version its manifest declares', async () => {
    const connect = s.spec.connect;
    if (connect) {
      // The worker of this run loaded the plugin and listed its connector with the version the connector reports.
      expect({ connector: connect.connectorClass, version: connect.reportedVersion }).toEqual({ connector: connect.connectorClass, version: String(manifest().version) });
      return;
    }
    const launcher = path.join(archive().folder, 'bin', 'databend-sink');
    expect(fs.statSync(launcher).mode & 0o111).not.toBe(0);
    const version = await run(launcher, ['--version'], { env: onlyNode });
    expect(version.stdout.trim()).toBe(String(manifest().version));
    const help = await run(launcher, ['--help'], { env: onlyNode });
    expect(help.stdout).toMatch(/databend-sink run --config/);
  });
});
