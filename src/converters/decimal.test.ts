import { decimalFromText, decimalToText, maxPrecisionOfFixed, unscaledFromBytes, unscaledToBytes } from './decimal';

describe('two-complement unscaled bytes', () => {
  it.each([0n, 1n, -1n, 127n, 128n, -128n, -129n, 255n, 2n ** 47n, -(2n ** 47n), 2n ** 63n - 1n, -(2n ** 63n), 10n ** 38n - 1n, -(10n ** 38n - 1n), 2n ** 200n])('round-trips %s', (n) => {
    expect(unscaledFromBytes(unscaledToBytes(n))).toBe(n);
  });

  it('uses the minimal length and sign-extends to a fixed size', () => {
    expect(unscaledToBytes(127n)).toEqual(Buffer.from([0x7f]));
    expect(unscaledToBytes(128n)).toEqual(Buffer.from([0x00, 0x80]));
    expect(unscaledToBytes(-1n, 4)).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(unscaledFromBytes(Buffer.alloc(0))).toBe(0n);
    expect(unscaledFromBytes(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]))).toBe(-2n);
  });

  it('knows the precision a fixed can hold', () => {
    expect([1, 2, 4, 8, 16].map(maxPrecisionOfFixed)).toEqual([2, 4, 9, 18, 38]);
  });
});

describe('decimal text', () => {
  it.each([
    ['0', 0, 0n],
    ['12.34', 2, 1234n],
    ['12.34', 4, 123400n],
    ['-0.5', 1, -5n],
    ['1e3', 0, 1000n],
    ['1.5E-2', 3, 15n],
    ['12.3400', 2, 1234n],
    ['99999999999999999999999999999999999999', 0, 10n ** 38n - 1n],
  ])('%s at scale %i', (text, scale, unscaled) => {
    expect(decimalFromText(text, scale)).toEqual({ unscaled, scale });
  });

  it('refuses rounding and non-numbers', () => {
    expect(decimalFromText('1.25', 1)).toBeUndefined();
    expect(decimalFromText('abc', 0)).toBeUndefined();
    expect(decimalFromText('1e99999', 0)).toBeUndefined();
  });

  it.each([
    [1234n, 2, '12.34'],
    [-5n, 3, '-0.005'],
    [0n, 2, '0.00'],
    [7n, 0, '7'],
    [12n, -2, '1200'],
    [-(10n ** 38n - 1n), 38, '-0.99999999999999999999999999999999999999'],
  ])('renders %s scale %i as %s', (unscaled, scale, text) => {
    expect(decimalToText({ unscaled, scale })).toBe(text);
  });
});
