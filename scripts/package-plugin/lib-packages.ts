import * as fs from 'node:fs';
import * as path from 'node:path';

/** An npm package whose code ends up in the archive's lib/. */
export interface LibPackage {
  name: string;
  version: string;
  /** SPDX id or expression from its package.json. */
  license: string;
  /** Its folder, relative to the repo root (`node_modules/pino`). */
  dir: string;
  /** Where it is in lib/: bundled into the one JS file, or copied as a package. */
  location: string;
  /** The text of its licence file; undefined when the package ships none. */
  licenseText: string | undefined;
  /** npm's integrity of the published tarball (`sha512-…`), from package-lock.json. */
  integrity: string | undefined;
}

const LICENSE_FILE = /^(?:licen[cs]e|copying)(?:[.-]|$)/i;

/**
 * Licences read from a package's licence file where its package.json declares none; keyed by
 * version, so that a new version is read again before it ships.
 */
const LICENSES_FROM_LICENSE_FILE: Readonly<Record<string, string>> = {
  '@kafkajs/confluent-schema-registry@3.9.0': 'MIT',
};

/** `node_modules/a/node_modules/@s/b/lib/x.js` → `node_modules/a/node_modules/@s/b`. */
export function packageDirOf(file: string): string | undefined {
  const at = file.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const rest = file.slice(at + 'node_modules/'.length).split('/');
  const nameParts = rest[0].startsWith('@') ? 2 : 1;
  return file.slice(0, at + 'node_modules/'.length) + rest.slice(0, nameParts).join('/');
}

/**
 * Reads what the SBOM and NOTICE need about the package in `dir`. A package without a declared
 * licence stops the build: nothing ships whose terms are unknown.
 */
export function readLibPackage(root: string, dir: string, location: string, lock: LockFile): LibPackage {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: unknown; licenses?: { type?: string }[] };
  const license = typeof pkg.license === 'string' ? pkg.license : (pkg.licenses?.map((l) => l.type).join(' OR ') ?? LICENSES_FROM_LICENSE_FILE[`${pkg.name}@${pkg.version}`]);
  if (!license) throw new Error(`${dir}/package.json declares no licence: read its licence file and add it to LICENSES_FROM_LICENSE_FILE, or ${pkg.name} cannot ship in lib/`);
  const licenseFile = fs
    .readdirSync(path.join(root, dir))
    .filter((f) => LICENSE_FILE.test(f))
    .sort()[0];
  return {
    name: pkg.name,
    version: pkg.version,
    license,
    dir,
    location,
    licenseText: licenseFile ? fs.readFileSync(path.join(root, dir, licenseFile), 'utf8') : undefined,
    integrity: lock.packages[dir]?.integrity,
  };
}

export interface LockFile {
  packages: Record<string, { integrity?: string } | undefined>;
}

export function readLockFile(root: string): LockFile {
  return JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as LockFile;
}
