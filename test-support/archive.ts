import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../src/plugin-archive/crc32';

export interface RawEntry {
  name: string;
  content?: Uint8Array | string;
  kind?: 'file' | 'directory' | 'symlink';
  /** Permission bits; default 0644 for files, 0755 for folders, 0777 for links. */
  mode?: number;
  deflate?: boolean;
}

const TYPE_BITS = { file: 0o100000, directory: 0o040000, symlink: 0o120000 } as const;
const DEFAULT_MODE = { file: 0o644, directory: 0o755, symlink: 0o777 } as const;

const text = (s: string) => new TextEncoder().encode(s);

/** Little-endian header fields: `[bytes, value]` pairs after a 4-byte signature. */
function header(signature: number, fields: [2 | 4, number][]): Uint8Array {
  const out = new Uint8Array(4 + fields.reduce((n, [size]) => n + size, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, signature, true);
  let at = 4;
  for (const [size, value] of fields) {
    if (size === 2) view.setUint16(at, value, true);
    else view.setUint32(at, value >>> 0, true);
    at += size;
  }
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A zip written byte by byte (Unix entries, UTF-8 names, 1980-01-01 timestamps), so that tests can
 * plant what real archivers refuse to write: `../` and absolute names, links out of the folder,
 * duplicates.
 */
export function rawZip(entries: readonly RawEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const kind = e.kind ?? (e.name.endsWith('/') ? 'directory' : 'file');
    const data = typeof e.content === 'string' || e.content === undefined ? text(e.content ?? '') : e.content;
    const stored = e.deflate ? new Uint8Array(deflateRawSync(data)) : data;
    const name = text(e.name);
    const common: [2 | 4, number][] = [[2, 20], [2, 0x0800], [2, e.deflate ? 8 : 0], [2, 0], [2, 0x21], [4, crc32(data)], [4, stored.length], [4, data.length], [2, name.length], [2, 0]];
    const local = header(0x04034b50, common);
    const external = (TYPE_BITS[kind] | (e.mode ?? DEFAULT_MODE[kind])) * 0x10000;
    const central = header(0x02014b50, [[2, (3 << 8) | 20], ...common, [2, 0], [2, 0], [2, 0], [4, external], [4, offset]]);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = concat(centrals);
  const end = header(0x06054b50, [[2, 0], [2, 0], [2, entries.length], [2, entries.length], [4, directory.length], [4, offset], [2, 0]]);
  return concat([...locals, directory, end]);
}

export function writeRawZip(file: string, entries: readonly RawEntry[]): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, rawZip(entries));
  return file;
}

/** A manifest that passes every rule (with `assets/logo.png` present). */
export function validManifest(): Record<string, unknown> {
  return {
    name: 'kafka-connect-example',
    version: '1.2.0',
    title: 'Example Sink',
    description: 'Writes records somewhere.',
    owner: { username: 'acme_data', type: 'organization', name: 'Acme Data', url: 'https://acme.example/', logo: 'assets/logo.png' },
    support: { provider_name: 'Acme Data', summary: 'Supported by Acme.', url: 'https://acme.example/support', logo: 'assets/logo.png' },
    tags: ['database', 'sink'],
    requirements: ['Kafka 3.x'],
    features: {
      supported_encodings: ['any'],
      single_message_transforms: true,
      confluent_control_center_integration: true,
      kafka_connect_api: true,
      delivery_guarantee: ['at_least_once'],
    },
    logo: 'assets/logo.png',
    documentation_url: 'https://acme.example/docs',
    source_url: 'https://acme.example/src',
    docker_image: {},
    license: [{ name: 'Apache License 2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' }],
    component_types: ['sink'],
    release_date: '2025-03-01',
  };
}

/**
 * The entries of a plausible Java connector component: manifest, logo, jars in lib/, docs and an
 * example config, all under `{owner}-{name}-{version}/`.
 */
export function javaComponent(manifest: Record<string, unknown> = validManifest(), folder = 'acme_data-kafka-connect-example-1.2.0'): RawEntry[] {
  return [
    { name: `${folder}/` },
    { name: `${folder}/manifest.json`, content: JSON.stringify(manifest, null, 2) },
    { name: `${folder}/assets/logo.png`, content: Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) },
    { name: `${folder}/doc/README.md`, content: '# Example Sink\n' },
    { name: `${folder}/doc/LICENSE`, content: 'Apache License 2.0\n' },
    { name: `${folder}/etc/example-sink.properties`, content: 'name=example\nconnector.class=com.acme.ExampleSinkConnector\n' },
    { name: `${folder}/lib/kafka-connect-example-1.2.0.jar`, content: 'PK jar bytes' },
    { name: `${folder}/lib/jackson-databind-2.15.2.jar`, content: 'PK jar bytes' },
    { name: `${folder}/lib/slf4j-api-1.7.36.jar`, content: 'PK jar bytes' },
  ];
}
