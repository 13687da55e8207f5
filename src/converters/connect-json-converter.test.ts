import type { SchemaAndValue } from '../record/schema';
import { ConnectJsonConverter } from './connect-json-converter';
import { rejection, structFields } from '../../test-support/converter';
import { INFERRED_NULL_SCHEMA } from './json-inference';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

async function convert(converter: ConnectJsonConverter, text: string | Buffer): Promise<SchemaAndValue | null> {
  return converter.toConnectData('t', typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
}

function envelope(schema: object | null, payload: string): string {
  return `{"schema":${JSON.stringify(schema)},"payload":${payload}}`;
}

describe('ConnectJsonConverter, schemas.enable=false: inference', () => {
  const converter = () => new ConnectJsonConverter(false);

  it('infers INT64, FLOAT64, BOOLEAN, STRING and variant fields, all optional, in text order', async () => {
    const result = await convert(converter(), '{"i": 1, "f": 1.5, "b": true, "s": "x", "o": {"a": [1, 2.5]}, "a": [1, "x"], "e": ""}');
    expect(result!.schema.type).toBe('STRUCT');
    expect(result!.schema.optional).toBe(false);
    expect(result!.schema.fields!.map((f) => [f.name, f.schema.type, f.schema.optional, f.schema.logical?.kind])).toEqual([
      ['i', 'INT64', true, undefined],
      ['f', 'FLOAT64', true, undefined],
      ['b', 'BOOLEAN', true, undefined],
      ['s', 'STRING', true, undefined],
      ['o', 'STRING', true, 'variant'],
      ['a', 'STRING', true, 'variant'],
      ['e', 'STRING', true, undefined],
    ]);
    // Inside a variant an integer may be a number or a bigint: both are the same JSON.
    expect(structFields(result)).toEqual({ i: 1n, f: 1.5, b: true, s: 'x', o: { a: [1, 2.5] }, a: [1, 'x'], e: '' });
  });

  it('keeps integers exact beyond 2^53 up to the int64 bounds, in fields and nested', async () => {
    const result = await convert(converter(), `{"max": ${INT64_MAX}, "min": ${INT64_MIN}, "p": 9007199254740993, "nested": {"n": 9007199254740993}}`);
    expect(structFields(result)).toEqual({ max: INT64_MAX, min: INT64_MIN, p: 9007199254740993n, nested: { n: 9007199254740993n } });
  });

  it('rejects an integer field beyond int64 as VALUE_OUT_OF_RANGE', async () => {
    const err = await rejection(convert(converter(), '{"big": 9223372036854775808}'));
    expect(err.code).toBe('VALUE_OUT_OF_RANGE');
    expect(err.message).toContain('big');
    expect(err.message).not.toContain('9223372036854775808');
  });

  it('types 1.0 and 1e3 as FLOAT64 (the literal decides, as in Kafka Connect)', async () => {
    const result = await convert(converter(), '{"a": 1.0, "b": 1e3, "c": -0.0, "d": 0.1000000000000000055511151231257827}');
    expect(result!.schema.fields!.map((f) => f.schema.type)).toEqual(['FLOAT64', 'FLOAT64', 'FLOAT64', 'FLOAT64']);
    expect(structFields(result)).toEqual({ a: 1, b: 1000, c: -0, d: 0.1 });
  });

  it('turns long float literals nested in variants into numbers', async () => {
    const result = await convert(converter(), '{"o": {"x": [0.12345678901234567890]}}');
    expect(structFields(result)).toEqual({ o: { x: [0.12345678901234568] } });
  });

  it('gives a null field the shared INFERRED_NULL_SCHEMA (optional STRING, value null)', async () => {
    const result = await convert(converter(), '{"id": 1, "gone": null}');
    expect(result!.schema.fields![1].schema).toBe(INFERRED_NULL_SCHEMA);
    expect(INFERRED_NULL_SCHEMA).toEqual({ type: 'STRING', optional: true });
    expect(structFields(result)).toEqual({ id: 1n, gone: null });
  });

  it('shares one schema object between records of the same shape', async () => {
    const c = converter();
    const a = await convert(c, '{"id": 1, "name": "a"}');
    const b = await convert(c, '{"id": 2, "name": "b"}');
    const other = await convert(c, '{"id": "3", "name": "c"}');
    const reordered = await convert(c, '{"name": "d", "id": 4}');
    expect(b!.schema).toBe(a!.schema);
    expect(other!.schema).not.toBe(a!.schema);
    expect(reordered!.schema).not.toBe(a!.schema);
    expect(reordered!.schema.fields!.map((f) => f.name)).toEqual(['name', 'id']);
  });

  it('keeps unicode, emoji, escapes, the empty string and a key named __proto__', async () => {
    const result = await convert(converter(), '{"s": "👍🏽 \\u00e9\\ud83d\\ude00\\n", "e": "", "__proto__": 5, "Case": 1, "case": 2}');
    const f = structFields(result);
    expect(f.s).toBe('👍🏽 é😀\n');
    expect(f.e).toBe('');
    expect(Object.getOwnPropertyDescriptor(f, '__proto__')?.value).toBe(5n);
    expect(Object.getPrototypeOf(f)).toBe(Object.prototype);
    expect([f.Case, f.case]).toEqual([1n, 2n]);
  });

  it('lets the last of duplicate keys win (as Jackson does)', async () => {
    expect(structFields(await convert(converter(), '{"a": 1, "a": 2}'))).toEqual({ a: 2n });
  });

  it('converts top-level primitives to their own schema, arrays to a variant, null to no value', async () => {
    const c = converter();
    expect(await convert(c, '42')).toEqual({ schema: { type: 'INT64', optional: false }, value: 42n });
    expect(await convert(c, '"k"')).toEqual({ schema: { type: 'STRING', optional: false }, value: 'k' });
    expect(await convert(c, 'true')).toEqual({ schema: { type: 'BOOLEAN', optional: false }, value: true });
    expect(await convert(c, '2.5')).toEqual({ schema: { type: 'FLOAT64', optional: false }, value: 2.5 });
    expect(await convert(c, '[1, {"a": null}]')).toEqual({ schema: { type: 'STRING', optional: false, logical: { kind: 'variant' } }, value: [1, { a: null }] });
    expect(await convert(c, 'null')).toBeNull();
    expect(await c.toConnectData('t', null)).toBeNull();
  });

  it('skips a byte order mark and surrounding whitespace', async () => {
    expect(structFields(await convert(converter(), '\ufeff  {"a": 1}\n'))).toEqual({ a: 1n });
  });

  it('rejects invalid UTF-8, invalid JSON and empty data as RECORD_UNDECODABLE without quoting them', async () => {
    const c = converter();
    const utf8 = await rejection(convert(c, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])));
    expect(utf8.code).toBe('RECORD_UNDECODABLE');
    expect(utf8.message).toMatch(/UTF-8/);
    const overlong = await rejection(convert(c, Buffer.from([0x22, 0xc0, 0xaf, 0x22])));
    expect(overlong.code).toBe('RECORD_UNDECODABLE');
    const surrogate = await rejection(convert(c, Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])));
    expect(surrogate.code).toBe('RECORD_UNDECODABLE');
    const json = await rejection(convert(c, '{"password": "hunter2",}'));
    expect(json.code).toBe('RECORD_UNDECODABLE');
    expect(json.message).not.toContain('hunter2');
    expect((await rejection(convert(c, ''))).code).toBe('RECORD_UNDECODABLE');
    expect((await rejection(convert(c, '{"a": 1} x'))).code).toBe('RECORD_UNDECODABLE');
  });
});

describe('ConnectJsonConverter, schemas.enable=true', () => {
  const converter = () => new ConnectJsonConverter(true);

  const structSchema = {
    type: 'struct',
    name: 'com.example.Row',
    version: 3,
    optional: false,
    fields: [
      { field: 'i8', type: 'int8' },
      { field: 'i16', type: 'int16' },
      { field: 'i32', type: 'int32' },
      { field: 'i64', type: 'int64' },
      { field: 'f32', type: 'float' },
      { field: 'f64', type: 'double' },
      { field: 'b', type: 'boolean' },
      { field: 's', type: 'string', optional: true },
      { field: 'by', type: 'bytes' },
      { field: 'arr', type: 'array', items: { type: 'int32' } },
      { field: 'm', type: 'map', keys: { type: 'string' }, values: { type: 'int64' } },
      { field: 'nested', type: 'struct', fields: [{ field: 'x', type: 'string' }] },
    ],
  };

  it('translates Connect schema JSON and converts the payload', async () => {
    const payload = `{"i8": -128, "i16": 32767, "i32": -2147483648, "i64": ${INT64_MAX}, "f32": 1.5, "f64": 0.1, "b": false, "s": null,
      "by": "AP8=", "arr": [1, 2], "m": {"a": ${INT64_MIN}}, "nested": {"x": "ü"}}`;
    const result = await convert(converter(), envelope(structSchema, payload));
    expect(result!.schema).toMatchObject({ type: 'STRUCT', name: 'com.example.Row', version: 3, optional: false });
    expect(result!.schema.fields!.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['i8', 'INT8', false],
      ['i16', 'INT16', false],
      ['i32', 'INT32', false],
      ['i64', 'INT64', false],
      ['f32', 'FLOAT32', false],
      ['f64', 'FLOAT64', false],
      ['b', 'BOOLEAN', false],
      ['s', 'STRING', true],
      ['by', 'BYTES', false],
      ['arr', 'ARRAY', false],
      ['m', 'MAP', false],
      ['nested', 'STRUCT', false],
    ]);
    expect(structFields(result)).toEqual({
      i8: -128,
      i16: 32767,
      i32: -2147483648,
      i64: INT64_MAX,
      f32: 1.5,
      f64: 0.1,
      b: false,
      s: null,
      by: Buffer.from([0, 255]),
      arr: [1, 2],
      m: { kind: 'map', entries: [['a', INT64_MIN]] },
      nested: { kind: 'struct', fields: { x: 'ü' } },
    });
  });

  it('translates a schema once per distinct schema text', async () => {
    const c = converter();
    const schema = { type: 'struct', fields: [{ field: 'a', type: 'int64' }] };
    const one = await convert(c, envelope(schema, '{"a": 1}'));
    const two = await convert(c, envelope(schema, '{"a": 2}'));
    const spaced = await convert(c, `{ "payload" : {"a": 3} , "schema" : ${JSON.stringify(schema)} }`);
    expect(two!.schema).toBe(one!.schema);
    expect(structFields(spaced)).toEqual({ a: 3n });
  });

  it.each([
    ['int8 overflow', 'int8', '128'],
    ['int16 underflow', 'int16', '-32769'],
    ['int32 overflow', 'int32', '2147483648'],
    ['int64 overflow', 'int64', '9223372036854775808'],
  ])('rejects %s as VALUE_OUT_OF_RANGE', async (_name, type, literal) => {
    const err = await rejection(convert(converter(), envelope({ type: 'struct', fields: [{ field: 'n', type }] }, `{"n": ${literal}}`)));
    expect(err.code).toBe('VALUE_OUT_OF_RANGE');
    expect(err.message).toContain('n');
  });

  it('converts Decimal (base64 and numeric), Date, Time and Timestamp', async () => {
    const schema = {
      type: 'struct',
      fields: [
        { field: 'd', type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2', 'connect.decimal.precision': '10' } },
        { field: 'dn', type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '3' } },
        { field: 'big', type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '10', 'connect.decimal.precision': '38' } },
        { field: 'day', type: 'int32', name: 'org.apache.kafka.connect.data.Date' },
        { field: 'time', type: 'int32', name: 'org.apache.kafka.connect.data.Time' },
        { field: 'ts', type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' },
        { field: 'dbz', type: 'int64', name: 'io.debezium.time.MicroTimestamp' },
      ],
    };
    // -12345 as two's complement: 0xCFC7 → "z8c="
    const payload = '{"d": "z8c=", "dn": -1.5, "big": 1234567890123456789012345678.0123456789, "day": -1, "time": 86399999, "ts": -1, "dbz": 1700000000123456}';
    const result = await convert(converter(), envelope(schema, payload));
    const f = result!.schema.fields!;
    expect(f[0].schema.logical).toEqual({ kind: 'decimal', precision: 10, scale: 2 });
    expect(f[1].schema.logical).toEqual({ kind: 'decimal', precision: 38, scale: 3 });
    expect(f[3].schema.logical).toEqual({ kind: 'date' });
    expect(f[4].schema.logical).toEqual({ kind: 'time', unit: 'millis' });
    expect(f[5].schema.logical).toEqual({ kind: 'timestamp', unit: 'millis', local: false });
    expect(f[6].schema.logical).toEqual({ kind: 'timestamp', unit: 'micros', local: true });
    expect(structFields(result)).toEqual({
      d: { unscaled: -12345n, scale: 2 },
      dn: { unscaled: -1500n, scale: 3 },
      big: { unscaled: 12345678901234567890123456780123456789n, scale: 10 },
      day: -1,
      time: 86_399_999_000n,
      ts: -1000n,
      dbz: 1_700_000_000_123_456n,
    });
  });

  it('reads the same values when payloads never hold a Decimal as a number (the plugin\'s hand-off: base64)', async () => {
    const schema = {
      type: 'struct',
      fields: [
        { field: 'd', type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2', 'connect.decimal.precision': '12' } },
        { field: 'price', type: 'double' },
        { field: 'large', type: 'double' },
        { field: 'f', type: 'float' },
        { field: 'i64', type: 'int64' },
        { field: 'negZero', type: 'double' },
      ],
    };
    const payloads = [
      '{"d": "z8c=", "price": 1.0243999999999998, "large": 1.23456785E7, "f": 0.1, "i64": 9007199254740993, "negZero": -0.0}',
      '{"d": "AJiWfw==", "price": 0.30000000000000004, "large": 1.0E21, "f": 3.4E38, "i64": -9223372036854775808, "negZero": 2.0E-7}',
    ];
    for (const payload of payloads) {
      const handoff = await convert(new ConnectJsonConverter(true, false), envelope(schema, payload));
      expect(structFields(handoff)).toEqual(structFields(await convert(converter(), envelope(schema, payload))));
    }
    expect(structFields(await convert(new ConnectJsonConverter(true, false), envelope(schema, payloads[0])))).toEqual({
      d: { unscaled: -12345n, scale: 2 },
      price: 1.0243999999999998,
      large: 12345678.5,
      f: 0.1,
      i64: 9007199254740993n,
      negZero: -0,
    });
  });

  it('rejects a numeric decimal with more places than its scale', async () => {
    const schema = { type: 'struct', fields: [{ field: 'd', type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '1' } }] };
    expect((await rejection(convert(converter(), envelope(schema, '{"d": 1.25}')))).code).toBe('VALUE_OUT_OF_RANGE');
  });

  it('uses defaults for missing and null fields, and rejects a missing required field', async () => {
    const schema = {
      type: 'struct',
      fields: [
        { field: 'a', type: 'int64', default: 1234 },
        { field: 'b', type: 'string', optional: true, default: 'dflt' },
        { field: 'c', type: 'string', optional: true },
        { field: 'd', type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' }, default: 'AQ==' },
      ],
    };
    // The schema text carries an integer default beyond 2^53: it must stay exact.
    const text = envelope(schema, '{"b": null}').replace('"default":1234', '"default":9007199254740993');
    const result = await convert(converter(), text);
    expect(result!.schema.fields!.map((f) => f.schema.defaultValue)).toEqual([9007199254740993n, 'dflt', undefined, { unscaled: 1n, scale: 2 }]);
    expect(structFields(result)).toEqual({ a: 9007199254740993n, b: 'dflt', c: null, d: { unscaled: 1n, scale: 2 } });
    const required = { type: 'struct', fields: [{ field: 'must', type: 'string' }] };
    const err = await rejection(convert(converter(), envelope(required, '{}')));
    expect(err.code).toBe('RECORD_UNDECODABLE');
    expect(err.message).toContain('must');
  });

  it('reads maps with non-string keys as [key, value] pairs', async () => {
    const schema = { type: 'map', keys: { type: 'int32' }, values: { type: 'string', optional: true } };
    const result = await convert(converter(), envelope(schema, '[[1, "a"], [2, null]]'));
    expect(result!.value).toEqual({ kind: 'map', entries: [[1, 'a'], [2, null]] });
  });

  it('accepts a null schema (schemaless payload) and a null payload (no value)', async () => {
    const c = converter();
    expect(structFields(await convert(c, envelope(null, '{"a": 1}')))).toEqual({ a: 1n });
    expect(await convert(c, envelope({ type: 'string', optional: true }, 'null'))).toBeNull();
  });

  it('rejects data that is not an envelope', async () => {
    const c = converter();
    for (const text of ['{"a": 1}', '{"schema": {"type": "string"}}', '{"schema": {"type": "string"}, "payload": "x", "extra": 1}', '[1]', '"x"']) {
      const err = await rejection(convert(c, text));
      expect(err.code).toBe('RECORD_UNDECODABLE');
      expect(err.message).toMatch(/schema.*payload/);
    }
  });

  it('rejects payloads that do not match the schema, naming the field not the value', async () => {
    const schema = { type: 'struct', fields: [{ field: 'n', type: 'int32' }, { field: 's', type: 'string' }, { field: 'by', type: 'bytes' }] };
    const c = converter();
    const wrongType = await rejection(convert(c, envelope(schema, '{"n": "topsecret", "s": "x", "by": ""}')));
    expect(wrongType.code).toBe('RECORD_UNDECODABLE');
    expect(wrongType.message).toBe('n must be an integer, got a string');
    expect((await rejection(convert(c, envelope(schema, '{"n": 1.5, "s": "x", "by": ""}')))).code).toBe('RECORD_UNDECODABLE');
    expect((await rejection(convert(c, envelope(schema, '{"n": 1, "s": 5, "by": ""}')))).message).toContain('s must be a string');
    expect((await rejection(convert(c, envelope(schema, '{"n": 1, "s": "x", "by": "***"}')))).message).toContain('by must be base64');
    expect((await rejection(convert(c, envelope(schema, '[1]')))).message).toContain('must be an object');
  });

  it('rejects an invalid schema', async () => {
    const c = converter();
    expect((await rejection(convert(c, envelope({ type: 'nope' }, '1')))).message).toMatch(/schema.*type/);
    expect((await rejection(convert(c, envelope({ type: 'struct', fields: [{ type: 'int8' }] }, '{}')))).message).toMatch(/field/);
    const noScale = { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: {} };
    expect((await rejection(convert(c, envelope(noScale, '"AA=="')))).message).toMatch(/scale/);
  });

  it('accepts integral floats for integer fields and NaN / Infinity strings for floats', async () => {
    const schema = { type: 'struct', fields: [{ field: 'i', type: 'int64' }, { field: 'f', type: 'double' }, { field: 'g', type: 'float' }] };
    const result = await convert(converter(), envelope(schema, '{"i": 2.0, "f": "NaN", "g": "-Infinity"}'));
    const f = structFields(result);
    expect(f.i).toBe(2n);
    expect(f.f).toBeNaN();
    expect(f.g).toBe(-Infinity);
  });

  it('handles strings with braces and escaped quotes inside the schema and payload', async () => {
    const schema = { type: 'struct', name: 'a"}{[', fields: [{ field: 'x}', type: 'string' }] };
    const result = await convert(converter(), envelope(schema, '{"x}": "]}\\"{"}'));
    expect(result!.schema.name).toBe('a"}{[');
    expect(structFields(result)).toEqual({ 'x}': ']}"{' });
  });
});

describe('ConnectJsonConverter, schemas.enable=true: repeated envelopes', () => {
  it('recognises the previous envelope prefix and still validates what follows it', async () => {
    const c = new ConnectJsonConverter(true);
    const schema = { type: 'struct', fields: [{ field: 'a', type: 'int64' }] };
    const first = await convert(c, envelope(schema, '{"a": 1}'));
    const again = await convert(c, `${envelope(schema, '{"a": 9223372036854775807}')}  \n`);
    expect(again!.schema).toBe(first!.schema);
    expect(structFields(again)).toEqual({ a: 2n ** 63n - 1n });
    for (const tail of ['{"a": 1}, "extra": 1}', '{"a": 1}}}', '{"a": 1}']) {
      const text = `{"schema":${JSON.stringify(schema)},"payload":${tail}`;
      await expect(convert(c, text)).rejects.toMatchObject({ code: 'RECORD_UNDECODABLE' });
    }
    const other = { type: 'struct', fields: [{ field: 'b', type: 'string' }] };
    expect(structFields(await convert(c, envelope(other, '{"b": "x"}')))).toEqual({ b: 'x' });
    expect(structFields(await convert(c, envelope(schema, '{"a": 3}')))).toEqual({ a: 3n });
  });
});

describe('regression: JSON 1e400 was stored as inf while an integer beyond 64 bits went to the DLQ (issue 13, point 5)', () => {
  it('a number beyond the DOUBLE range (or a non-zero below it) is refused like an integer beyond INT64: VALUE_OUT_OF_RANGE', async () => {
    const tooBigInteger = await rejection(convert(new ConnectJsonConverter(false), '{"n": 18446744073709551616}'));
    const tooBigFloat = await rejection(convert(new ConnectJsonConverter(false), '{"x": 1e400}'));
    const tooSmallFloat = await rejection(convert(new ConnectJsonConverter(false), '{"x": -1.5e-400}'));
    expect([tooBigInteger.code, tooBigFloat.code, tooSmallFloat.code]).toEqual(['VALUE_OUT_OF_RANGE', 'VALUE_OUT_OF_RANGE', 'VALUE_OUT_OF_RANGE']);
    expect(tooBigInteger.isRecordError && tooBigFloat.isRecordError).toBe(true);
    expect(tooBigInteger.message).toBe('n is an integer out of the INT64 range');
    expect(tooBigFloat.message).toBe('x is a number out of the DOUBLE range (it would be stored as ±inf or 0)');
    // A FLOAT64 field of an envelope says the same.
    const schema = { type: 'struct', fields: [{ field: 'x', type: 'double', optional: true }] };
    expect((await rejection(convert(new ConnectJsonConverter(true), envelope(schema, '{"x": 1e400}')))).code).toBe('VALUE_OUT_OF_RANGE');
  });

  it('numbers a double holds are unchanged: 1e308, 5e-324, 0e-400, 0.1', async () => {
    expect(structFields(await convert(new ConnectJsonConverter(false), '{"a": 1e308, "b": 5e-324, "c": 0e-400, "d": 0.1}'))).toEqual({ a: 1e308, b: 5e-324, c: 0, d: 0.1 });
  });
});
