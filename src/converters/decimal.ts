/**
 * Exact decimals: the big-endian two's-complement bytes Avro and Kafka Connect use for the unscaled
 * value, and decimal text (JSON numbers) to and from `Decimal`.
 */
import type { Decimal } from '../record/schema';

/** Unscaled value of big-endian two's-complement bytes (empty = 0). */
export function unscaledFromBytes(bytes: Buffer): bigint {
  const n = bytes.length;
  if (n === 0) return 0n;
  if (n <= 6) return BigInt(bytes.readIntBE(0, n));
  const unsigned = BigInt(`0x${bytes.toString('hex')}`);
  return bytes[0] & 0x80 ? unsigned - (1n << BigInt(n * 8)) : unsigned;
}

/** Unscaled value of the big-endian two's-complement bytes `buf[start, end)`, without a Buffer view. */
export function unscaledFromRange(buf: Buffer, start: number, end: number): bigint {
  const n = end - start;
  if (n === 0) return 0n;
  if (n <= 6) return BigInt(buf.readIntBE(start, n));
  return unscaledFromBytes(buf.subarray(start, end));
}

/** Minimal big-endian two's-complement bytes of `unscaled`; `size` pads (sign-extends) to a fixed length. */
export function unscaledToBytes(unscaled: bigint, size?: number): Buffer {
  let length = 1;
  while (unscaled < -(1n << BigInt(length * 8 - 1)) || unscaled >= 1n << BigInt(length * 8 - 1)) length++;
  if (size !== undefined && size > length) length = size;
  const out = Buffer.alloc(length);
  let v = BigInt.asUintN(length * 8, unscaled);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Number of decimal digits of the unscaled value (0 has one digit). */
export function digitCount(unscaled: bigint): number {
  const s = (unscaled < 0n ? -unscaled : unscaled).toString();
  return s.length;
}

/** Largest precision a fixed of `size` bytes can hold: floor(log10(2^(8·size−1) − 1)). */
export function maxPrecisionOfFixed(size: number): number {
  if (size <= 0) return 0;
  return ((1n << BigInt(8 * size - 1)) - 1n).toString().length - 1;
}

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * `text` (a JSON number or a plain decimal string) at exactly `scale` digits after the point;
 * undefined when the text is not a number or has non-zero digits beyond `scale`.
 */
export function decimalFromText(text: string, scale: number): Decimal | undefined {
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return undefined;
  const [, sign, intPart, fracPart = '', expPart] = m;
  const exponent = expPart === undefined ? 0 : Number(expPart);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 10_000) return undefined;
  // value = digits × 10^(exponent − fracPart.length)
  let digits = intPart + fracPart;
  let shift = exponent - fracPart.length + scale; // power of ten to multiply the digits by
  if (shift < 0) {
    const dropped = digits.slice(digits.length + shift);
    if (/[1-9]/.test(dropped)) return undefined;
    digits = digits.slice(0, digits.length + shift) || '0';
    shift = 0;
  }
  const unscaled = BigInt(digits) * 10n ** BigInt(shift);
  return { unscaled: sign === '-' ? -unscaled : unscaled, scale };
}

/** Plain decimal text (`-12.340` for unscaled −12340, scale 3); negative scales multiply. */
export function decimalToText(d: Decimal): string {
  const negative = d.unscaled < 0n;
  let digits = (negative ? -d.unscaled : d.unscaled).toString();
  if (d.scale <= 0) {
    if (d.unscaled !== 0n) digits += '0'.repeat(-d.scale);
  } else {
    if (digits.length <= d.scale) digits = '0'.repeat(d.scale - digits.length + 1) + digits;
    digits = `${digits.slice(0, digits.length - d.scale)}.${digits.slice(digits.length - d.scale)}`;
  }
  return negative ? `-${digits}` : digits;
}
