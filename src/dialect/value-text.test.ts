import { SinkError } from '../errors';
import {
  checkWellFormed,
  dateText,
  decimalText,
  floatText,
  MAX_DATE_DAYS,
  MAX_TIMESTAMP_MICROS,
  MIN_DATE_DAYS,
  MIN_TIMESTAMP_MICROS,
  timeText,
  timestampText,
  variantJson,
} from './value-text';

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return (err as SinkError).code;
  }
  return 'no error';
}

describe('decimalText', () => {
  it.each<[bigint, number, string]>([
    [-12345n, 3, '-12.345'],
    [12345n, 3, '12.345'],
    [1n, 3, '0.001'],
    [-1n, 3, '-0.001'],
    [0n, 3, '0.000'],
    [0n, 0, '0'],
    [42n, 0, '42'],
    [-42n, 0, '-42'],
    [100n, 2, '1.00'],
    [123456789012345678n, 18, '0.123456789012345678'],
    [-123456789012345678n, 18, '-0.123456789012345678'],
    [1n, 18, '0.000000000000000001'],
    [10n ** 18n, 18, '1.000000000000000000'],
  ])('%s scale %s → %s', (unscaled, scale, text) => {
    expect(decimalText({ unscaled, scale }, scale, 38)).toBe(text);
  });

  it('covers every scale from 0 to 18 exactly', () => {
    for (let scale = 0; scale <= 18; scale++) {
      const text = decimalText({ unscaled: -1234567n, scale }, scale, 38);
      const expected = scale === 0 ? '-1234567' : (() => {
        const digits = '1234567'.padStart(scale + 1, '0');
        return `-${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
      })();
      expect(text).toBe(expected);
    }
  });

  it('keeps the maximum precision exactly (38 and 76 digits)', () => {
    const max38 = 10n ** 38n - 1n;
    expect(decimalText({ unscaled: max38, scale: 0 }, 0, 38)).toBe('9'.repeat(38));
    expect(decimalText({ unscaled: -max38, scale: 10 }, 10, 38)).toBe(`-${'9'.repeat(28)}.${'9'.repeat(10)}`);
    const max76 = 10n ** 76n - 1n;
    expect(decimalText({ unscaled: max76, scale: 76 }, 76, 76)).toBe(`0.${'9'.repeat(76)}`);
  });

  it('rejects values beyond the precision', () => {
    expect(codeOf(() => decimalText({ unscaled: 10n ** 38n, scale: 0 }, 0, 38))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => decimalText({ unscaled: 100000n, scale: 2 }, 2, 5))).toBe('VALUE_OUT_OF_RANGE');
    expect(decimalText({ unscaled: 99999n, scale: 2 }, 2, 5)).toBe('999.99');
  });

  it('rescales exactly to the column scale', () => {
    expect(decimalText({ unscaled: 15n, scale: 1 }, 3, 10)).toBe('1.500');
    expect(decimalText({ unscaled: 1500n, scale: 3 }, 1, 10)).toBe('1.5');
    expect(codeOf(() => decimalText({ unscaled: 1501n, scale: 3 }, 1, 10))).toBe('VALUE_OUT_OF_RANGE');
  });

  it('does not check precision 0 (unknown)', () => {
    expect(decimalText({ unscaled: 10n ** 80n, scale: 0 }, 0, 0)).toBe(`1${'0'.repeat(80)}`);
  });
});

describe('dateText', () => {
  it.each<[number, string]>([
    [0, '1970-01-01'],
    [-1, '1969-12-31'],
    [19_782, '2024-02-29'],
    [-141_432, '1582-10-10'],
    [-719_162, '0001-01-01'],
    [MIN_DATE_DAYS, '0000-01-01'],
    [-719_469, '0000-02-29'],
    [MAX_DATE_DAYS, '9999-12-31'],
    [10_957, '2000-01-01'],
    [-25_567, '1900-01-01'],
  ])('%s → %s', (days, text) => {
    expect(dateText(days)).toBe(text);
  });

  it('rejects days outside the range Databend loads, and non-integers', () => {
    expect(codeOf(() => dateText(MIN_DATE_DAYS - 1))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => dateText(MAX_DATE_DAYS + 1))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => dateText(1.5))).toBe('VALUE_OUT_OF_RANGE');
  });

  it('agrees with Date for every day of several centuries', () => {
    for (let days = -150_000; days <= 150_000; days += 7) {
      expect(dateText(days)).toBe(new Date(days * 86_400_000).toISOString().slice(0, 10));
    }
  });
});

describe('timeText', () => {
  it.each<[bigint | number, string]>([
    [0n, '00:00:00.000000'],
    [1n, '00:00:00.000001'],
    [86_399_999_999n, '23:59:59.999999'],
    [45_296_789_000n, '12:34:56.789000'],
    [3_600_000_000, '01:00:00.000000'],
  ])('%s µs → %s', (micros, text) => {
    expect(timeText(micros)).toBe(text);
  });

  it('rejects values outside one day', () => {
    expect(codeOf(() => timeText(-1n))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => timeText(86_400_000_000n))).toBe('VALUE_OUT_OF_RANGE');
  });
});

describe('timestampText', () => {
  it.each<[bigint, string]>([
    [0n, '1970-01-01 00:00:00.000000'],
    [1n, '1970-01-01 00:00:00.000001'],
    [-1n, '1969-12-31 23:59:59.999999'],
    [-1_000n, '1969-12-31 23:59:59.999000'],
    [1_577_836_800_000_001n, '2020-01-01 00:00:00.000001'],
    [1_709_210_096_123_456n, '2024-02-29 12:34:56.123456'],
    [-12_219_292_800_000_000n, '1582-10-15 00:00:00.000000'],
    [MIN_TIMESTAMP_MICROS, '0001-01-01 00:00:00.000000'],
    [MAX_TIMESTAMP_MICROS, '9999-12-30 22:00:00.999999'],
    [9_007_199_254_740_993n, '2255-06-05 23:47:34.740993'],
  ])('%s µs → %s', (micros, text) => {
    expect(timestampText(micros)).toBe(text);
  });

  it('renders values that alternate between days and seconds (the columns of a row) each as its own', () => {
    for (let i = 0; i < 3; i++) {
      expect(timestampText(1_709_210_096_123_456n)).toBe('2024-02-29 12:34:56.123456');
      expect(timestampText(-1n)).toBe('1969-12-31 23:59:59.999999');
      expect(dateText(19_782)).toBe('2024-02-29');
      expect(timestampText(1_709_210_097_000_001n, 'T')).toBe('2024-02-29T12:34:57.000001');
    }
  });

  it('renders the RFC 3339 body with T', () => {
    expect(timestampText(-1n, 'T')).toBe('1969-12-31T23:59:59.999999');
  });

  it('rejects instants outside Databend TIMESTAMP (which clamps before 0001 and rejects after 9999-12-30 22:00)', () => {
    expect(codeOf(() => timestampText(MIN_TIMESTAMP_MICROS - 1n))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => timestampText(MAX_TIMESTAMP_MICROS + 1n))).toBe('VALUE_OUT_OF_RANGE');
  });

  it('agrees with Date at millisecond points across the range', () => {
    for (let ms = -62_135_596_800_000; ms < 253_402_207_200_000; ms += 997_654_321_987) {
      const iso = new Date(ms).toISOString();
      expect(timestampText(BigInt(ms) * 1000n + 7n)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 23)}007`);
    }
  });
});

describe('floatText', () => {
  it.each<[number, string]>([
    [0.1, '0.1'],
    [1.5, '1.5'],
    [-0, '-0'],
    [0, '0'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [5e-324, '5e-324'],
    [1e21, '1e+21'],
    [Math.fround(0.1), '0.10000000149011612'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [2 ** 53 + 2, '9007199254740994'],
  ])('%s → %s', (n, text) => {
    expect(floatText(n)).toBe(text);
    if (Number.isFinite(n)) expect(Object.is(Number(text), n)).toBe(true);
  });
});

describe('variantJson', () => {
  it('writes bigint exactly and nests', () => {
    expect(variantJson({ a: 9007199254740993n, b: [1, null, true, 'x"y'], c: { d: -9223372036854775808n } })).toBe(
      '{"a":9007199254740993,"b":[1,null,true,"x\\"y"],"c":{"d":-9223372036854775808}}',
    );
  });

  it('writes Buffers as base64 and Decimals as exact numbers', () => {
    expect(variantJson(Buffer.from([1, 2, 3]))).toBe('"AQID"');
    expect(variantJson({ unscaled: -12345n, scale: 3 })).toBe('-12.345');
  });

  it('refuses non-finite numbers (Databend would store null)', () => {
    expect(codeOf(() => variantJson(NaN))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => variantJson([Infinity]))).toBe('VALUE_OUT_OF_RANGE');
  });

  it('refuses lone surrogates, keeps proper pairs', () => {
    expect(variantJson('é😀\n')).toBe('"é😀\\n"');
    expect(codeOf(() => variantJson('\ud800'))).toBe('RECORD_UNDECODABLE');
    expect(codeOf(() => variantJson({ ['\udc00']: 1 }))).toBe('RECORD_UNDECODABLE');
  });
});

describe('checkWellFormed', () => {
  it('passes valid text and rejects lone surrogates', () => {
    expect(checkWellFormed('a😀b')).toBe('a😀b');
    expect(() => checkWellFormed('a\ud83d')).toThrow(SinkError);
    expect(() => checkWellFormed('\ude00a')).toThrow(/surrogate/);
  });
});
