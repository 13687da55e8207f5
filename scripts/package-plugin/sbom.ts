import { createHash } from 'node:crypto';
import type { LibPackage } from './lib-packages';

interface SbomSubject {
  name: string;
  version: string;
  license: string;
  /** The build's timestamp (SOURCE_DATE_EPOCH or the last commit), never the wall clock. */
  timestamp: Date;
}

const purl = (name: string, version: string) => `pkg:npm/${name.replace(/^@/, '%40')}@${version}`;

function licenses(spdx: string): unknown[] {
  return /^[A-Za-z0-9.+-]+$/.test(spdx) ? [{ license: { id: spdx } }] : [{ expression: spdx }];
}

function hashes(integrity: string | undefined): unknown[] {
  const sha512 = integrity?.split(' ').find((h) => h.startsWith('sha512-'));
  return sha512 ? [{ alg: 'SHA-512', content: Buffer.from(sha512.slice('sha512-'.length), 'base64').toString('hex') }] : [];
}

/**
 * A CycloneDX 1.5 SBOM of what lib/ contains. Deterministic like the archive: the timestamp is the
 * build's, and the serial number is derived from the content instead of drawn at random.
 */
export function cycloneDxSbom(subject: SbomSubject, packages: readonly LibPackage[]): string {
  const root = purl(subject.name, subject.version);
  const components = packages.map((p) => ({
    type: 'library',
    'bom-ref': `${purl(p.name, p.version)}#${p.dir}`,
    name: p.name,
    version: p.version,
    purl: purl(p.name, p.version),
    licenses: licenses(p.license),
    hashes: hashes(p.integrity),
    properties: [{ name: 'databend-kafka-sink:location', value: p.location }],
  }));
  const body = {
    metadata: {
      timestamp: subject.timestamp.toISOString().replace(/\.000Z$/, 'Z'),
      tools: { components: [{ type: 'application', name: 'databend-kafka-sink package-plugin', version: subject.version }] },
      component: { type: 'application', 'bom-ref': root, name: subject.name, version: subject.version, purl: root, licenses: licenses(subject.license) },
    },
    components,
    dependencies: [{ ref: root, dependsOn: components.map((c) => c['bom-ref']) }],
  };
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  // A name-based UUID (version 5 layout) of the content: same content, same serial number.
  const uuid = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-5${digest.slice(13, 16)}-${((parseInt(digest[16], 16) & 0x3) | 0x8).toString(16)}${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  const bom = { $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json', bomFormat: 'CycloneDX', specVersion: '1.5', serialNumber: `urn:uuid:${uuid}`, version: 1, ...body };
  return `${JSON.stringify(bom, null, 2)}\n`;
}
