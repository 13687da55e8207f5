import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import Decoder from 'kafkajs/src/protocol/decoder';
import Record from 'kafkajs/src/protocol/recordBatch/record/v0';
import { RecordBatch } from 'kafkajs/src/protocol/recordBatch/v0';
import decodeRecordBatch from 'kafkajs/src/protocol/recordBatch/v0/decoder';
import { kafkaLz4Frame, lz4Codec, snappyCodec, zstdCodec } from './compression-codecs';
import './kafkajs-runtime';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'compression');
/** What both fixtures hold: `yes '<line>' | head -c 2097152`, so 2 MiB of one line repeated. */
const FIXTURE_TEXT = 'databend-kafka-sink compression fixture line\n'.repeat(Math.ceil(2097152 / 45)).slice(0, 2097152);

const CODECS = [
  ['snappy', CompressionTypes.Snappy],
  ['lz4', CompressionTypes.LZ4],
  ['zstd', CompressionTypes.ZSTD],
] as const;

describe('compression codecs', () => {
  it.each(CODECS)('kafkajs writes and reads a %s record batch with its own batch encoder and decoder', async (_name, type) => {
    const values = Array.from({ length: 500 }, (_, i) => Buffer.from(JSON.stringify({ id: i, text: `row ${i} `.repeat(i % 7) })));
    const encoded = await RecordBatch({ compression: type, records: values.map((value, i) => Record({ offsetDelta: i, key: Buffer.from(String(i)), value })) });
    const batch = await decodeRecordBatch(new Decoder(encoded.buffer));
    expect(batch.records.map((r) => r.value?.toString())).toEqual(values.map((v) => v.toString()));
    expect(batch.records.map((r) => r.key?.toString())).toEqual(values.map((_, i) => String(i)));
  });

  it('registers a codec for every compression type Kafka has', () => {
    expect(CompressionCodecs[CompressionTypes.Snappy]).toBe(snappyCodec);
    expect(CompressionCodecs[CompressionTypes.LZ4]).toBe(lz4Codec);
    expect(CompressionCodecs[CompressionTypes.ZSTD]).toBe(zstdCodec);
  });

  it('reads a zstd frame without a content size beyond 1 MiB (as Java streams write them; zstd CLI from stdin)', async () => {
    const frame = fs.readFileSync(path.join(FIXTURES, '2mib-lines.zst'));
    expect((await zstdCodec().decompress(frame)).toString()).toBe(FIXTURE_TEXT);
  });

  it('reads an LZ4 frame of 64 KiB independent blocks with a content checksum (lz4 CLI -B4)', async () => {
    const frame = fs.readFileSync(path.join(FIXTURES, '2mib-lines.lz4'));
    expect((await lz4Codec().decompress(frame)).toString()).toBe(FIXTURE_TEXT);
  });

  it("reads snappy in the xerial framing of Java's SnappyOutputStream as well as raw", async () => {
    const text = Buffer.from(FIXTURE_TEXT.slice(0, 100_000));
    // Header: magic, version 1, compatible version 1; then <int32 length><raw snappy block> per 32 KiB.
    const raw = snappyCodec();
    const chunks = await Promise.all([text.subarray(0, 32768), text.subarray(32768, 65536), text.subarray(65536)].map((buffer) => raw.compress({ buffer })));
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    const framed = Buffer.concat([header, ...chunks.flatMap((c) => [Buffer.from([0, 0, (c.length >> 8) & 0xff, c.length & 0xff]), c])]);
    expect((await snappyCodec().decompress(framed)).equals(text)).toBe(true);
    expect((await raw.decompress(await raw.compress({ buffer: text }))).equals(text)).toBe(true);
  });

  it('zstd output is the same bytes whatever the input buffer is a view of (WebAssembly memory is copied out)', async () => {
    const backing = Buffer.alloc(70_000, 1);
    const view = backing.subarray(1000, 61_000).fill(65);
    const first = await zstdCodec().compress({ buffer: view });
    const second = await zstdCodec().compress({ buffer: Buffer.from('other input') });
    expect((await zstdCodec().decompress(first)).equals(view)).toBe(true);
    expect((await zstdCodec().decompress(second)).toString()).toBe('other input');
  });

  it('writes LZ4 frames as Kafka does: independent 64 KiB blocks (Kafka refuses a frame not flagged so), readable back', async () => {
    const text = Buffer.from(FIXTURE_TEXT.slice(0, 300_000));
    const frame = kafkaLz4Frame(text);
    expect(frame.readUInt32LE(0)).toBe(0x184d2204);
    expect(frame[4] & 0x20).toBe(0x20); // block independence
    expect(frame[5]).toBe(0x40); // 64 KiB blocks
    expect((await lz4Codec().decompress(frame)).equals(text)).toBe(true);
    const incompressible = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251));
    expect((await lz4Codec().decompress(kafkaLz4Frame(incompressible))).equals(incompressible)).toBe(true);
    expect((await lz4Codec().decompress(kafkaLz4Frame(Buffer.alloc(0)))).length).toBe(0);
  });
});
