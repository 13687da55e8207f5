/** INT64 with logical unsigned (Protobuf uint64 / fixed64) → BIGINT UNSIGNED, end to end through the planner's pieces. */
import { SinkError } from '../errors';
import type { Schema } from '../record/schema';
import { columnTypeFor, formatColumnType, parseColumnType } from '../dialect/type-mapping';
import { compareColumnTypes } from './type-widening';
import { csvFieldEncoder, jsonEncoder, sqlEncoder, UTC_CONTEXT } from '../dialect/value-encoders';

const UNSIGNED: Schema = { type: 'INT64', optional: true, logical: { kind: 'unsigned' } };
const UINT64_MAX = 2n ** 64n - 1n;

describe('BIGINT UNSIGNED', () => {
  it('is the column type of an unsigned INT64, and of arrays of them', () => {
    expect(formatColumnType(columnTypeFor(UNSIGNED))).toBe('BIGINT UNSIGNED');
    expect(formatColumnType(columnTypeFor({ type: 'ARRAY', optional: true, items: UNSIGNED }))).toBe('ARRAY(BIGINT UNSIGNED)');
  });

  it.each([
    // DESC, information_schema, system.columns and the array element forms seen on databend 1.2.895.
    ['BIGINT UNSIGNED', 'BIGINT UNSIGNED', undefined],
    ['bigint unsigned', 'BIGINT UNSIGNED', undefined],
    ['Nullable(UInt64)', 'BIGINT UNSIGNED', true],
    ['ARRAY(UINT64)', 'ARRAY(BIGINT UNSIGNED)', undefined],
    ['Nullable(Array(Nullable(UInt64)))', 'ARRAY(BIGINT UNSIGNED)', true],
  ])('is read back from %s', (text, type, nullable) => {
    const parsed = parseColumnType(text);
    expect(formatColumnType(parsed.type)).toBe(type);
    expect(parsed.nullable).toBe(nullable);
  });

  it('takes only itself: no signed column holds 2^63 and up, and it holds no negative value', () => {
    const unsigned = columnTypeFor(UNSIGNED);
    expect(compareColumnTypes(unsigned, unsigned)).toEqual({ kind: 'fits' });
    expect(compareColumnTypes({ kind: 'BIGINT' }, unsigned)).toEqual({ kind: 'incompatible' });
    expect(compareColumnTypes(unsigned, { kind: 'INT' })).toEqual({ kind: 'incompatible' });
    expect(compareColumnTypes(unsigned, { kind: 'DOUBLE' })).toEqual({ kind: 'incompatible' });
    expect(compareColumnTypes({ kind: 'DECIMAL', precision: 20, scale: 0 }, unsigned)).toEqual({ kind: 'fits' });
    expect(compareColumnTypes({ kind: 'DECIMAL', precision: 19, scale: 2 }, unsigned)).toEqual({ kind: 'widen', to: { kind: 'DECIMAL', precision: 22, scale: 2 } });
  });

  it('writes 0 … 2^64-1 exactly in CSV, JSON and SQL', () => {
    for (const encoder of [csvFieldEncoder(UNSIGNED, UTC_CONTEXT), jsonEncoder(UNSIGNED, UTC_CONTEXT), sqlEncoder(UNSIGNED, UTC_CONTEXT)]) {
      expect(encoder(UINT64_MAX)).toBe('18446744073709551615');
      expect(encoder(0n)).toBe('0');
    }
    expect(csvFieldEncoder({ type: 'ARRAY', optional: true, items: UNSIGNED }, UTC_CONTEXT)([UINT64_MAX, null])).toBe('[18446744073709551615,NULL]');
  });

  it.each([
    [-1n, 'VALUE_OUT_OF_RANGE'],
    [UINT64_MAX + 1n, 'VALUE_OUT_OF_RANGE'],
    [5, 'RECORD_UNDECODABLE'],
  ])('refuses %p as %s', (value, code) => {
    let error: unknown;
    try {
      csvFieldEncoder(UNSIGNED, UTC_CONTEXT)(value);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SinkError);
    expect((error as SinkError).code).toBe(code);
  });
});
