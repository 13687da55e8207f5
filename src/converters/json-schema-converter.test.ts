import type { SchemaAndValue } from '../record/schema';
import { fieldSchema, rejection, structFields } from '../../test-support/converter';
import { FakeSchemaSource } from '../../test-support/fake-schema-source';
import { JsonSchemaConverter } from './json-schema-converter';
import { encodeWireFormat } from './wire-format';

const INT64_MAX = 2n ** 63n - 1n;

function setup() {
  const registry = new FakeSchemaSource();
  const converter = new JsonSchemaConverter(registry);
  const convertWith = async (schema: object, payload: string): Promise<SchemaAndValue | null> => {
    const id = registry.register(schema, 'JSON');
    return converter.toConnectData('t', encodeWireFormat(id, Buffer.from(payload, 'utf8')));
  };
  return { registry, converter, convertWith };
}

describe('JsonSchemaConverter: schema translation', () => {
  it('maps plain JSON Schema types; properties outside `required` are optional', async () => {
    const { convertWith } = setup();
    const schema = {
      type: 'object',
      title: 'Order',
      properties: {
        id: { type: 'integer' },
        price: { type: 'number' },
        paid: { type: 'boolean' },
        note: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        attrs: { type: 'object', additionalProperties: { type: 'integer' } },
        free: { type: 'object' },
        anything: {},
      },
      required: ['id', 'price', 'paid'],
    };
    const result = await convertWith(schema, `{"id": ${INT64_MAX}, "price": 9.99, "paid": true, "tags": ["a"], "attrs": {"k": 1}, "free": {"x": [1]}, "anything": 2.5}`);
    expect(result!.schema).toMatchObject({ type: 'STRUCT', name: 'Order', optional: false, version: 1 });
    expect(result!.schema.fields!.map((f) => [f.name, f.schema.type, f.schema.optional, f.schema.logical?.kind])).toEqual([
      ['id', 'INT64', false, undefined],
      ['price', 'FLOAT64', false, undefined],
      ['paid', 'BOOLEAN', false, undefined],
      ['note', 'STRING', true, undefined],
      ['tags', 'ARRAY', true, undefined],
      ['attrs', 'MAP', true, undefined],
      ['free', 'STRING', true, 'variant'],
      ['anything', 'STRING', true, 'variant'],
    ]);
    expect(structFields(result)).toEqual({
      id: INT64_MAX,
      price: 9.99,
      paid: true,
      note: null,
      tags: ['a'],
      attrs: { kind: 'map', entries: [['k', 1n]] },
      free: { x: [1n] },
      anything: 2.5,
    });
  });

  it("reads Confluent's Connect hints: connect.type, connect.index, titles of logical types, oneOf null", async () => {
    const { convertWith } = setup();
    const schema = {
      type: 'object',
      title: 'com.example.Row',
      properties: {
        second: { type: 'integer', 'connect.index': 1, 'connect.type': 'int16' },
        first: { type: 'integer', 'connect.index': 0, 'connect.type': 'int8' },
        i32: { type: 'integer', 'connect.index': 2, 'connect.type': 'int32' },
        f32: { type: 'number', 'connect.index': 3, 'connect.type': 'float32' },
        by: { type: 'string', 'connect.index': 4, 'connect.type': 'bytes' },
        dec: { type: 'number', 'connect.index': 5, title: 'org.apache.kafka.connect.data.Decimal', 'connect.version': 1, 'connect.parameters': { scale: '4', 'connect.decimal.precision': '20' } },
        day: { type: 'integer', 'connect.index': 6, title: 'org.apache.kafka.connect.data.Date', 'connect.version': 1, 'connect.type': 'int32' },
        time: { type: 'integer', 'connect.index': 7, title: 'org.apache.kafka.connect.data.Time', 'connect.type': 'int32' },
        ts: { type: 'integer', 'connect.index': 8, title: 'org.apache.kafka.connect.data.Timestamp', 'connect.type': 'int64' },
        opt: { 'connect.index': 9, oneOf: [{ type: 'null' }, { type: 'string' }] },
        m: { 'connect.index': 10, type: 'array', 'connect.type': 'map', items: { type: 'object', properties: { key: { type: 'integer', 'connect.type': 'int32' }, value: { type: 'string' } } } },
      },
      required: ['first', 'second', 'i32', 'f32', 'by', 'dec', 'day', 'time', 'ts', 'm'],
    };
    const payload = '{"first": 1, "second": 2, "i32": 3, "f32": 0.5, "by": "AQI=", "dec": -12345678901234.5678, "day": 19000, "time": 1000, "ts": -2208988800000, "opt": null, "m": [{"key": 1, "value": "a"}]}';
    const result = await convertWith(schema, payload);
    expect(result!.schema.fields!.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['first', 'INT8', false],
      ['second', 'INT16', false],
      ['i32', 'INT32', false],
      ['f32', 'FLOAT32', false],
      ['by', 'BYTES', false],
      ['dec', 'BYTES', false],
      ['day', 'INT32', false],
      ['time', 'INT32', false],
      ['ts', 'INT64', false],
      ['opt', 'STRING', true],
      ['m', 'MAP', false],
    ]);
    expect(fieldSchema(result, 'dec').logical).toEqual({ kind: 'decimal', precision: 20, scale: 4 });
    expect(fieldSchema(result, 'day').logical).toEqual({ kind: 'date' });
    expect(fieldSchema(result, 'time').logical).toEqual({ kind: 'time', unit: 'millis' });
    expect(fieldSchema(result, 'ts').logical).toEqual({ kind: 'timestamp', unit: 'millis', local: false });
    expect(structFields(result)).toEqual({
      first: 1,
      second: 2,
      i32: 3,
      f32: 0.5,
      by: Buffer.from([1, 2]),
      dec: { unscaled: -123456789012345678n, scale: 4 },
      day: 19000,
      time: 1_000_000n,
      ts: -2208988800000000n,
      opt: null,
      m: { kind: 'map', entries: [[1, 'a']] },
    });
  });

  it('keeps string formats as STRING (text as written), marks uuid and enums', async () => {
    const { convertWith } = setup();
    const schema = {
      type: 'object',
      properties: {
        d: { type: 'string', format: 'date' },
        dt: { type: 'string', format: 'date-time' },
        t: { type: 'string', format: 'time' },
        u: { type: 'string', format: 'uuid' },
        e: { type: 'string', enum: ['A', 'B'] },
        e2: { enum: ['X'] },
      },
    };
    const result = await convertWith(schema, '{"d": "2024-02-30", "dt": "2024-01-01T10:00:00+02:00", "t": "10:00", "u": "123e4567-e89b-12d3-a456-426614174000", "e": "B", "e2": "X"}');
    expect(result!.schema.fields!.map((f) => [f.schema.type, f.schema.logical])).toEqual([
      ['STRING', undefined],
      ['STRING', undefined],
      ['STRING', undefined],
      ['STRING', { kind: 'uuid' }],
      ['STRING', { kind: 'enum', symbols: ['A', 'B'] }],
      ['STRING', { kind: 'enum', symbols: ['X'] }],
    ]);
    expect(structFields(result).dt).toBe('2024-01-01T10:00:00+02:00');
  });

  it('turns type lists and oneOf / anyOf into optional types or variants', async () => {
    const { convertWith } = setup();
    const schema = {
      type: 'object',
      properties: {
        a: { type: ['string', 'null'] },
        b: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
        c: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
        d: { type: ['string', 'integer', 'null'] },
        e: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] },
      },
      required: ['a', 'b', 'c', 'd', 'e'],
    };
    const result = await convertWith(schema, '{"a": null, "b": 5, "c": 7, "d": "x", "e": ["x", 1]}');
    expect(result!.schema.fields!.map((f) => [f.schema.type, f.schema.optional, f.schema.logical?.kind])).toEqual([
      ['STRING', true, undefined],
      ['INT64', true, undefined],
      ['STRING', false, 'variant'],
      ['STRING', true, 'variant'],
      ['STRING', false, 'variant'],
    ]);
    // Variants hold JSON: an integer there may be a number or a bigint.
    expect(structFields(result)).toEqual({ a: null, b: 5n, c: 7, d: 'x', e: ['x', 1] });
  });

  it('resolves local $ref pointers, schema references, and recursion (as a variant)', async () => {
    const { registry, converter } = setup();
    const customer = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    const schema = {
      type: 'object',
      definitions: { Money: { type: 'number' }, Tree: { type: 'object', properties: { kids: { type: 'array', items: { $ref: '#/definitions/Tree' } } } } },
      $defs: { Id: { type: 'integer' } },
      properties: {
        price: { $ref: '#/definitions/Money' },
        id: { $ref: '#/$defs/Id' },
        who: { $ref: 'customer.json' },
        tree: { $ref: '#/definitions/Tree' },
      },
    };
    const id = registry.register(schema, 'JSON', { references: [{ name: 'customer.json', subject: 'customer', version: 1, format: 'JSON', schema: JSON.stringify(customer) }] });
    const result = await converter.toConnectData('t', encodeWireFormat(id, Buffer.from('{"price": 1.5, "id": 2, "who": {"name": "Ann"}, "tree": {"kids": [{"kids": []}]}}')));
    expect(fieldSchema(result, 'price').type).toBe('FLOAT64');
    expect(fieldSchema(result, 'id').type).toBe('INT64');
    expect(fieldSchema(result, 'who')).toMatchObject({ type: 'STRUCT', fields: [{ name: 'name', schema: { type: 'STRING', optional: false } }] });
    expect(fieldSchema(result, 'tree').fields![0].schema).toMatchObject({ type: 'ARRAY', items: { logical: { kind: 'variant' } } });
    expect(structFields(result)).toEqual({
      price: 1.5,
      id: 2n,
      who: { kind: 'struct', fields: { name: 'Ann' } },
      tree: { kind: 'struct', fields: { kids: [{ kids: [] }] } },
    });
  });

  it('converts defaults and applies them to missing fields', async () => {
    const { convertWith } = setup();
    const schema = {
      type: 'object',
      properties: {
        n: { type: 'integer', default: 7 },
        s: { type: 'string', default: 'dflt' },
        o: { oneOf: [{ type: 'null' }, { type: 'integer' }], default: null },
      },
    };
    const result = await convertWith(schema, '{}');
    expect(result!.schema.fields!.map((f) => f.schema.defaultValue)).toEqual([7n, 'dflt', null]);
    expect(structFields(result)).toEqual({ n: 7n, s: 'dflt', o: null });
  });
});

describe('JsonSchemaConverter: records', () => {
  it('keeps int64 exact, unicode and the empty string apart from null', async () => {
    const { convertWith } = setup();
    const schema = { type: 'object', properties: { n: { type: 'integer' }, s: { type: 'string' }, e: { type: 'string' }, z: { type: 'string' } } };
    const result = await convertWith(schema, '{"n": -9223372036854775808, "s": "🙂 ñ", "e": "", "z": null}');
    expect(structFields(result)).toEqual({ n: -(2n ** 63n), s: '🙂 ñ', e: '', z: null });
  });

  it('looks a schema id up once and shares the translated schema', async () => {
    const { registry, converter } = setup();
    const id = registry.register({ type: 'object', properties: { a: { type: 'integer' } } }, 'JSON', { id: 77 });
    const [one, two] = await Promise.all([1, 2].map((a) => converter.toConnectData('t', encodeWireFormat(id, Buffer.from(`{"a": ${a}}`)))));
    expect(two!.schema).toBe(one!.schema);
    expect(one!.schema.version).toBe(77);
    expect(registry.lookupCount(77)).toBe(1);
  });

  it('returns null for null bytes and for a JSON null', async () => {
    const { convertWith, converter } = setup();
    expect(await converter.toConnectData('t', null)).toBeNull();
    expect(await convertWith({ type: 'object', properties: {} }, 'null')).toBeNull();
  });

  it('reports bad magic byte, unknown id, registry down, invalid UTF-8, invalid JSON, mismatches', async () => {
    const { registry, converter, convertWith } = setup();
    const bad = Buffer.from([1, 0, 0, 0, 1, 0x7b, 0x7d]);
    expect((await rejection(converter.toConnectData('t', bad))).code).toBe('RECORD_UNDECODABLE');
    const missing = await rejection(converter.toConnectData('t', encodeWireFormat(31337, Buffer.from('{}'))));
    expect(missing.code).toBe('SCHEMA_NOT_FOUND');
    expect(missing.message).toContain('31337');
    const schema = { type: 'object', properties: { a: { type: 'integer' } } };
    const id = registry.register(schema, 'JSON');
    registry.down = true;
    const down = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from('{}'))));
    expect(down.code).toBe('SCHEMA_REGISTRY_UNAVAILABLE');
    expect(down.isRetriable).toBe(true);
    registry.down = false;
    const utf8 = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))));
    expect(utf8.message).toMatch(/UTF-8/);
    expect((await rejection(convertWith(schema, '{"a": }'))).code).toBe('RECORD_UNDECODABLE');
    const mismatch = await rejection(convertWith(schema, '{"a": "secret"}'));
    expect(mismatch.message).toBe('a must be an integer, got a string');
  });

  it('rejects an Avro schema id and an unusable JSON schema', async () => {
    const { registry, converter } = setup();
    const avroId = registry.register({ type: 'record', name: 'R', fields: [] }, 'AVRO');
    expect((await rejection(converter.toConnectData('t', encodeWireFormat(avroId, Buffer.from('{}'))))).message).toMatch(/AVRO schema, expected JSON/);
    const badId = registry.register({ type: 'object', properties: { a: { $ref: 'elsewhere.json' } } }, 'JSON');
    const err = await rejection(converter.toConnectData('t', encodeWireFormat(badId, Buffer.from('{}'))));
    expect(err.code).toBe('RECORD_UNDECODABLE');
    expect(err.message).toContain(`schema id ${badId}`);
  });
});
