import { ByteArrayConverter } from './bytearray-converter';

describe('ByteArrayConverter', () => {
  const converter = new ByteArrayConverter();

  it('passes bytes through as BYTES, invalid UTF-8 included', async () => {
    const bytes = Buffer.from([0, 0xff, 0xc3, 0x28]);
    await expect(converter.toConnectData('t', bytes)).resolves.toEqual({ schema: { type: 'BYTES', optional: false }, value: bytes });
  });

  it('keeps empty bytes apart from null', async () => {
    await expect(converter.toConnectData('t', Buffer.alloc(0))).resolves.toEqual({ schema: { type: 'BYTES', optional: false }, value: Buffer.alloc(0) });
    await expect(converter.toConnectData('t', null)).resolves.toBeNull();
  });
});
