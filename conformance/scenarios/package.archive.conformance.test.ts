import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { formatFinding, verifyArchive } from '../../src/plugin-archive';
import { scenario } from '../harness/scenario';

const run = promisify(execFile);

/**
 * The archive under test, as a user gets it: it verifies against the Confluent Hub layout and
 * manifest rules, every path the manifest names exists in the unpacked folder, and the launcher
 * runs with nothing but Node on the PATH and reports the manifest's version.
 */
scenario('package.archive', (s) => {
  const archive = () => {
    if (!s.spec.archive) throw new Error('package.archive runs only with an archive under test');
    return s.spec.archive;
  };
  const manifest = () => JSON.parse(fs.readFileSync(path.join(archive().folder, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const onlyNode = { PATH: path.dirname(process.execPath), HOME: process.env.HOME ?? '/tmp' };

  s.it('verifies without errors, and its checksum file (when present) matches', async () => {
    const findings = await verifyArchive(archive().zip);
    expect(findings.filter((f) => f.severity === 'error').map(formatFinding)).toEqual([]);
    const checksumFile = `${archive().zip}.sha512`;
    if (fs.existsSync(checksumFile)) {
      const digest = createHash('sha512').update(fs.readFileSync(archive().zip)).digest('hex');
      expect(fs.readFileSync(checksumFile, 'utf8')).toBe(`${digest}  ${path.basename(archive().zip)}\n`);
    }
  });

  s.it('names only paths that exist in the unpacked component folder', async () => {
    const m = manifest();
    const named = [m.logo, (m.owner as Record<string, unknown>).logo, (m.support as Record<string, unknown> | undefined)?.logo].filter((p): p is string => typeof p === 'string');
    expect(named.length).toBeGreaterThan(0);
    for (const relative of named) expect(fs.existsSync(path.join(archive().folder, relative))).toBe(true);
    expect(path.basename(archive().folder)).toBe(`${(m.owner as Record<string, string>).username}-${String(m.name)}-${String(m.version)}`);
  });

  s.it('runs its launcher with only Node on the PATH: --version prints the manifest version, --help the commands', async () => {
    const launcher = path.join(archive().folder, 'bin', 'databend-sink');
    expect(fs.statSync(launcher).mode & 0o111).not.toBe(0);
    const version = await run(launcher, ['--version'], { env: onlyNode });
    expect(version.stdout.trim()).toBe(String(manifest().version));
    const help = await run(launcher, ['--help'], { env: onlyNode });
    expect(help.stdout).toMatch(/databend-sink run --config/);
  });
});
