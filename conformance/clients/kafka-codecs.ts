import { decompress as zstdDecompress } from 'fzstd';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import snappyCodec from 'kafkajs-snappy';
import * as lz4 from 'lz4js';

/**
 * The suite reads topics whose batches a sink or Kafka's Java clients compressed with snappy, lz4 or
 * zstd (kafkajs has gzip only). The judge decompresses with the libraries directly, not with the
 * sink's codec code, so a codec bug cannot be hidden by the same code on both sides; whether the
 * batches are valid for Kafka itself is judged by Kafka's own Java consumer (kafka-console.ts).
 * The suite never writes with these codecs: compressing is refused, naming the codec.
 */
function readOnly(name: string, decompress: (buffer: Buffer) => Promise<Buffer>) {
  return () => ({
    compress: async (): Promise<Buffer> => {
      throw new Error(`the suite's Kafka client reads ${name} batches but does not write them`);
    },
    decompress,
  });
}

CompressionCodecs[CompressionTypes.Snappy] = readOnly('snappy', (buffer) => snappyCodec().decompress(buffer));
CompressionCodecs[CompressionTypes.LZ4] = readOnly('lz4', async (buffer) => Buffer.from(lz4.decompress(buffer)));
CompressionCodecs[CompressionTypes.ZSTD] = readOnly('zstd', async (buffer) => Buffer.from(zstdDecompress(buffer)));
