/**
 * What Confluent's Protobuf serializer writes after the 5-byte schema registry header
 * (`wire-format.ts`): the *message indexes*, the path to the record's message type inside the
 * registered .proto file, then the Protobuf payload.
 *
 * The array is a zig-zag varint count followed by that many zig-zag varint indexes (Kafka's
 * `ByteUtils.writeVarint`, as Confluent's `MessageIndexes` uses it). The first index counts the
 * file's top-level messages in declaration order, each further one the messages nested in the
 * previous (enums are not counted). `[0]`, the first message of the file and by far the most
 * common, is written as the single byte 0 (a count of zero).
 */
import { undecodable } from './converter-errors';

/** Far beyond any real nesting; bounds the work a corrupt count can cause. */
const MAX_INDEXES = 64;

export interface MessageIndexes {
  indexes: readonly number[];
  /** Offset of the payload in the message. */
  payloadStart: number;
}

const FIRST_MESSAGE: readonly number[] = Object.freeze([0]);

/** Reads the message indexes starting at `start`; throws RECORD_UNDECODABLE for a malformed array. */
export function readMessageIndexes(bytes: Buffer, start: number): MessageIndexes {
  const cursor = { pos: start };
  const count = readZigZagVarint(bytes, cursor);
  if (count === 0) return { indexes: FIRST_MESSAGE, payloadStart: cursor.pos };
  if (count < 0 || count > MAX_INDEXES) throw undecodable(`Protobuf data has a message index count of ${count}, expected 0 to ${MAX_INDEXES}`);
  const indexes: number[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const index = readZigZagVarint(bytes, cursor);
    if (index < 0) throw undecodable(`Protobuf data has a negative message index (${index})`);
    indexes[i] = index;
  }
  return { indexes, payloadStart: cursor.pos };
}

function readZigZagVarint(bytes: Buffer, cursor: { pos: number }): number {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (cursor.pos >= bytes.length) throw undecodable('Protobuf data ends inside its message indexes');
    const b = bytes[cursor.pos++];
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return (value >>> 1) ^ -(value & 1);
  }
  throw undecodable('Protobuf data has a message index varint longer than 5 bytes');
}

/** The message indexes as Confluent's serializer writes them (tests and tools). */
export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const out: number[] = [];
  for (const n of [indexes.length, ...indexes]) {
    let zigzag = ((n << 1) ^ (n >> 31)) >>> 0;
    while (zigzag > 0x7f) {
      out.push((zigzag & 0x7f) | 0x80);
      zigzag >>>= 7;
    }
    out.push(zigzag);
  }
  return Buffer.from(out);
}
