import type { Schema } from '../record/schema';
import { formatDate, formatTime, formatTimestamp, toVariantValue } from './variant-value';

describe('toVariantValue', () => {
  it('renders every type as plain JSON', () => {
    const schema: Schema = {
      type: 'STRUCT',
      optional: false,
      fields: [
        { name: 'i', schema: { type: 'INT32', optional: false } },
        { name: 'l', schema: { type: 'INT64', optional: false } },
        { name: 'f', schema: { type: 'FLOAT64', optional: false } },
        { name: 'by', schema: { type: 'BYTES', optional: false } },
        { name: 'd', schema: { type: 'BYTES', optional: false, logical: { kind: 'decimal', precision: 5, scale: 2 } } },
        { name: 'day', schema: { type: 'INT32', optional: false, logical: { kind: 'date' } } },
        { name: 't', schema: { type: 'INT64', optional: false, logical: { kind: 'time', unit: 'micros' } } },
        { name: 'ts', schema: { type: 'INT64', optional: false, logical: { kind: 'timestamp', unit: 'micros', local: false } } },
        { name: 'lts', schema: { type: 'INT64', optional: false, logical: { kind: 'timestamp', unit: 'millis', local: true } } },
        { name: 'm', schema: { type: 'MAP', optional: false, keys: { type: 'STRING', optional: false }, values: { type: 'INT32', optional: false } } },
        { name: 'mi', schema: { type: 'MAP', optional: false, keys: { type: 'INT32', optional: false }, values: { type: 'STRING', optional: false } } },
        { name: 'a', schema: { type: 'ARRAY', optional: false, items: { type: 'STRING', optional: true } } },
        { name: 'missing', schema: { type: 'STRING', optional: true } },
      ],
    };
    const value = {
      kind: 'struct' as const,
      fields: {
        i: 1,
        l: 2n ** 63n - 1n,
        f: NaN,
        by: Buffer.from([0xff]),
        d: { unscaled: -5n, scale: 2 },
        day: -1,
        t: 3_723_000_004n,
        ts: 1n,
        lts: 0n,
        m: { kind: 'map' as const, entries: [['__proto__', 1]] as [string, number][] },
        mi: { kind: 'map' as const, entries: [[1, 'x']] as [number, string][] },
        a: ['x', null],
      },
    };
    const json = toVariantValue(schema, value) as Record<string, unknown>;
    expect(json).toEqual({
      i: 1,
      l: 2n ** 63n - 1n,
      f: 'NaN',
      by: '/w==',
      d: '-0.05',
      day: '1969-12-31',
      t: '01:02:03.000004',
      ts: '1970-01-01T00:00:00.000001Z',
      lts: '1970-01-01T00:00:00.000000',
      m: JSON.parse('{"__proto__": 1}'),
      mi: [[1, 'x']],
      a: ['x', null],
      missing: null,
    });
    expect(Object.getPrototypeOf(json.m)).toBe(Object.prototype);
  });
});

describe('temporal text', () => {
  it.each([
    [0, '1970-01-01'],
    [-719162, '0001-01-01'],
    [2932896, '9999-12-31'],
  ])('date %i → %s', (days, text) => expect(formatDate(days)).toBe(text));

  it.each([
    [-1n, '1969-12-31T23:59:59.999999Z'],
    [-1000n, '1969-12-31T23:59:59.999000Z'],
    [253402300799999999n, '9999-12-31T23:59:59.999999Z'],
    [-62135596800000000n, '0001-01-01T00:00:00.000000Z'],
  ])('timestamp %s µs → %s', (micros, text) => expect(formatTimestamp(micros)).toBe(text));

  it('time of day', () => {
    expect(formatTime(0n)).toBe('00:00:00.000000');
    expect(formatTime(86_399_999_999n)).toBe('23:59:59.999999');
  });
});
