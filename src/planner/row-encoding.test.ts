import type { SinkError } from '../errors';
import type { Schema, SchemaType, Value } from '../record/schema';
import type { SinkRecord } from '../record/sink-record';
import { encodeCsv } from '../dialect/encode-rows';
import { defaultLiteral, sqlLiteral } from '../dialect/sql-literal';
import { compileRowEncoder, encoderContext } from './row-encoding';
import { tableShape } from './table-shape';
import { UTC_CONTEXT } from '../dialect/value-encoders';

// The CSV texts asserted here were loaded with COPY INTO … FILE_FORMAT=(TYPE=CSV) into a table made by
// createTableSql on the embedded engine (databend 1.2.895) — with the session in Asia/Tokyo — and read
// back exactly (hex of strings, to_int64 of timestamps, decimals, arrays, variants).
const s = (type: SchemaType, extra: Partial<Schema> = {}): Schema => ({ type, optional: true, ...extra });
const struct = (fields: Record<string, Schema>): Schema => ({ type: 'STRUCT', optional: false, fields: Object.entries(fields).map(([name, schema]) => ({ name, schema })) });
const sv = (fields: Record<string, Value>): Value => ({ kind: 'struct', fields });
const rec = (value: Value, valueSchema: Schema, key: { schema: Schema; value: Value } | null = null): SinkRecord => ({
  topic: 'orders',
  partition: 3,
  offset: '9223372036854775807',
  timestamp: '0',
  key,
  value: { schema: valueSchema, value },
});

/** Encodes one value of one field. */
function one(schema: Schema, value: Value, timezone = 'UTC'): string | null {
  const vs = struct({ f: schema });
  const shape = tableShape(null, vs, { pkMode: 'none', pkFields: [], fieldsWhitelist: [] });
  return compileRowEncoder(shape, encoderContext({ timezone }))(rec(sv({ f: value }), vs)).fields[0];
}

function errorOf(f: () => unknown): SinkError {
  try {
    f();
  } catch (err) {
    return err as SinkError;
  }
  throw new Error('expected an error');
}

const ts = (local = false) => s('INT64', { logical: { kind: 'timestamp', unit: 'micros', local } });
const dec = (precision: number, scale: number) => s('BYTES', { logical: { kind: 'decimal', precision, scale } });

describe('CSV field texts per type (docs/type-mapping.md)', () => {
  it.each<[string, Schema, Value, string | null]>([
    ['INT8 min', s('INT8'), -128, '-128'],
    ['INT16 max', s('INT16'), 32767, '32767'],
    ['INT32 min', s('INT32'), -2147483648, '-2147483648'],
    ['INT64 min', s('INT64'), -9223372036854775808n, '-9223372036854775808'],
    ['INT64 max', s('INT64'), 9223372036854775807n, '9223372036854775807'],
    ['INT64 beyond 2^53', s('INT64'), 9007199254740993n, '9007199254740993'],
    ['FLOAT64', s('FLOAT64'), 0.1, '0.1'],
    ['FLOAT64 max', s('FLOAT64'), Number.MAX_VALUE, '1.7976931348623157e+308'],
    ['FLOAT64 -0', s('FLOAT64'), -0, '-0'],
    ['FLOAT64 NaN', s('FLOAT64'), NaN, 'NaN'],
    ['FLOAT64 -Infinity', s('FLOAT64'), -Infinity, '-Infinity'],
    ['FLOAT32', s('FLOAT32'), Math.fround(0.1), '0.10000000149011612'],
    ['BOOLEAN', s('BOOLEAN'), true, 'true'],
    ['BOOLEAN false', s('BOOLEAN'), false, 'false'],
    ['STRING', s('STRING'), 'q"uote, \\N\n', 'q"uote, \\N\n'],
    ['STRING empty', s('STRING'), '', ''],
    ['enum', s('STRING', { logical: { kind: 'enum', symbols: ['A'] } }), 'A', 'A'],
    ['uuid', s('STRING', { logical: { kind: 'uuid' } }), '123e4567-e89b-12d3-a456-426614174000', '123e4567-e89b-12d3-a456-426614174000'],
    ['BYTES', s('BYTES'), Buffer.from([0, 255, 10]), '00ff0a'],
    ['Decimal', dec(10, 3), { unscaled: -12345n, scale: 3 }, '-12.345'],
    ['Decimal scale 0', dec(5, 0), { unscaled: 7n, scale: 0 }, '7'],
    ['Decimal leading zeros', dec(5, 3), { unscaled: 1n, scale: 3 }, '0.001'],
    ['Decimal 76 digits', dec(76, 10), { unscaled: -(10n ** 76n - 1n), scale: 10 }, `-${'9'.repeat(66)}.${'9'.repeat(10)}`],
    ['Decimal > 76 into STRING', dec(80, 2), { unscaled: 10n ** 79n, scale: 2 }, `1${'0'.repeat(77)}.00`],
    ['Date', s('INT32', { logical: { kind: 'date' } }), -1, '1969-12-31'],
    ['Date far future', s('INT32', { logical: { kind: 'date' } }), 2932896, '9999-12-31'],
    ['Time', s('INT64', { logical: { kind: 'time', unit: 'micros' } }), 45296789012n, '12:34:56.789012'],
    ['Time millis unit (value in µs)', s('INT32', { logical: { kind: 'time', unit: 'millis' } }), 1000n, '00:00:00.001000'],
    ['Timestamp µs', ts(), 1577836800000001n, '2020-01-01 00:00:00.000001+00:00'],
    ['Timestamp ms unit (value in µs)', s('INT64', { logical: { kind: 'timestamp', unit: 'millis', local: false } }), 1577836800123000n, '2020-01-01 00:00:00.123000+00:00'],
    ['Timestamp pre-1970', ts(), -1n, '1969-12-31 23:59:59.999999+00:00'],
    ['Timestamp far future', ts(), 253402207200999999n, '9999-12-30 22:00:00.999999+00:00'],
    ['Timestamp 0001', ts(), -62135596800000000n, '0001-01-01 00:00:00.000000+00:00'],
    ['ARRAY<INT64>', s('ARRAY', { items: s('INT64') }), [-9223372036854775808n, null, 1n], '[-9223372036854775808,NULL,1]'],
    ['ARRAY<STRING> hostile', s('ARRAY', { items: s('STRING') }), ["a'b", 'c,d', 'e"f', 'g\\h', '', 'new\nline', null], "['a\\'b','c,d','e\"f','g\\\\h','','new\nline',NULL]"],
    ['ARRAY<BOOLEAN>', s('ARRAY', { items: s('BOOLEAN') }), [true, false], '[true,false]'],
    ['ARRAY<FLOAT64>', s('ARRAY', { items: s('FLOAT64') }), [1.5, 5e-324], '[1.5,5e-324]'],
    ['ARRAY<BYTES>', s('ARRAY', { items: s('BYTES') }), [Buffer.from('ab'), Buffer.alloc(0)], "['6162','']"],
    ['ARRAY<Decimal>', s('ARRAY', { items: dec(5, 2) }), [{ unscaled: -1n, scale: 2 }], '[-0.01]'],
    ['ARRAY<Date>', s('ARRAY', { items: s('INT32', { logical: { kind: 'date' } }) }), [0], "['1970-01-01']"],
    ['ARRAY<Timestamp>', s('ARRAY', { items: ts() }), [-1n], "['1969-12-31 23:59:59.999999+00:00']"],
    ['ARRAY empty', s('ARRAY', { items: s('INT32') }), [], '[]'],
    ['STRUCT → JSON', s('STRUCT', { fields: [{ name: 'a"b', schema: s('INT64') }, { name: 'when', schema: ts() }, { name: 'raw', schema: s('BYTES') }, { name: 'd', schema: dec(5, 2) }, { name: 'day', schema: s('INT32', { logical: { kind: 'date' } }) }] }), sv({ 'a"b': 9007199254740993n, when: -1n, raw: Buffer.from([1, 2, 3]), d: { unscaled: 150n, scale: 2 }, day: 0 }), '{"a\\"b":9007199254740993,"when":"1969-12-31T23:59:59.999999Z","raw":"AQID","d":1.50,"day":"1970-01-01"}'],
    ['STRUCT missing fields → null', s('STRUCT', { fields: [{ name: 'a', schema: s('INT32') }] }), sv({}), '{"a":null}'],
    ['MAP string keys → object', s('MAP', { keys: s('STRING'), values: s('FLOAT64') }), { kind: 'map', entries: [['k"', 1.5], ['x', null]] }, '{"k\\"":1.5,"x":null}'],
    ['MAP int keys → pairs', s('MAP', { keys: s('INT32'), values: s('STRING') }), { kind: 'map', entries: [[1, 'a']] }, '[{"key":1,"value":"a"}]'],
    ['ARRAY<STRUCT> → JSON', s('ARRAY', { items: s('STRUCT', { fields: [{ name: 'a', schema: s('INT32') }] }) }), [sv({ a: 1 }), null], '[{"a":1},null]'],
    ['variant', s('STRING', { logical: { kind: 'variant' } }), { big: 12345678901234567890n, s: 'é\n', a: [1, null, true] }, '{"big":12345678901234567890,"s":"é\\n","a":[1,null,true]}'],
    ['variant string', s('STRING', { logical: { kind: 'variant' } }), 'str', '"str"'],
    ['null', s('STRING'), null, null],
  ])('%s', (_name, schema, value, expected) => {
    expect(one(schema, value)).toBe(expected);
  });

  it('interprets local timestamps in db.timezone', () => {
    // 2024-03-10 07:00 wall clock in New York is EDT (-4).
    expect(one(ts(true), 1710054000000000n, 'America/New_York')).toBe('2024-03-10 11:00:00.000000+00:00');
    expect(one(ts(true), 1577836800000007n, 'Asia/Tokyo')).toBe('2019-12-31 15:00:00.000007+00:00');
    expect(one(ts(true), 1577836800000007n, 'UTC')).toBe('2020-01-01 00:00:00.000007+00:00');
    expect(one(ts(false), 1577836800000007n, 'Asia/Tokyo')).toBe('2020-01-01 00:00:00.000007+00:00');
  });

  it.each<[string, Schema, Value, string]>([
    ['INT8 overflow', s('INT8'), 128, 'VALUE_OUT_OF_RANGE'],
    ['INT32 overflow', s('INT32'), 2147483648, 'VALUE_OUT_OF_RANGE'],
    ['INT64 overflow', s('INT64'), 2n ** 63n, 'VALUE_OUT_OF_RANGE'],
    ['decimal beyond precision', dec(5, 2), { unscaled: 100000n, scale: 2 }, 'VALUE_OUT_OF_RANGE'],
    ['date out of range', s('INT32', { logical: { kind: 'date' } }), 2932897, 'VALUE_OUT_OF_RANGE'],
    ['timestamp before 0001', ts(), -62135596800000001n, 'VALUE_OUT_OF_RANGE'],
    ['timestamp after 9999-12-30 22:00', ts(), 253402207201000000n, 'VALUE_OUT_OF_RANGE'],
    ['NaN inside an array', s('ARRAY', { items: s('FLOAT64') }), [NaN], 'VALUE_OUT_OF_RANGE'],
    ['Infinity inside a variant', s('STRING', { logical: { kind: 'variant' } }), [Infinity], 'VALUE_OUT_OF_RANGE'],
    ['lone surrogate', s('STRING'), 'a\ud800', 'RECORD_UNDECODABLE'],
    ['wrong value type', s('INT32'), 'x', 'RECORD_UNDECODABLE'],
    ['float in an INT32', s('INT32'), 1.5, 'RECORD_UNDECODABLE'],
  ])('%s → %s naming the column', (_name, schema, value, code) => {
    const err = errorOf(() => one(schema, value));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(/^column "f": /);
    expect(err.position).toBeUndefined();
  });
});

describe('compileRowEncoder', () => {
  it('fills kafka and key columns, in shape order', () => {
    const value = struct({ id: s('INT64'), name: s('STRING') });
    const kafka = compileRowEncoder(tableShape(null, value, { pkMode: 'kafka', pkFields: [], fieldsWhitelist: [] }), UTC_CONTEXT);
    expect(kafka(rec(sv({ id: 1n, name: 'a' }), value))).toEqual({ form: 'csv', fields: ['orders', '3', '9223372036854775807', '1', 'a'] });
    const keySchema = struct({ region: s('STRING'), id: s('INT64') });
    const byKey = compileRowEncoder(tableShape(keySchema, value, { pkMode: 'record_key', pkFields: [], fieldsWhitelist: [] }), UTC_CONTEXT);
    expect(byKey(rec(sv({ id: 99n, name: 'a' }), value, { schema: keySchema, value: sv({ region: 'eu', id: 1n }) })).fields).toEqual(['eu', '1', 'a']);
    const primitive = compileRowEncoder(tableShape(s('STRING'), value, { pkMode: 'record_key', pkFields: [], fieldsWhitelist: [] }), UTC_CONTEXT);
    expect(primitive(rec(sv({ id: 1n, name: null }), value, { schema: s('STRING'), value: 'k' })).fields).toEqual(['k', '1', null]);
  });

  it('refuses a null key column', () => {
    const value = struct({ id: s('INT64'), name: s('STRING') });
    const enc = compileRowEncoder(tableShape(null, value, { pkMode: 'record_value', pkFields: ['id'], fieldsWhitelist: [] }), UTC_CONTEXT);
    const err = errorOf(() => enc(rec(sv({ id: null, name: 'a' }), value)));
    expect(err.code).toBe('VALUE_OUT_OF_RANGE');
    expect(err.message).toMatch(/key column "id" is null/);
  });
});

describe('encodeCsv', () => {
  it('quotes every value, doubles quotes, writes NULL as \\N (verified: "" is empty, "\\N" is a string)', () => {
    expect(encodeCsv([['1', '', null, '\\N', 'a"b,c', 'line\nbreak']])).toBe('"1","",\\N,"\\N","a""b,c","line\nbreak"\n');
    expect(encodeCsv([['a'], ['b']])).toBe('"a"\n"b"\n');
    expect(encodeCsv([])).toBe('');
  });
});

describe('sqlLiteral', () => {
  // Verified: DELETE … WHERE (k, ts, d, dec, b, bo) IN ((…)) with these forms matches the row.
  it.each<[string, Schema, Value, string]>([
    ['null', s('INT32'), null, 'NULL'],
    ['INT64 min', s('INT64'), -9223372036854775808n, '-9223372036854775808'],
    ['STRING', s('STRING'), "it's \\ here", "'it''s \\\\ here'"],
    ['BOOLEAN', s('BOOLEAN'), true, 'TRUE'],
    ['FLOAT64 (a string cast: bare literals are not exact in VALUES)', s('FLOAT64'), -0.5, "'-0.5'::DOUBLE"],
    ['FLOAT64 -0', s('FLOAT64'), -0, "'-0'::DOUBLE"],
    ['FLOAT64 NaN', s('FLOAT64'), NaN, "'NaN'::DOUBLE"],
    ['FLOAT64 -inf', s('FLOAT64'), -Infinity, "'-inf'::DOUBLE"],
    ['Decimal', dec(5, 2), { unscaled: -150n, scale: 2 }, '-1.50'],
    ['Date', s('INT32', { logical: { kind: 'date' } }), -1, "'1969-12-31'"],
    ['Time', s('INT64', { logical: { kind: 'time', unit: 'micros' } }), 1n, "'00:00:00.000001'"],
    ['Timestamp', ts(), -1n, "'1969-12-31 23:59:59.999999+00:00'"],
    ['BYTES', s('BYTES'), Buffer.from([0, 255]), "FROM_HEX('00ff')"],
    ['uuid', s('STRING', { logical: { kind: 'uuid' } }), 'u', "'u'"],
    ['ARRAY', s('ARRAY', { items: s('STRING') }), ["a'b", null], "['a''b', NULL]"],
    ['STRUCT', s('STRUCT', { fields: [{ name: 'a', schema: s('STRING') }] }), sv({ a: "it's" }), `PARSE_JSON('{"a":"it''s"}')`],
  ])('%s', (_name, schema, value, literal) => {
    expect(sqlLiteral(value, schema)).toBe(literal);
  });
});

describe('defaultLiteral', () => {
  // Verified DEFAULT forms (CREATE TABLE + INSERT of the key only): see sql-literal.ts.
  it.each<[string, Schema, Value, string | undefined]>([
    ['STRING', s('STRING'), "d'ef\\ault", "'d''ef\\\\ault'"],
    ['INT8', s('INT8'), -128, '-128'],
    ['variant/STRUCT as a JSON string', s('STRUCT', { fields: [{ name: 'a', schema: s('INT32') }] }), sv({ a: 1 }), `'{"a":1}'`],
    ['UTF-8 BYTES as a string', s('BYTES'), Buffer.from('abc'), "'abc'"],
    ['non-UTF-8 BYTES: none (engine casts binary defaults through string)', s('BYTES'), Buffer.from([0xff]), undefined],
    ['ARRAY<BYTES>: none', s('ARRAY', { items: s('BYTES') }), [Buffer.from('a')], undefined],
    ['ARRAY<INT64>', s('ARRAY', { items: s('INT64') }), [1n, 2n], '[1, 2]'],
    ['Timestamp', ts(), 1577836800000001n, "'2020-01-01 00:00:00.000001+00:00'"],
    ['invalid default: none', s('INT8'), 1000, undefined],
    ['null: none', s('STRING'), null, undefined],
  ])('%s', (_name, schema, value, literal) => {
    expect(defaultLiteral(value, schema)).toBe(literal);
  });
});
