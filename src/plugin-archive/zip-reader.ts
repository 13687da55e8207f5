import { Transform, type Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { crc32 } from './crc32';

export type EntryKind = 'file' | 'directory' | 'symlink';

export interface ZipEntry {
  /** The name as stored (UTF-8 when flagged, else CP437), backslashes and `..` kept for the checks to see. */
  name: string;
  kind: EntryKind;
  /** Unix permission bits, when the entry was made on Unix. */
  mode: number | undefined;
  compressedSize: number;
  uncompressedSize: number;
  readonly raw: yauzl.Entry;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const MADE_ON_UNIX = 3;
const MSDOS_DIRECTORY = 0x10;

function toEntry(raw: yauzl.Entry): ZipEntry {
  // strictFileNames keeps backslashes as they are: a hostile name must reach the checks unchanged.
  const name = yauzl.getFileNameLowLevel(raw.generalPurposeBitFlag, raw.fileNameRaw, raw.extraFields, true);
  const unix = raw.versionMadeBy >> 8 === MADE_ON_UNIX;
  const unixMode = unix ? (raw.externalFileAttributes >>> 16) & 0xffff : 0;
  let kind: EntryKind = 'file';
  if (unix && (unixMode & S_IFMT) === S_IFLNK) kind = 'symlink';
  else if (name.endsWith('/') || (unix && (unixMode & S_IFMT) === S_IFDIR) || (raw.externalFileAttributes & MSDOS_DIRECTORY) !== 0) kind = 'directory';
  return { name, kind, mode: unix && unixMode !== 0 ? unixMode & 0o7777 : undefined, compressedSize: raw.compressedSize, uncompressedSize: raw.uncompressedSize, raw };
}

/**
 * A zip's central directory, read once, and its entries' contents on demand. yauzl's own name
 * decoding is off (it would stop at the first hostile name); the checks in entry-rules.ts judge
 * every name instead. Declared sizes are enforced while an entry is read.
 */
export class ZipReader {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: readonly ZipEntry[],
  ) {}

  static async open(zipPath: string): Promise<ZipReader> {
    const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
    try {
      return new ZipReader(zip, await readCentralDirectory(zip));
    } catch (err) {
      zip.close();
      throw err;
    }
  }

  /** The entry's content; the stream fails at its end when the bytes do not match the entry's CRC-32 (yauzl does not check it). */
  async stream(entry: ZipEntry): Promise<Readable> {
    const raw = await this.zip.openReadStreamPromise(entry.raw);
    let crc = 0;
    const checked = new Transform({
      transform(chunk: Uint8Array, _encoding, done) {
        crc = crc32(chunk, crc);
        done(null, chunk);
      },
      flush(done) {
        done(crc === entry.raw.crc32 >>> 0 ? null : new Error(`${entry.name}: corrupt content (CRC-32 ${crc.toString(16)}, the archive says ${(entry.raw.crc32 >>> 0).toString(16)})`));
      },
    });
    raw.once('error', (err) => checked.destroy(err));
    return raw.pipe(checked);
  }

  /** The whole content of a small entry; fails when it declares more than `maxBytes`. */
  async read(entry: ZipEntry, maxBytes: number): Promise<Buffer> {
    if (entry.uncompressedSize > maxBytes) throw new Error(`${entry.name}: ${entry.uncompressedSize} bytes, more than the ${maxBytes} allowed`);
    const chunks: Uint8Array[] = [];
    for await (const chunk of await this.stream(entry)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  close(): void {
    this.zip.close();
  }
}

function readCentralDirectory(zip: yauzl.ZipFile): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: ZipEntry[] = [];
    zip.on('entry', (raw: yauzl.Entry) => {
      entries.push(toEntry(raw));
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}
