import { isAscii as nodeIsAscii } from 'node:buffer';
import { isAscii } from './buffer';

describe("node:buffer's isAscii in the Connect plugin's bundle", () => {
  it.each([
    ['empty', []],
    ['ASCII', [...Buffer.from('{"id":1,"note":"plain"}')]],
    ['0x7f', [0x41, 0x7f]],
    ['0x80', [0x41, 0x80]],
    ['UTF-8 text', [...Buffer.from('naïve 🚀')]],
  ])('answers as Node does: %s', (_name, bytes) => {
    const array = Uint8Array.from(bytes);
    expect(isAscii(array)).toBe(nodeIsAscii(array));
  });
});
