import type { Decimal, MapValue, SchemaAndValue } from '../record/schema';
import { AvroConverter } from './avro-converter';
import { encodeAvro } from '../../test-support/avro';
import { fieldSchema, rejection, structFields } from '../../test-support/converter';
import { unscaledToBytes } from './decimal';
import { FakeSchemaSource } from '../../test-support/fake-schema-source';
import { encodeWireFormat } from './wire-format';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function setup() {
  const registry = new FakeSchemaSource();
  const converter = new AvroConverter(registry);
  /** Registers `schema`, encodes `value` with it, converts. */
  const roundTrip = async (schema: object | string, value: unknown, wrap = false): Promise<SchemaAndValue> => {
    const id = registry.register(JSON.stringify(schema));
    const result = await converter.toConnectData('t', encodeAvro(id, schema, value, wrap));
    if (result === null) throw new Error('null result');
    return result;
  };
  return { registry, converter, roundTrip };
}

function record(fields: object[], name = 'com.example.Rec'): object {
  return { type: 'record', name, fields };
}

describe('AvroConverter: primitives', () => {
  it('converts every primitive type with its schema type', async () => {
    const { roundTrip } = setup();
    const schema = record([
      { name: 'b', type: 'boolean' },
      { name: 'i', type: 'int' },
      { name: 'l', type: 'long' },
      { name: 'f', type: 'float' },
      { name: 'd', type: 'double' },
      { name: 'by', type: 'bytes' },
      { name: 's', type: 'string' },
      { name: 'n', type: 'null' },
    ]);
    const result = await roundTrip(schema, { b: true, i: -42, l: 1234567890123n, f: 1.5, d: 0.1, by: Buffer.from([0, 1, 255]), s: 'héllo', n: null });
    expect(result.schema.type).toBe('STRUCT');
    expect(result.schema.name).toBe('com.example.Rec');
    expect(result.schema.fields!.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['b', 'BOOLEAN', false],
      ['i', 'INT32', false],
      ['l', 'INT64', false],
      ['f', 'FLOAT32', false],
      ['d', 'FLOAT64', false],
      ['by', 'BYTES', false],
      ['s', 'STRING', false],
      ['n', 'STRING', true],
    ]);
    expect(structFields(result)).toEqual({ b: true, i: -42, l: 1234567890123n, f: 1.5, d: 0.1, by: Buffer.from([0, 1, 255]), s: 'héllo', n: null });
    expect(result.value).toMatchObject({ kind: 'struct' });
  });

  it.each([
    ['int64 min', INT64_MIN],
    ['int64 max', INT64_MAX],
    ['zero', 0n],
    ['-1', -1n],
    ['2^48', 2n ** 48n],
    ['2^49 - 1', 2n ** 49n - 1n],
    ['2^49', 2n ** 49n],
    ['-2^49', -(2n ** 49n)],
    ['2^53 + 1', 2n ** 53n + 1n],
    ['-(2^53 + 1)', -(2n ** 53n) - 1n],
    ['2^62', 2n ** 62n],
  ])('keeps long %s exact', async (_name, value) => {
    const { roundTrip } = setup();
    const result = await roundTrip(record([{ name: 'l', type: 'long' }]), { l: value });
    expect(structFields(result).l).toBe(value);
  });

  it('keeps int32 bounds', async () => {
    const { roundTrip } = setup();
    const schema = record([
      { name: 'lo', type: 'int' },
      { name: 'hi', type: 'int' },
    ]);
    expect(structFields(await roundTrip(schema, { lo: -2147483648, hi: 2147483647 }))).toEqual({ lo: -2147483648, hi: 2147483647 });
  });

  it('keeps float special values and double precision', async () => {
    const { roundTrip } = setup();
    const schema = record([
      { name: 'nan', type: 'double' },
      { name: 'inf', type: 'float' },
      { name: 'tiny', type: 'double' },
    ]);
    const fields = structFields(await roundTrip(schema, { nan: NaN, inf: -Infinity, tiny: 5e-324 }));
    expect(fields.nan).toBeNaN();
    expect(fields.inf).toBe(-Infinity);
    expect(fields.tiny).toBe(5e-324);
  });

  it('decodes unicode and emoji, and keeps the empty string apart from null', async () => {
    const { roundTrip } = setup();
    const schema = record([
      { name: 'emoji', type: 'string' },
      { name: 'cjk', type: 'string' },
      { name: 'empty', type: 'string' },
      { name: 'none', type: ['null', 'string'] },
      { name: 'long', type: 'string' },
    ]);
    const long = 'ж'.repeat(500);
    const fields = structFields(await roundTrip(schema, { emoji: '👍🏽 ok 🇫🇷', cjk: '漢字かな', empty: '', none: null, long }));
    expect(fields).toEqual({ emoji: '👍🏽 ok 🇫🇷', cjk: '漢字かな', empty: '', none: null, long });
  });

  it('maps connect.type int8 / int16 hints to INT8 / INT16', async () => {
    const { roundTrip } = setup();
    const schema = record([
      { name: 'a', type: { type: 'int', 'connect.type': 'int8' } },
      { name: 'b', type: { type: 'int', 'connect.type': 'int16' } },
      { name: 'c', type: ['null', { type: 'int', 'connect.type': 'int16' }], default: null },
    ]);
    const result = await roundTrip(schema, { a: -128, b: 32767, c: 7 });
    expect(fieldSchema(result, 'a').type).toBe('INT8');
    expect(fieldSchema(result, 'b').type).toBe('INT16');
    expect(fieldSchema(result, 'c')).toMatchObject({ type: 'INT16', optional: true });
    expect(structFields(result)).toEqual({ a: -128, b: 32767, c: 7 });
  });

  it('converts a top-level primitive schema (keys)', async () => {
    const { roundTrip } = setup();
    const s = await roundTrip('string', 'key-1');
    expect(s.schema).toMatchObject({ type: 'STRING', optional: false });
    expect(s.value).toBe('key-1');
    const l = await roundTrip('long', INT64_MAX);
    expect(l.schema.type).toBe('INT64');
    expect(l.value).toBe(INT64_MAX);
  });

  it('returns null for null bytes (tombstone or no key)', async () => {
    const { converter } = setup();
    await expect(converter.toConnectData('t', null)).resolves.toBeNull();
  });
});

describe('AvroConverter: enum and fixed', () => {
  it('turns an enum into a STRING with the enum logical type and name', async () => {
    const { roundTrip } = setup();
    const schema = record([{ name: 'e', type: { type: 'enum', name: 'Suit', namespace: 'cards', symbols: ['HEARTS', 'SPADES'] } }]);
    const result = await roundTrip(schema, { e: 'SPADES' });
    expect(fieldSchema(result, 'e')).toEqual({ type: 'STRING', optional: false, name: 'cards.Suit', logical: { kind: 'enum', symbols: ['HEARTS', 'SPADES'] } });
    expect(structFields(result).e).toBe('SPADES');
  });

  it('turns a fixed into BYTES', async () => {
    const { roundTrip } = setup();
    const schema = record([{ name: 'f', type: { type: 'fixed', name: 'Hash', size: 4 } }]);
    const result = await roundTrip(schema, { f: Buffer.from('abcd') });
    expect(fieldSchema(result, 'f')).toMatchObject({ type: 'BYTES', name: 'com.example.Hash' });
    expect(structFields(result).f).toEqual(Buffer.from('abcd'));
  });
});

describe('AvroConverter: decimals', () => {
  const decimalBytes = (precision: number, scale: number) => ({ type: 'bytes', logicalType: 'decimal', precision, scale });

  it.each([
    [1, 0, 0n],
    [10, 0, 1234567890n],
    [10, 2, -12345n],
    [5, 5, 99999n],
    [18, 9, 123456789123456789n],
    [18, 18, -999999999999999999n],
    [38, 0, 10n ** 38n - 1n],
    [38, 10, -(10n ** 38n - 1n)],
    [38, 38, 1n],
    [20, 3, -1n],
    [20, 3, 128n],
    [20, 3, -128n],
    [20, 3, 2n ** 63n],
  ])('bytes decimal(%i, %i) keeps %s exact', async (precision, scale, unscaled) => {
    const { roundTrip } = setup();
    const result = await roundTrip(record([{ name: 'd', type: decimalBytes(precision, scale) }]), { d: unscaledToBytes(unscaled) });
    expect(fieldSchema(result, 'd')).toEqual({ type: 'BYTES', optional: false, logical: { kind: 'decimal', precision, scale } });
    expect(structFields(result).d).toEqual({ unscaled, scale });
  });

  it.each([0, 1, 2, 3, 6, 9, 12, 15, 18])('keeps scale %i', async (scale) => {
    const { roundTrip } = setup();
    const unscaled = -(10n ** BigInt(scale + 1)) + 7n;
    const result = await roundTrip(record([{ name: 'd', type: decimalBytes(38, scale) }]), { d: unscaledToBytes(unscaled) });
    expect(structFields(result).d).toEqual({ unscaled, scale });
  });

  it('reads decimals on fixed, sign-extended, with precision up to the size limit', async () => {
    const { roundTrip } = setup();
    const schema = record([
      { name: 'small', type: { type: 'fixed', name: 'Dec4', size: 4, logicalType: 'decimal', precision: 9, scale: 2 } },
      { name: 'big', type: { type: 'fixed', name: 'Dec16', size: 16, logicalType: 'decimal', precision: 38, scale: 6 } },
    ]);
    const result = await roundTrip(schema, { small: unscaledToBytes(-5n, 4), big: unscaledToBytes(10n ** 38n - 1n, 16) });
    expect(fieldSchema(result, 'small').logical).toEqual({ kind: 'decimal', precision: 9, scale: 2 });
    expect(fieldSchema(result, 'big').logical).toEqual({ kind: 'decimal', precision: 38, scale: 6 });
    expect(structFields(result)).toEqual({ small: { unscaled: -5n, scale: 2 }, big: { unscaled: 10n ** 38n - 1n, scale: 6 } });
  });

  it('defaults the scale to 0', async () => {
    const { roundTrip } = setup();
    const result = await roundTrip(record([{ name: 'd', type: { type: 'bytes', logicalType: 'decimal', precision: 4 } }]), { d: unscaledToBytes(1234n) });
    expect(structFields(result).d).toEqual({ unscaled: 1234n, scale: 0 });
  });

  it.each([
    ['scale above precision', { type: 'bytes', logicalType: 'decimal', precision: 2, scale: 3 }],
    ['no precision', { type: 'bytes', logicalType: 'decimal', scale: 1 }],
    ['precision too large for the fixed size', { type: 'fixed', name: 'F2', size: 2, logicalType: 'decimal', precision: 5 }],
    ['a string', { type: 'string', logicalType: 'decimal', precision: 5 }],
  ])('ignores an invalid decimal (%s) and keeps the underlying type', async (_name, type) => {
    const { roundTrip } = setup();
    const value = (type as { type: string }).type === 'string' ? 'x' : Buffer.from([1, 2]);
    const result = await roundTrip(record([{ name: 'd', type }]), { d: value });
    expect(fieldSchema(result, 'd').logical).toBeUndefined();
    expect(structFields(result).d).toEqual(value);
  });
});

describe('AvroConverter: dates, times, timestamps, uuid', () => {
  it.each([
    ['epoch', 0],
    ['pre-1970', -719162], // 0001-01-01
    ['far future', 2932896], // 9999-12-31
  ])('date %s → days', async (_name, days) => {
    const { roundTrip } = setup();
    const result = await roundTrip(record([{ name: 'd', type: { type: 'int', logicalType: 'date' } }]), { d: days });
    expect(fieldSchema(result, 'd')).toEqual({ type: 'INT32', optional: false, logical: { kind: 'date' } });
    expect(structFields(result).d).toBe(days);
  });

  it('time-millis and time-micros → microseconds since midnight (bigint)', async () => {
    const { roundTrip } = setup();
    const schema = record([
      { name: 'ms', type: { type: 'int', logicalType: 'time-millis' } },
      { name: 'us', type: { type: 'long', logicalType: 'time-micros' } },
    ]);
    const result = await roundTrip(schema, { ms: 86_399_999, us: 86_399_999_999n });
    expect(fieldSchema(result, 'ms')).toEqual({ type: 'INT32', optional: false, logical: { kind: 'time', unit: 'millis' } });
    expect(fieldSchema(result, 'us')).toEqual({ type: 'INT64', optional: false, logical: { kind: 'time', unit: 'micros' } });
    expect(structFields(result)).toEqual({ ms: 86_399_999_000n, us: 86_399_999_999n });
  });

  it.each([
    ['epoch', 0n],
    ['one ms before the epoch', -1n],
    ['1900-01-01', -2208988800000n],
    ['0001-01-01', -62135596800000n],
    ['9999-12-31T23:59:59.999', 253402300799999n],
    ['year 200000', 6249223987200000n],
  ])('timestamp-millis %s → exact microseconds', async (_name, ms) => {
    const { roundTrip } = setup();
    const result = await roundTrip(record([{ name: 't', type: { type: 'long', logicalType: 'timestamp-millis' } }]), { t: ms });
    expect(fieldSchema(result, 't')).toEqual({ type: 'INT64', optional: false, logical: { kind: 'timestamp', unit: 'millis', local: false } });
    expect(structFields(result).t).toBe(ms * 1000n);
  });

  it.each([
    ['one µs before the epoch', -1n],
    ['pre-1970 with µs', -2208988800000001n],
    ['far future', 253402300799999999n],
    ['int64 max', INT64_MAX],
    ['int64 min', INT64_MIN],
  ])('timestamp-micros %s → exact microseconds', async (_name, us) => {
    const { roundTrip } = setup();
    const result = await roundTrip(record([{ name: 't', type: { type: 'long', logicalType: 'timestamp-micros' } }]), { t: us });
    expect(fieldSchema(result, 't').logical).toEqual({ kind: 'timestamp', unit: 'micros', local: false });
    expect(structFields(result).t).toBe(us);
  });

  it('local-timestamp-millis / -micros are marked local', async () => {
    const { roundTrip } = setup();
    const schema = record([
      { name: 'ms', type: { type: 'long', logicalType: 'local-timestamp-millis' } },
      { name: 'us', type: { type: 'long', logicalType: 'local-timestamp-micros' } },
    ]);
    const result = await roundTrip(schema, { ms: -86_400_000n, us: 1_700_000_000_123_456n });
    expect(fieldSchema(result, 'ms').logical).toEqual({ kind: 'timestamp', unit: 'millis', local: true });
    expect(fieldSchema(result, 'us').logical).toEqual({ kind: 'timestamp', unit: 'micros', local: true });
    expect(structFields(result)).toEqual({ ms: -86_400_000_000n, us: 1_700_000_000_123_456n });
  });

  it('uuid → STRING with the uuid logical type', async () => {
    const { roundTrip } = setup();
    const result = await roundTrip(record([{ name: 'u', type: { type: 'string', logicalType: 'uuid' } }]), { u: '123e4567-e89b-12d3-a456-426614174000' });
    expect(fieldSchema(result, 'u')).toEqual({ type: 'STRING', optional: false, logical: { kind: 'uuid' } });
    expect(structFields(result).u).toBe('123e4567-e89b-12d3-a456-426614174000');
  });

  it('ignores a logical type on the wrong underlying type and unknown logical types', async () => {
    const { roundTrip } = setup();
    const schema = record([
      { name: 'a', type: { type: 'string', logicalType: 'date' } },
      { name: 'b', type: { type: 'long', logicalType: 'made-up' } },
      { name: 'c', type: { type: 'int', logicalType: 'timestamp-millis' } },
    ]);
    const result = await roundTrip(schema, { a: '2020-01-01', b: 5n, c: 7 });
    expect(result.schema.fields!.map((f) => [f.schema.type, f.schema.logical])).toEqual([
      ['STRING', undefined],
      ['INT64', undefined],
      ['INT32', undefined],
    ]);
    expect(structFields(result)).toEqual({ a: '2020-01-01', b: 5n, c: 7 });
  });

  it('keeps optional logical types optional', async () => {
    const { roundTrip } = setup();
    const schema = record([
      { name: 't', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }] },
      { name: 'd', type: [{ type: 'bytes', logicalType: 'decimal', precision: 5, scale: 2 }, 'null'] },
    ]);
    const result = await roundTrip(schema, { t: 5n, d: null });
    expect(fieldSchema(result, 't')).toEqual({ type: 'INT64', optional: true, logical: { kind: 'timestamp', unit: 'millis', local: false } });
    expect(fieldSchema(result, 'd')).toEqual({ type: 'BYTES', optional: true, logical: { kind: 'decimal', precision: 5, scale: 2 } });
    expect(structFields(result)).toEqual({ t: 5000n, d: null });
  });
});

describe('AvroConverter: nested types', () => {
  it('converts nested records, arrays and maps', async () => {
    const { roundTrip } = setup();
    const address = { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }, { name: 'zip', type: ['null', 'int'] }] };
    const schema = record([
      { name: 'home', type: address },
      { name: 'others', type: { type: 'array', items: 'Address' } },
      { name: 'tags', type: { type: 'array', items: 'string' } },
      { name: 'scores', type: { type: 'map', values: 'long' } },
      { name: 'matrix', type: { type: 'array', items: { type: 'array', items: 'int' } } },
      { name: 'byDay', type: { type: 'map', values: { type: 'array', items: { type: 'int', logicalType: 'date' } } } },
    ]);
    const result = await roundTrip(schema, {
      home: { city: 'Zürich', zip: 8000 },
      others: [{ city: 'Bern', zip: null }],
      tags: ['a', ''],
      scores: { x: INT64_MAX, y: -1n },
      matrix: [[1, 2], []],
      byDay: { mon: [0, -1] },
    });
    const home = fieldSchema(result, 'home');
    expect(home).toMatchObject({ type: 'STRUCT', name: 'com.example.Address' });
    expect(home.fields!.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['city', 'STRING', false],
      ['zip', 'INT32', true],
    ]);
    expect(fieldSchema(result, 'others')).toMatchObject({ type: 'ARRAY', items: { type: 'STRUCT', name: 'com.example.Address' } });
    expect(fieldSchema(result, 'scores')).toMatchObject({ type: 'MAP', keys: { type: 'STRING' }, values: { type: 'INT64' } });
    expect(fieldSchema(result, 'byDay')).toMatchObject({ type: 'MAP', values: { type: 'ARRAY', items: { type: 'INT32', logical: { kind: 'date' } } } });
    const fields = structFields(result);
    expect(fields.home).toEqual({ kind: 'struct', fields: { city: 'Zürich', zip: 8000 } });
    expect(fields.others).toEqual([{ kind: 'struct', fields: { city: 'Bern', zip: null } }]);
    expect(fields.tags).toEqual(['a', '']);
    expect(fields.scores).toEqual({ kind: 'map', entries: [['x', INT64_MAX], ['y', -1n]] } satisfies MapValue);
    expect(fields.matrix).toEqual([[1, 2], []]);
    expect(fields.byDay).toEqual({ kind: 'map', entries: [['mon', [0, -1]]] });
  });

  it('turns a self-recursive record into a variant at the point of recursion', async () => {
    const { roundTrip } = setup();
    const schema = { type: 'record', name: 'Node', fields: [{ name: 'v', type: 'long' }, { name: 'next', type: ['null', 'Node'] }] };
    const result = await roundTrip(schema, { v: 1n, next: { v: 2n, next: { v: 3n, next: null } } });
    expect(fieldSchema(result, 'next')).toEqual({ type: 'STRING', optional: true, logical: { kind: 'variant' } });
    expect(structFields(result)).toEqual({ v: 1n, next: { v: 2n, next: { v: 3n, next: null } } });
  });
});

describe('AvroConverter: unions', () => {
  it('[null, T] and [T, null] are optional T', async () => {
    const { roundTrip } = setup();
    const schema = record([
      { name: 'a', type: ['null', 'string'] },
      { name: 'b', type: ['long', 'null'] },
      { name: 'c', type: ['null', { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'int' }] }] },
      { name: 'single', type: ['int'] },
    ]);
    const result = await roundTrip(schema, { a: 'x', b: null, c: { x: 1 }, single: 3 });
    expect(result.schema.fields!.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['a', 'STRING', true],
      ['b', 'INT64', true],
      ['c', 'STRUCT', true],
      ['single', 'INT32', false],
    ]);
    expect(structFields(result)).toEqual({ a: 'x', b: null, c: { kind: 'struct', fields: { x: 1 } }, single: 3 });
  });

  it('a union of several non-null types is a variant holding the branch value as JSON', async () => {
    const { registry, converter } = setup();
    const schema = record([
      { name: 'u', type: ['null', 'string', 'long', 'bytes', { type: 'fixed', name: 'Dec3', size: 3, logicalType: 'decimal', precision: 6, scale: 2 }] },
    ]);
    // Branch indexes and payloads written by hand.
    const id = registry.register(schema);
    const convert = async (branch: number, payload: number[]) => {
      const r = await converter.toConnectData('t', encodeWireFormat(id, Buffer.from([branch * 2, ...payload])));
      return structFields(r).u;
    };
    expect(await convert(0, [])).toBeNull();
    expect(await convert(1, [6, 0x61, 0x62, 0x63])).toBe('abc');
    expect(await convert(2, [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).toBe(INT64_MAX);
    expect(await convert(3, [4, 0xff, 0x00])).toBe('/wA=');
    expect(await convert(4, [0xff, 0xff, 0x85])).toBe('-1.23');
  });

  it('renders records, decimals, timestamps, dates and maps inside a variant', async () => {
    const { roundTrip } = setup();
    const a = { type: 'record', name: 'A', fields: [{ name: 'when', type: { type: 'long', logicalType: 'timestamp-micros' } }, { name: 'm', type: { type: 'map', values: 'int' } }] };
    const b = { type: 'record', name: 'B', fields: [{ name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } }, { name: 'day', type: { type: 'int', logicalType: 'date' } }] };
    const schema = record([{ name: 'u', type: [a, b] }]);
    const first = await roundTrip(schema, { u: { 'com.example.A': { when: -1n, m: { k: 1 } } } }, true);
    expect(fieldSchema(first, 'u')).toEqual({ type: 'STRING', optional: false, logical: { kind: 'variant' } });
    expect(structFields(first).u).toEqual({ when: '1969-12-31T23:59:59.999999Z', m: { k: 1 } });
    const second = await roundTrip(schema, { u: { 'com.example.B': { amount: unscaledToBytes(-1234n), day: -1 } } }, true);
    expect(structFields(second).u).toEqual({ amount: '-12.34', day: '1969-12-31' });
  });

  it('a union of string and int with null is an optional variant', async () => {
    const { roundTrip } = setup();
    const schema = record([{ name: 'u', type: ['null', 'string', 'int'], default: null }]);
    const result = await roundTrip(schema, { u: { int: 7 } }, true);
    expect(fieldSchema(result, 'u')).toEqual({ type: 'STRING', optional: true, logical: { kind: 'variant' }, defaultValue: null });
    expect(structFields(result).u).toBe(7);
  });
});

describe('AvroConverter: defaults', () => {
  it('converts field defaults into the value model', async () => {
    const schema = record([
      { name: 'i', type: 'int', default: -1 },
      { name: 'l', type: 'long', default: 9223372036854775807n },
      { name: 'lsmall', type: 'long', default: 42 },
      { name: 'd', type: 'double', default: 1.25 },
      { name: 'b', type: 'boolean', default: true },
      { name: 's', type: 'string', default: 'héllo' },
      { name: 'empty', type: 'string', default: '' },
      { name: 'opt', type: ['null', 'string'], default: null },
      { name: 'by', type: 'bytes', default: '\u0000\u00ff' },
      { name: 'e', type: { type: 'enum', name: 'E', symbols: ['X', 'Y'] }, default: 'Y' },
      { name: 'dec', type: { type: 'bytes', logicalType: 'decimal', precision: 5, scale: 2 }, default: '\u00ff\u0000' },
      { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' }, default: -1 },
      { name: 'day', type: { type: 'int', logicalType: 'date' }, default: 19000 },
      { name: 'arr', type: { type: 'array', items: 'long' }, default: [1, 2] },
      { name: 'map', type: { type: 'map', values: 'int' }, default: { a: 1 } },
      { name: 'rec', type: { type: 'record', name: 'R', fields: [{ name: 'x', type: 'int' }] }, default: { x: 5 } },
      { name: 'var', type: ['string', 'int'], default: 'dflt' },
      { name: 'none', type: 'int' },
    ]);
    // The schema text is what the registry holds: write the long default as a bare integer.
    const text = JSON.stringify(schema, (_k, v: unknown) => (typeof v === 'bigint' ? `@@${v}@@` : v)).replace(/"@@(-?\d+)@@"/g, '$1');
    const value = { i: 0, l: 0n, lsmall: 0n, d: 0, b: false, s: '', empty: 'x', opt: null, by: Buffer.alloc(0), e: 'X', dec: Buffer.from([0]), ts: 0n, day: 0, arr: [], map: {}, rec: { x: 0 }, var: 'v', none: 0 };
    const { registry, converter } = setup();
    const id = registry.register(text);
    const result = (await converter.toConnectData('t', encodeAvro(id, schema, value)))!;
    const defaults = Object.fromEntries(result.schema.fields!.map((f) => [f.name, f.schema.defaultValue]));
    expect(defaults).toEqual({
      i: -1,
      l: 9223372036854775807n,
      lsmall: 42n,
      d: 1.25,
      b: true,
      s: 'héllo',
      empty: '',
      opt: null,
      by: Buffer.from([0, 255]),
      e: 'Y',
      dec: { unscaled: -256n, scale: 2 } satisfies Decimal,
      ts: -1000n,
      day: 19000,
      arr: [1n, 2n],
      map: { kind: 'map', entries: [['a', 1]] },
      rec: { kind: 'struct', fields: { x: 5 } },
      var: 'dflt',
      none: undefined,
    });
    expect('defaultValue' in fieldSchema(result, 'none')).toBe(false);
  });
});

describe('AvroConverter: schema ids and caching', () => {
  it('sets Schema.version to the schema id and translates a schema once', async () => {
    const { registry, converter } = setup();
    const schema = record([{ name: 'x', type: 'int' }]);
    const id = registry.register(schema, 'AVRO', { id: 4242 });
    const results = await Promise.all([1, 2, 3].map((x) => converter.toConnectData('t', encodeAvro(id, schema, { x }))));
    const more = await converter.toConnectData('t', encodeAvro(id, schema, { x: 4 }));
    expect(results[0]!.schema.version).toBe(4242);
    expect(results[1]!.schema).toBe(results[0]!.schema);
    expect(more!.schema).toBe(results[0]!.schema);
    expect(registry.lookupCount(4242)).toBe(1);
    expect([...results, more].map((r) => structFields(r!).x)).toEqual([1, 2, 3, 4]);
  });

  it('decodes records of different schema versions interleaved', async () => {
    const { registry, converter } = setup();
    const v1 = record([{ name: 'a', type: 'int' }]);
    const v2 = record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: '' }]);
    const id1 = registry.register(v1);
    const id2 = registry.register(v2);
    const r1 = await converter.toConnectData('t', encodeAvro(id1, v1, { a: 1 }));
    const r2 = await converter.toConnectData('t', encodeAvro(id2, v2, { a: 2, b: 'x' }));
    const r3 = await converter.toConnectData('t', encodeAvro(id1, v1, { a: 3 }));
    expect([r1!.schema.version, r2!.schema.version, r3!.schema.version]).toEqual([id1, id2, id1]);
    expect(structFields(r2!)).toEqual({ a: 2, b: 'x' });
  });

  it('resolves named types from schema references', async () => {
    const { registry, converter } = setup();
    const address = { type: 'record', name: 'Address', namespace: 'com.example', fields: [{ name: 'city', type: 'string' }] };
    const order = record([{ name: 'ship', type: 'com.example.Address' }], 'com.example.Order');
    const id = registry.register(order, 'AVRO', { references: [{ name: 'com.example.Address', subject: 'address', version: 1, format: 'AVRO', schema: JSON.stringify(address) }] });
    const writer = { ...order, fields: [{ name: 'ship', type: address }] };
    const result = await converter.toConnectData('t', encodeAvro(id, writer, { ship: { city: 'Oslo' } }));
    expect(structFields(result!).ship).toEqual({ kind: 'struct', fields: { city: 'Oslo' } });
  });
});

describe('AvroConverter: errors', () => {
  const schema = record([{ name: 's', type: 'string' }, { name: 'm', type: { type: 'map', values: 'int' } }]);

  it('rejects a wrong magic byte as RECORD_UNDECODABLE', async () => {
    const { registry, converter } = setup();
    const id = registry.register(schema);
    const bytes = encodeAvro(id, schema, { s: 'x', m: {} });
    bytes[0] = 1;
    const err = await rejection(converter.toConnectData('t', bytes));
    expect(err.code).toBe('RECORD_UNDECODABLE');
    expect(err.message).toMatch(/magic byte 1/);
    expect(err.position).toBeUndefined();
    expect(registry.lookupCount(id)).toBe(0);
  });

  it('rejects data shorter than the header, and empty data', async () => {
    const { converter } = setup();
    expect((await rejection(converter.toConnectData('t', Buffer.from([0, 0, 0])))).code).toBe('RECORD_UNDECODABLE');
    expect((await rejection(converter.toConnectData('t', Buffer.alloc(0)))).code).toBe('RECORD_UNDECODABLE');
  });

  it('names an unknown schema id: SCHEMA_NOT_FOUND', async () => {
    const { converter } = setup();
    const err = await rejection(converter.toConnectData('t', encodeWireFormat(987654, Buffer.from([0]))));
    expect(err.code).toBe('SCHEMA_NOT_FOUND');
    expect(err.message).toContain('987654');
    expect(err.isRecordError).toBe(true);
  });

  it('reports a registry that is down as retriable SCHEMA_REGISTRY_UNAVAILABLE, then recovers', async () => {
    const { registry, converter } = setup();
    const id = registry.register(schema);
    registry.down = true;
    const bytes = encodeAvro(id, schema, { s: 'x', m: {} });
    const err = await rejection(converter.toConnectData('t', bytes));
    expect(err.code).toBe('SCHEMA_REGISTRY_UNAVAILABLE');
    expect(err.isRetriable).toBe(true);
    registry.down = false;
    expect(structFields((await converter.toConnectData('t', bytes))!)).toEqual({ s: 'x', m: { kind: 'map', entries: [] } });
  });

  it('rejects invalid UTF-8 in a string without quoting it', async () => {
    const { registry, converter } = setup();
    const id = registry.register(schema);
    // s: length 2 (zig-zag 4), bytes C3 28 (invalid), m: empty map (0)
    const err = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from([4, 0xc3, 0x28, 0]))));
    expect(err.code).toBe('RECORD_UNDECODABLE');
    expect(err.message).toMatch(/UTF-8/);
  });

  it('rejects invalid UTF-8 in a long string and in a map key', async () => {
    const { registry, converter } = setup();
    const id = registry.register(schema);
    const long = Buffer.alloc(100, 0x61);
    long[99] = 0xff;
    const err1 = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from([200, 1, ...long, 0]))));
    expect(err1.message).toMatch(/UTF-8/);
    // s: "" ; m: one entry, key of 1 byte 0x80, value 0, end of map
    const err2 = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from([0, 2, 2, 0x80, 0, 0]))));
    expect(err2.code).toBe('RECORD_UNDECODABLE');
    expect(err2.message).toMatch(/UTF-8/);
  });

  it('rejects truncated data and trailing bytes', async () => {
    const { registry, converter } = setup();
    const id = registry.register(schema);
    const good = encodeAvro(id, schema, { s: 'secret-value', m: { k: 1 } });
    const truncated = await rejection(converter.toConnectData('t', good.subarray(0, good.length - 2)));
    expect(truncated.code).toBe('RECORD_UNDECODABLE');
    expect(truncated.message).not.toContain('secret');
    const trailing = await rejection(converter.toConnectData('t', Buffer.from([...good, 1, 2])));
    expect(trailing.code).toBe('RECORD_UNDECODABLE');
    expect(trailing.message).toMatch(/2 bytes after/);
  });

  it('rejects a huge array count without looping over it', async () => {
    const { registry, converter } = setup();
    const arr = record([{ name: 'a', type: { type: 'array', items: 'long' } }]);
    const id = registry.register(arr);
    const err = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from([0xfe, 0xff, 0xff, 0xff, 0x0f, 2]))));
    expect(err.code).toBe('RECORD_UNDECODABLE');
  });

  it('rejects an out-of-range enum index and union index', async () => {
    const { registry, converter } = setup();
    const e = record([{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['A'] } }]);
    const eId = registry.register(e);
    expect((await rejection(converter.toConnectData('t', encodeWireFormat(eId, Buffer.from([4]))))).code).toBe('RECORD_UNDECODABLE');
    const u = record([{ name: 'u', type: ['null', 'string', 'int'] }]);
    const uId = registry.register(u);
    expect((await rejection(converter.toConnectData('t', encodeWireFormat(uId, Buffer.from([20]))))).code).toBe('RECORD_UNDECODABLE');
  });

  it('rejects a schema id that holds a JSON schema, and an invalid Avro schema', async () => {
    const { registry, converter } = setup();
    const jsonId = registry.register({ type: 'object' }, 'JSON');
    expect((await rejection(converter.toConnectData('t', encodeWireFormat(jsonId, Buffer.from([0]))))).message).toMatch(/JSON schema, expected AVRO/);
    const badId = registry.register({ type: 'record', name: 'R', fields: [{ name: 'x', type: 'nope' }] });
    const err = await rejection(converter.toConnectData('t', encodeWireFormat(badId, Buffer.from([0]))));
    expect(err.code).toBe('RECORD_UNDECODABLE');
    expect(err.message).toContain(`schema id ${badId}`);
  });
});
