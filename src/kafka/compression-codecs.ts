import { init as initZstd, compress as zstdCompress } from '@bokuweb/zstd-wasm';
import { decompress as zstdDecompress } from 'fzstd';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import snappyCodec from 'kafkajs-snappy';
import * as lz4 from 'lz4js';

/**
 * The record-batch codecs kafkajs lacks (it has gzip only): Kafka's Java producers, Debezium and
 * Connect sources write snappy, lz4 and zstd routinely, and a fetch holding one such batch would stop
 * the whole consumer. All three are JavaScript or WebAssembly inside their npm packages, so nothing
 * is built or downloaded at install time:
 *
 * - snappy: `kafkajs-snappy` (snappyjs). Reads both raw snappy and the xerial framing that Java's
 *   SnappyOutputStream writes; writes raw snappy, which Java's SnappyInputStream also reads.
 * - lz4: `lz4js`, the LZ4 frame format Kafka uses since message format v1 (KafkaLZ4BlockOutputStream).
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

export const lz4Codec = (): KafkajsCodec => ({
  compress: async (encoder) => asBuffer(lz4.compress(encoder.buffer), false),
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
