import { SinkError } from '../errors';
import { encodeMessageIndexes, readMessageIndexes } from './protobuf-wire-format';

describe('message indexes', () => {
  it.each([
    // Confluent's serializer: [0] is the single byte 0; otherwise zig-zag count, then zig-zag indexes.
    [[0], [0x00]],
    [[1], [0x02, 0x02]],
    [[0, 1], [0x04, 0x00, 0x02]],
    [[1, 0, 2], [0x06, 0x02, 0x00, 0x04]],
    [[64], [0x02, 0x80, 0x01]],
  ])('%j is written as Confluent writes it and read back', (indexes, bytes) => {
    expect([...encodeMessageIndexes(indexes)]).toEqual(bytes);
    const message = Buffer.from([0, 0, 0, 0, 1, ...bytes, 0x08, 0x01]);
    expect(readMessageIndexes(message, 5)).toEqual({ indexes, payloadStart: 5 + bytes.length });
  });

  it('reads an explicit count of one with index 0 as [0]', () => {
    expect(readMessageIndexes(Buffer.from([0x02, 0x00]), 0)).toEqual({ indexes: [0], payloadStart: 2 });
  });

  it.each([
    ['no bytes at all', [], /ends inside its message indexes/],
    ['a count beyond any nesting', [0xfe, 0x01], /message index count of 127/],
    ['a negative index', [0x02, 0x01], /negative message index \(-1\)/],
    ['a varint longer than 5 bytes', [0xff, 0xff, 0xff, 0xff, 0xff, 0x01], /longer than 5 bytes/],
  ])('refuses %s', (_what, bytes, message) => {
    let error: unknown;
    try {
      readMessageIndexes(Buffer.from(bytes), 0);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SinkError);
    expect((error as SinkError).code).toBe('RECORD_UNDECODABLE');
    expect((error as SinkError).message).toMatch(message);
  });
});
