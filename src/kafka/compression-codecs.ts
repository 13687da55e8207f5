import { init as initZstd, compress as zstdCompress } from '@bokuweb/zstd-wasm';
import { decompress as zstdDecompress } from 'fzstd';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import snappyCodec from 'kafkajs-snappy';
import * as lz4 from 'lz4js';
import { hash as xxh32 } from 'lz4js/xxh32.js';

/**
 * The record-batch codecs kafkajs lacks (it has gzip only): Kafka's Java producers, Debezium and
 * Connect sources write snappy, lz4 and zstd routinely, and a fetch holding one such batch would stop
 * the whole consumer. All three are JavaScript or WebAssembly inside their npm packages, so nothing
 * is built or downloaded at install time:
 *
 * - snappy: `kafkajs-snappy` (snappyjs). Reads both raw snappy and the xerial framing that Java's
 *   SnappyOutputStream writes; writes raw snappy, which Java's SnappyInputStream also reads.
 * - lz4: `lz4js`, the LZ4 frame format Kafka uses since message format v1 (KafkaLZ4BlockOutputStream).
 *   Read with lz4js's frame reader. Written as Kafka writes it: lz4js's own frame writer marks its
 *   blocks as dependent (and may make them so), which Kafka's reader refuses (the broker answers
 *   UNKNOWN_SERVER_ERROR), so frames are assembled here from lz4js's block compressor.
 * - zstd: read with `fzstd` (JavaScript), which sizes its output as it goes: Java's ZstdOutputStream
 *   writes frames without a content size, and `@bokuweb/zstd-wasm`'s reader then stops at 1 MiB.
 *   Written with `@bokuweb/zstd-wasm`, the reference zstd library compiled to WebAssembly.
 *
 * A kafkajs codec is `() => { compress(encoder), decompress(buffer) }`; both halves are async, which
 * is where the WebAssembly module of the zstd writer is loaded, once.
 */
export interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/** Level 3 is zstd's own default (and the Java client's). */
const ZSTD_LEVEL = 3;

let zstdReady: Promise<void> | undefined;

/** A view of a codec's output as a Buffer; `copy` where the bytes live in WebAssembly memory that the next call reuses. */
function asBuffer(bytes: Uint8Array, copy: boolean): Buffer {
  return copy ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** LZ4 frame magic, and the frame descriptor Kafka writes: version 01, independent blocks, 64 KiB blocks, no checksums. */
const LZ4_MAGIC = 0x184d2204;
const LZ4_FLG = 0x60;
const LZ4_BD = 0x40;
const LZ4_BLOCK_SIZE = 64 * 1024;
const LZ4_UNCOMPRESSED = 0x80000000;
/** lz4js's hash table size (1 << 16 entries, 0 meaning empty): a fresh one per block keeps blocks independent. */
const LZ4_HASH_ENTRIES = 1 << 16;

/** An LZ4 frame as KafkaLZ4BlockOutputStream writes one: every block independent, so Kafka's reader takes it. */
export function kafkaLz4Frame(src: Uint8Array): Buffer {
  const header = Buffer.alloc(7);
  header.writeUInt32LE(LZ4_MAGIC, 0);
  header[4] = LZ4_FLG;
  header[5] = LZ4_BD;
  header[6] = (xxh32(0, header, 4, 2) >> 8) & 0xff;
  const parts: Buffer[] = [header];
  const out = Buffer.alloc(lz4.compressBound(LZ4_BLOCK_SIZE));
  for (let start = 0; start < src.length; start += LZ4_BLOCK_SIZE) {
    const block = src.subarray(start, Math.min(start + LZ4_BLOCK_SIZE, src.length));
    const size = lz4.compressBlock(block, out, 0, block.length, new Uint32Array(LZ4_HASH_ENTRIES));
    const length = Buffer.alloc(4);
    if (size === 0 || size >= block.length) {
      length.writeUInt32LE((LZ4_UNCOMPRESSED | block.length) >>> 0, 0);
      parts.push(length, Buffer.from(block));
    } else {
      length.writeUInt32LE(size, 0);
      parts.push(length, Buffer.from(out.subarray(0, size)));
    }
  }
  parts.push(Buffer.alloc(4)); // end mark
  return Buffer.concat(parts);
}

export const lz4Codec = (): KafkajsCodec => ({
  compress: async (encoder) => kafkaLz4Frame(encoder.buffer),
  decompress: async (buffer) => asBuffer(lz4.decompress(buffer), false),
});

export const zstdCodec = (): KafkajsCodec => ({
  async compress(encoder) {
    await (zstdReady ??= initZstd());
    return asBuffer(zstdCompress(encoder.buffer, ZSTD_LEVEL), true);
  },
  decompress: async (buffer) => asBuffer(zstdDecompress(buffer), false),
});

export { snappyCodec };

/** Makes every kafkajs client of this process read and write snappy, lz4 and zstd batches. */
export function registerCompressionCodecs(): void {
  CompressionCodecs[CompressionTypes.Snappy] = snappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = lz4Codec;
  CompressionCodecs[CompressionTypes.ZSTD] = zstdCodec;
}
