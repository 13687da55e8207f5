import { SinkError } from '../errors';
import { StringConverter } from './string-converter';

describe('StringConverter', () => {
  const converter = new StringConverter();

  it.each([
    ['ascii', 'order-42'],
    ['empty', ''],
    ['accents', 'crème brûlée'],
    ['emoji', '👩‍👩‍👧 🚀'],
    ['CJK', '漢字'],
    ['NUL and controls', 'a\u0000b\u0001'],
    ['a leading byte order mark (kept)', '\ufeffx'],
    ['long', 'ü'.repeat(10_000)],
  ])('decodes %s as a STRING', async (_name, text) => {
    await expect(converter.toConnectData('t', Buffer.from(text, 'utf8'))).resolves.toEqual({ schema: { type: 'STRING', optional: false }, value: text });
  });

  it('returns null for null bytes', async () => {
    await expect(converter.toConnectData('t', null)).resolves.toBeNull();
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a truncated sequence', [0x61, 0xe2, 0x82]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['0xFF', [0x61, 0x62, 0xff]],
    ['an invalid byte after 100 ASCII bytes', [...Buffer.alloc(100, 0x61), 0xfe]],
  ])('rejects %s as RECORD_UNDECODABLE, never replacing it with U+FFFD', async (_name, bytes) => {
    const attempt = converter.toConnectData('t', Buffer.from(bytes));
    await expect(attempt).rejects.toBeInstanceOf(SinkError);
    await expect(attempt).rejects.toMatchObject({ code: 'RECORD_UNDECODABLE', position: undefined });
  });
});
