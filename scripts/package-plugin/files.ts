import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every file below `dir`, as `/`-separated paths relative to it; nested node_modules are left out. */
export function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? (e.name === 'node_modules' ? [] : listFiles(path.join(dir, e.name), `${prefix}${e.name}/`)) : [`${prefix}${e.name}`]));
}

/**
 * A file's bytes as a plain Uint8Array. The project's @types/node (20.9.5) predates TypeScript 6's
 * generic typed arrays, so its Buffer is accepted by no API typed Uint8Array or ArrayBufferView
 * (fs.writeFileSync, createHash().update, Buffer.concat); file contents travel as Uint8Array here.
 */
export function readBytes(file: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(file));
}

export const textBytes = (text: string): Uint8Array => new TextEncoder().encode(text);
