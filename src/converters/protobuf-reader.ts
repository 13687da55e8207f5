/**
 * protobufjs's Buffer reader with the two changes the record model needs; protobufjs's generated
 * decoders call these methods, so every message, nested or not, is read through them:
 * - strings are decoded as strict UTF-8 (protobufjs replaces invalid sequences, and cuts a string
 *   that runs past the end of the data instead of failing);
 * - 64-bit integers are bigints, exact over their whole range, read straight from the data
 *   (protobufjs builds a LongBits and a Long object per value). Values below 2^49, nearly all in
 *   practice, take a fast path in plain numbers.
 * One reader serves every record of a converter: decoding is synchronous, so `reset` points it at
 * the next message.
 */
import { BufferReader } from 'protobufjs';
import { undecodable } from './converter-errors';
import { decodeUtf8 } from './strict-utf8';

function truncated(): never {
  throw undecodable('Protobuf data is truncated');
}

/** How the 64 bits read are an integer. */
type Sign = 'unsigned' | 'twos-complement' | 'zigzag';

/** A varint of up to 10 bytes as a 64-bit integer. */
function readVarint64(r: BufferReader, sign: Sign): bigint {
  const buf = r.buf;
  const len = r.len;
  let pos = r.pos;
  let n = 0;
  let mul = 1;
  for (let i = 0; i < 7; i++) {
    if (pos >= len) truncated();
    const b = buf[pos++];
    n += (b & 0x7f) * mul;
    if (b < 0x80) {
      r.pos = pos;
      // n < 2^49: its two's complement reading is itself.
      return sign === 'zigzag' ? BigInt(n % 2 === 0 ? n / 2 : -(n + 1) / 2) : BigInt(n);
    }
    mul *= 128;
  }
  let big = BigInt(n);
  let shift = 49n;
  for (let i = 7; i < 10; i++) {
    if (pos >= len) truncated();
    const b = buf[pos++];
    big |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      r.pos = pos;
      const u = BigInt.asUintN(64, big);
      if (sign === 'unsigned') return u;
      return sign === 'twos-complement' ? BigInt.asIntN(64, u) : (u >> 1n) ^ -(u & 1n);
    }
    shift += 7n;
  }
  throw undecodable('Protobuf data has a varint longer than 10 bytes');
}

function fixed64Offset(r: BufferReader): number {
  const pos = r.pos;
  if (pos + 8 > r.len) truncated();
  r.pos = pos + 8;
  return pos;
}

export class StrictProtobufReader extends BufferReader {
  constructor() {
    super(Buffer.alloc(0));
  }

  /** Reads `bytes[start, bytes.length)` next. */
  reset(bytes: Buffer, start: number): void {
    this.buf = bytes;
    this.pos = start;
    this.len = bytes.length;
  }

  /** Lets go of the last message's bytes. */
  release(): void {
    this.reset(EMPTY, 0);
  }

  override string(): string {
    const length = this.uint32();
    const start = this.pos;
    const end = start + length;
    if (end > this.len) truncated();
    this.pos = end;
    return decodeUtf8(this.buf as Buffer, start, end, 'Protobuf string');
  }
}

const EMPTY = Buffer.alloc(0);

/** The 64-bit readers return bigints where protobufjs's typings say Long: assigned, not overridden. */
Object.assign(StrictProtobufReader.prototype, {
  int64(this: BufferReader): bigint {
    return readVarint64(this, 'twos-complement');
  },
  uint64(this: BufferReader): bigint {
    return readVarint64(this, 'unsigned');
  },
  sint64(this: BufferReader): bigint {
    return readVarint64(this, 'zigzag');
  },
  fixed64(this: BufferReader): bigint {
    return (this.buf as Buffer).readBigUInt64LE(fixed64Offset(this));
  },
  sfixed64(this: BufferReader): bigint {
    return (this.buf as Buffer).readBigInt64LE(fixed64Offset(this));
  },
});
