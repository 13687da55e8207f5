import { crc32, tableCrc32 } from './crc32';

const bytes = (s: string) => new TextEncoder().encode(s);

describe.each([
  ['crc32', crc32],
  ['tableCrc32', tableCrc32],
])('%s', (_, crc) => {
  it('gives the standard check value and continues across chunks', () => {
    expect(crc(bytes('123456789'))).toBe(0xcbf43926);
    expect(crc(bytes('56789'), crc(bytes('1234')))).toBe(0xcbf43926);
    expect(crc(new Uint8Array(0))).toBe(0);
  });
});
