import type { MapValue, SchemaAndValue } from '../record/schema';
import { fieldSchema, rejection, structFields } from '../../test-support/converter';
import { FakeSchemaSource } from '../../test-support/fake-schema-source';
import { ProtobufConverter } from './protobuf-converter';
import { encodeProtobuf, protoType } from '../../test-support/protobuf';
import type { ReferencedSchema } from './schema-registry-client';
import { encodeWireFormat } from './wire-format';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function setup() {
  const registry = new FakeSchemaSource();
  const converter = new ProtobufConverter(registry);
  /** Registers `text`, encodes `value` as message `name` of it (at `indexes`), converts. */
  const roundTrip = async (text: string, name: string, value: Record<string, unknown>, indexes: number[] = [0]): Promise<SchemaAndValue> => {
    const id = registry.register(text, 'PROTOBUF');
    const result = await converter.toConnectData('t', encodeProtobuf(id, protoType(text, name), value, indexes));
    if (result === null) throw new Error('null result');
    return result;
  };
  return { registry, converter, roundTrip };
}

const SCALARS = `syntax = "proto3";
package test;
message Scalars {
  int32 i32 = 1;
  sint32 si32 = 2;
  sfixed32 sf32 = 3;
  uint32 u32 = 4;
  fixed32 f32 = 5;
  int64 i64 = 6;
  sint64 si64 = 7;
  sfixed64 sf64 = 8;
  uint64 u64 = 9;
  fixed64 f64 = 10;
  float fl = 11;
  double db = 12;
  bool flag = 13;
  string text = 14;
  bytes blob = 15;
}
`;

describe('ProtobufConverter: scalars', () => {
  it('maps every scalar type to its exact width and signedness, extremes included', async () => {
    const { roundTrip } = setup();
    const result = await roundTrip(SCALARS, 'test.Scalars', {
      i32: -2147483648,
      si32: -2147483648,
      sf32: 2147483647,
      u32: 4294967295,
      f32: 4294967295,
      i64: INT64_MIN.toString(),
      si64: INT64_MIN.toString(),
      sf64: INT64_MAX.toString(),
      u64: UINT64_MAX.toString(),
      f64: UINT64_MAX.toString(),
      fl: 0.1,
      db: 0.30000000000000004,
      flag: true,
      text: 'héllo 🌍',
      blob: Buffer.from([0, 1, 255]),
    });
    expect(result.schema).toMatchObject({ type: 'STRUCT', name: 'test.Scalars', optional: false, version: 1 });
    expect(result.schema.fields!.map((f) => [f.name, f.schema.type, f.schema.logical?.kind, f.schema.optional])).toEqual([
      ['i32', 'INT32', undefined, false],
      ['si32', 'INT32', undefined, false],
      ['sf32', 'INT32', undefined, false],
      ['u32', 'INT64', undefined, false],
      ['f32', 'INT64', undefined, false],
      ['i64', 'INT64', undefined, false],
      ['si64', 'INT64', undefined, false],
      ['sf64', 'INT64', undefined, false],
      ['u64', 'INT64', 'unsigned', false],
      ['f64', 'INT64', 'unsigned', false],
      ['fl', 'FLOAT32', undefined, false],
      ['db', 'FLOAT64', undefined, false],
      ['flag', 'BOOLEAN', undefined, false],
      ['text', 'STRING', undefined, false],
      ['blob', 'BYTES', undefined, false],
    ]);
    expect(structFields(result)).toEqual({
      i32: -2147483648,
      si32: -2147483648,
      sf32: 2147483647,
      u32: 4294967295n,
      f32: 4294967295n,
      i64: INT64_MIN,
      si64: INT64_MIN,
      sf64: INT64_MAX,
      u64: UINT64_MAX,
      f64: UINT64_MAX,
      fl: Math.fround(0.1),
      db: 0.30000000000000004,
      flag: true,
      text: 'héllo 🌍',
      blob: Buffer.from([0, 1, 255]),
    });
  });

  it.each([
    ['-1', -1n],
    ['2^49 - 1 (fast path)', 2n ** 49n - 1n],
    ['2^49 (slow path)', 2n ** 49n],
    ['2^53 + 1', 2n ** 53n + 1n],
    ['int64 max', INT64_MAX],
    ['int64 min + 1', INT64_MIN + 1n],
  ])('reads %s exactly as int64, sint64 and sfixed64', async (_what, n) => {
    const { roundTrip } = setup();
    const result = await roundTrip(SCALARS, 'test.Scalars', { i64: n.toString(), si64: n.toString(), sf64: n.toString() });
    expect(structFields(result)).toMatchObject({ i64: n, si64: n, sf64: n });
  });

  it('gives proto3 scalars without presence their default when absent, never null', async () => {
    const { roundTrip } = setup();
    const result = await roundTrip(SCALARS, 'test.Scalars', {});
    expect(structFields(result)).toEqual({
      i32: 0,
      si32: 0,
      sf32: 0,
      u32: 0n,
      f32: 0n,
      i64: 0n,
      si64: 0n,
      sf64: 0n,
      u64: 0n,
      f64: 0n,
      fl: 0,
      db: 0,
      flag: false,
      text: '',
      blob: Buffer.alloc(0),
    });
  });

  it('keeps presence for proto3 optional: absent is null, a set default value is kept', async () => {
    const { roundTrip } = setup();
    const text = 'syntax = "proto3";\nmessage P { optional int32 n = 1; optional string s = 2; optional int64 l = 3; }\n';
    const absent = await roundTrip(text, 'P', {});
    expect(absent.schema.fields!.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['n', 'INT32', true],
      ['s', 'STRING', true],
      ['l', 'INT64', true],
    ]);
    expect(structFields(absent)).toEqual({ n: null, s: null, l: null });
    const zeros = await roundTrip(text, 'P', { n: 0, s: '', l: '0' });
    expect(structFields(zeros)).toEqual({ n: 0, s: '', l: 0n });
  });

  it('keeps presence for proto2 optional fields', async () => {
    const { roundTrip } = setup();
    const result = await roundTrip('syntax = "proto2";\nmessage Old { optional int32 n = 1; required string id = 2; }\n', 'Old', { id: 'x' });
    expect(fieldSchema(result, 'n').optional).toBe(true);
    expect(structFields(result)).toEqual({ n: null, id: 'x' });
  });
});

describe('ProtobufConverter: enums, messages, repeated, map, oneof', () => {
  const SHAPES = `syntax = "proto3";
package shop;
enum Color { COLOR_UNSPECIFIED = 0; RED = 1; GREEN = 2; }
message Order {
  message Line { string sku = 1; int32 qty = 2; }
  int64 id = 1;
  Color color = 2;
  Line first = 3;
  repeated Line lines = 4;
  repeated int64 counts = 5;
  repeated Color palette = 6;
  map<string, int32> stock = 7;
  map<int64, string> names = 8;
  map<bool, Line> flags = 9;
  oneof payment { string card = 10; int64 voucher = 11; }
}
`;

  it('maps enums to their names, nested messages to STRUCTs, repeated to ARRAYs, maps to MAPs', async () => {
    const { roundTrip } = setup();
    const result = await roundTrip(SHAPES, 'shop.Order', {
      id: 7,
      color: 'GREEN',
      first: { sku: 'a', qty: 1 },
      lines: [{ sku: 'b', qty: 2 }, {}],
      counts: ['9007199254740993', '-1'],
      palette: ['RED', 'COLOR_UNSPECIFIED'],
      stock: { x: 1, y: 0 },
      names: { '9007199254740993': 'big', '-5': 'neg' },
      flags: { true: { sku: 'c' } },
      voucher: '12',
    });
    expect(fieldSchema(result, 'color')).toEqual({ type: 'STRING', optional: false, name: 'shop.Color', logical: { kind: 'enum', symbols: ['COLOR_UNSPECIFIED', 'RED', 'GREEN'] } });
    expect(fieldSchema(result, 'first')).toMatchObject({ type: 'STRUCT', optional: true, name: 'shop.Order.Line' });
    expect(fieldSchema(result, 'lines')).toMatchObject({ type: 'ARRAY', optional: false, items: { type: 'STRUCT', name: 'shop.Order.Line' } });
    expect(fieldSchema(result, 'counts')).toMatchObject({ type: 'ARRAY', items: { type: 'INT64' } });
    expect(fieldSchema(result, 'stock')).toMatchObject({ type: 'MAP', optional: false, keys: { type: 'STRING' }, values: { type: 'INT32' } });
    expect(fieldSchema(result, 'names')).toMatchObject({ type: 'MAP', keys: { type: 'INT64' }, values: { type: 'STRING' } });
    expect(fieldSchema(result, 'card')).toMatchObject({ type: 'STRING', optional: true });
    expect(fieldSchema(result, 'voucher')).toMatchObject({ type: 'INT64', optional: true });
    const line = (sku: string, qty: number) => ({ kind: 'struct', fields: { sku, qty } });
    const fields = structFields(result);
    expect(fields).toMatchObject({
      id: 7n,
      color: 'GREEN',
      first: line('a', 1),
      lines: [line('b', 2), line('', 0)],
      counts: [9007199254740993n, -1n],
      palette: ['RED', 'COLOR_UNSPECIFIED'],
      card: null,
      voucher: 12n,
    });
    expect((fields.stock as MapValue).entries).toEqual([
      ['x', 1],
      ['y', 0],
    ]);
    expect(new Map((fields.names as MapValue).entries)).toEqual(
      new Map([
        [9007199254740993n, 'big'],
        [-5n, 'neg'],
      ]),
    );
    expect((fields.flags as MapValue).entries).toEqual([[true, line('c', 0)]]);
  });

  it('leaves absent messages and oneof members null, repeated and map fields empty, enums at their 0 symbol', async () => {
    const { roundTrip } = setup();
    const result = await roundTrip(SHAPES, 'shop.Order', {});
    expect(structFields(result)).toEqual({
      id: 0n,
      color: 'COLOR_UNSPECIFIED',
      first: null,
      lines: [],
      counts: [],
      palette: [],
      stock: { kind: 'map', entries: [] },
      names: { kind: 'map', entries: [] },
      flags: { kind: 'map', entries: [] },
      card: null,
      voucher: null,
    });
  });

  it('writes an enum number the enum does not name as its decimal text', async () => {
    const { registry, converter } = setup();
    const id = registry.register(SHAPES, 'PROTOBUF');
    // Color 7 on the wire: a producer with a newer enum, or one writing numbers.
    const withSeven = 'syntax = "proto3";\npackage shop;\nmessage Order { int64 id = 1; int32 color = 2; }\n';
    const result = await converter.toConnectData('t', encodeProtobuf(id, protoType(withSeven, 'shop.Order'), { id: 1, color: 7 }));
    expect(structFields(result)).toMatchObject({ color: '7' });
  });

  it('turns a message that contains itself into JSON at the point of recursion', async () => {
    const { roundTrip } = setup();
    const result = await roundTrip('syntax = "proto3";\nmessage Node { string name = 1; Node child = 2; }\n', 'Node', { name: 'a', child: { name: 'b', child: { name: 'c' } } });
    expect(fieldSchema(result, 'child')).toEqual({ type: 'STRING', optional: true, logical: { kind: 'variant' } });
    expect(structFields(result)).toEqual({ name: 'a', child: { name: 'b', child: { name: 'c', child: null } } });
  });
});

describe('ProtobufConverter: well-known types', () => {
  const WELL_KNOWN = `syntax = "proto3";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/struct.proto";
import "google/type/date.proto";
message Event {
  google.protobuf.Timestamp at = 1;
  google.type.Date day = 2;
  google.protobuf.Int64Value i64 = 3;
  google.protobuf.UInt64Value u64 = 4;
  google.protobuf.Int32Value i32 = 5;
  google.protobuf.UInt32Value u32 = 6;
  google.protobuf.DoubleValue dbl = 7;
  google.protobuf.FloatValue flt = 8;
  google.protobuf.BoolValue flag = 9;
  google.protobuf.StringValue text = 10;
  google.protobuf.BytesValue blob = 11;
  google.protobuf.Struct attrs = 12;
  google.protobuf.Value any = 13;
  google.protobuf.ListValue list = 14;
  repeated google.protobuf.Timestamp history = 15;
}
`;
  const DATE_PROTO = 'syntax = "proto3";\npackage google.type;\nmessage Date { int32 year = 1; int32 month = 2; int32 day = 3; }\n';
  const eventType = () => protoType(WELL_KNOWN, 'Event', [DATE_PROTO]);

  async function convert(value: Record<string, unknown>): Promise<SchemaAndValue> {
    const registry = new FakeSchemaSource();
    const id = registry.register(WELL_KNOWN, 'PROTOBUF');
    return (await new ProtobufConverter(registry).toConnectData('t', encodeProtobuf(id, eventType(), value)))!;
  }

  it('maps Timestamp, Date, the wrappers and Struct/Value/ListValue to typed, nullable fields', async () => {
    const result = await convert({
      at: { seconds: '1700000000', nanos: 123456000 },
      day: { year: 2024, month: 1, day: 15 },
      i64: { value: '9007199254740993' },
      u64: { value: UINT64_MAX.toString() },
      i32: { value: -5 },
      u32: { value: 4294967295 },
      dbl: { value: 0.5 },
      flt: { value: 1.5 },
      flag: { value: false },
      text: { value: '' },
      blob: { value: Buffer.from([1]) },
      attrs: { fields: { a: { numberValue: 1.5 }, b: { listValue: { values: [{ stringValue: 'x' }, { nullValue: 0 }, { boolValue: true }] } }, c: { structValue: { fields: {} } } } },
      any: { stringValue: 'hi' },
      list: { values: [{ numberValue: 2 }] },
      history: [{ seconds: '-1', nanos: 999999000 }],
    });
    expect(result.schema.fields!.map((f) => [f.name, f.schema.type, f.schema.logical?.kind ?? null, f.schema.optional])).toEqual([
      ['at', 'INT64', 'timestamp', true],
      ['day', 'INT32', 'date', true],
      ['i64', 'INT64', null, true],
      ['u64', 'INT64', 'unsigned', true],
      ['i32', 'INT32', null, true],
      ['u32', 'INT64', null, true],
      ['dbl', 'FLOAT64', null, true],
      ['flt', 'FLOAT32', null, true],
      ['flag', 'BOOLEAN', null, true],
      ['text', 'STRING', null, true],
      ['blob', 'BYTES', null, true],
      ['attrs', 'STRING', 'variant', true],
      ['any', 'STRING', 'variant', true],
      ['list', 'STRING', 'variant', true],
      ['history', 'ARRAY', null, false],
    ]);
    expect(fieldSchema(result, 'at').logical).toEqual({ kind: 'timestamp', unit: 'micros', local: false });
    expect(fieldSchema(result, 'history').items!.logical).toEqual({ kind: 'timestamp', unit: 'micros', local: false });
    expect(structFields(result)).toEqual({
      at: 1700000000123456n,
      day: 19737,
      i64: 9007199254740993n,
      u64: UINT64_MAX,
      i32: -5,
      u32: 4294967295n,
      dbl: 0.5,
      flt: 1.5,
      flag: false,
      text: '',
      blob: Buffer.from([1]),
      attrs: { a: 1.5, b: ['x', null, true], c: {} },
      any: 'hi',
      list: [2],
      history: [-1n],
    });
  });

  it('leaves absent well-known messages null; a wrapper present with its default keeps the value', async () => {
    const result = await convert({ i64: {}, text: {} });
    expect(structFields(result)).toMatchObject({ at: null, day: null, i64: 0n, u64: null, text: '', attrs: null, any: null, list: null, history: [] });
  });

  it.each([
    ['a Timestamp with nanoseconds that are not whole microseconds', { at: { seconds: '1', nanos: 1 } }, /has nanoseconds; a TIMESTAMP column holds whole microseconds/],
    ['a Timestamp beyond year 9999', { at: { seconds: '253402300800' } }, /outside the range/],
    ['a Date without a day', { day: { year: 2024, month: 2 } }, /is not a full date/],
    ['a Date that does not exist', { day: { year: 2023, month: 2, day: 29 } }, /2023-2-29 does not exist/],
  ])('refuses %s as VALUE_OUT_OF_RANGE', async (_what, value, message) => {
    const registry = new FakeSchemaSource();
    const id = registry.register(WELL_KNOWN, 'PROTOBUF');
    const err = await rejection(new ProtobufConverter(registry).toConnectData('t', encodeProtobuf(id, eventType(), value)));
    expect(err.code).toBe('VALUE_OUT_OF_RANGE');
    expect(err.message).toMatch(message);
  });
});

describe('ProtobufConverter: message indexes and schema references', () => {
  const FILE = `syntax = "proto3";
package idx;
enum Kind { K = 0; }
message First { string a = 1; }
message Second {
  enum Inner { I = 0; }
  message Deep { int32 d = 1; }
  message Deeper { message Deepest { bool z = 1; } string e = 1; }
  int32 b = 1;
}
`;

  it.each([
    [[0], 'idx.First', { a: 'x' }, { a: 'x' }],
    [[1], 'idx.Second', { b: 5 }, { b: 5 }],
    [[1, 0], 'idx.Second.Deep', { d: 6 }, { d: 6 }],
    [[1, 1, 0], 'idx.Second.Deeper.Deepest', { z: true }, { z: true }],
  ])('message indexes %j name %s (enums are not counted)', async (indexes, name, value, expected) => {
    const { roundTrip } = setup();
    const result = await roundTrip(FILE, name, value, indexes);
    expect(result.schema.name).toBe(name);
    expect(structFields(result)).toEqual(expected);
  });

  it('refuses a message index the schema does not have as RECORD_UNDECODABLE naming the schema id', async () => {
    const { registry, converter } = setup();
    const id = registry.register(FILE, 'PROTOBUF');
    const err = await rejection(converter.toConnectData('t', encodeProtobuf(id, protoType(FILE, 'idx.First'), { a: 'x' }, [2])));
    expect(err.code).toBe('RECORD_UNDECODABLE');
    expect(err.message).toBe(`Protobuf data names message indexes [2], which schema id ${id} does not have (its top-level messages: idx.First, idx.Second)`);
    const nested = await rejection(converter.toConnectData('t', encodeProtobuf(id, protoType(FILE, 'idx.First'), {}, [0, 0])));
    expect(nested.message).toMatch(/message indexes \[0, 0\]/);
  });

  it('refuses a malformed message-index array', async () => {
    const { registry, converter } = setup();
    const id = registry.register(FILE, 'PROTOBUF');
    const truncated = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from([0x04, 0x02]))));
    expect(truncated.code).toBe('RECORD_UNDECODABLE');
    expect(truncated.message).toMatch(/ends inside its message indexes/);
    const negative = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from([0x01]))));
    expect(negative.message).toMatch(/message index count of -1/);
  });

  it('resolves imports through schema references, and their own well-known imports', async () => {
    const registry = new FakeSchemaSource();
    const address = 'syntax = "proto3";\npackage shop;\nimport "google/protobuf/timestamp.proto";\nmessage Address { string city = 1; google.protobuf.Timestamp since = 2; }\n';
    const order = 'syntax = "proto3";\npackage shop;\nimport "shop/address.proto";\nmessage Order { Address ship_to = 1; }\n';
    const references: ReferencedSchema[] = [{ name: 'shop/address.proto', subject: 'address', version: 1, format: 'PROTOBUF', schema: address }];
    const id = registry.register(order, 'PROTOBUF', { references });
    const type = protoType(order, 'shop.Order', [address]);
    const result = await new ProtobufConverter(registry).toConnectData('t', encodeProtobuf(id, type, { ship_to: { city: 'Oslo', since: { seconds: '1' } } }));
    expect(fieldSchema(result, 'ship_to')).toMatchObject({ type: 'STRUCT', name: 'shop.Address' });
    expect(structFields(result).ship_to).toEqual({ kind: 'struct', fields: { city: 'Oslo', since: 1000000n } });
  });

  it('refuses a schema whose import is neither a reference nor a well-known file, naming the missing type', async () => {
    const registry = new FakeSchemaSource();
    const id = registry.register('syntax = "proto3";\nimport "other.proto";\nmessage M { Missing m = 1; }\n', 'PROTOBUF');
    const err = await rejection(new ProtobufConverter(registry).toConnectData('t', encodeWireFormat(id, Buffer.from([0]))));
    expect(err.code).toBe('RECORD_UNDECODABLE');
    expect(err.message).toMatch(new RegExp(`schema id ${id} is not a usable Protobuf schema: .*Missing`));
  });
});

describe('ProtobufConverter: bad input', () => {
  it('refuses a schema id that is not a Protobuf schema', async () => {
    const { registry, converter } = setup();
    const id = registry.register('"string"', 'AVRO');
    const err = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from([0, 2, 0x61]))));
    expect(err.code).toBe('RECORD_UNDECODABLE');
    expect(err.message).toBe(`schema id ${id} is a AVRO schema, expected PROTOBUF`);
  });

  it('refuses schema text that does not parse', async () => {
    const { registry, converter } = setup();
    const id = registry.register('syntax = "proto3"; message {', 'PROTOBUF');
    const err = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from([0]))));
    expect(err.code).toBe('RECORD_UNDECODABLE');
    expect(err.message).toMatch(new RegExp(`schema id ${id} is not a usable Protobuf schema`));
  });

  it.each([
    ['a truncated varint', [0x08, 0x80]],
    ['a string longer than the data', [0x72, 0x05, 0x61]],
    ['an invalid wire type', [0x9f, 0x06]],
    ['a 64-bit varint of 11 bytes', [0x30, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['a fixed64 cut short', [0x51, 1, 2, 3]],
  ])('refuses a payload with %s as RECORD_UNDECODABLE', async (_what, payload) => {
    const { registry, converter } = setup();
    const id = registry.register(SCALARS, 'PROTOBUF');
    const err = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from([0, ...payload]))));
    expect(err.code).toBe('RECORD_UNDECODABLE');
    expect(err.message).toMatch(/Protobuf data/);
  });

  it('names the message and schema id when protobufjs refuses the payload', async () => {
    const { registry, converter } = setup();
    const id = registry.register(SCALARS, 'PROTOBUF');
    const err = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from([0, 0x9f, 0x06]))));
    expect(err.message).toMatch(new RegExp(`^Protobuf data does not parse as message test.Scalars of schema id ${id}: invalid wire type 7`));
  });

  it('refuses a string that is not valid UTF-8 instead of replacing it', async () => {
    const { registry, converter } = setup();
    const id = registry.register(SCALARS, 'PROTOBUF');
    const err = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from([0, 0x72, 0x02, 0xc3, 0x28]))));
    expect(err.code).toBe('RECORD_UNDECODABLE');
    expect(err.message).toBe('Protobuf string is not valid UTF-8');
  });

  it('refuses a payload without message indexes, as the npm registry client writes it', async () => {
    const { registry, converter } = setup();
    const id = registry.register(SCALARS, 'PROTOBUF');
    const type = protoType(SCALARS, 'test.Scalars');
    const err = await rejection(converter.toConnectData('t', encodeWireFormat(id, Buffer.from(type.encode(type.fromObject({ i32: 5 })).finish()))));
    expect(err.code).toBe('RECORD_UNDECODABLE');
    expect(err.message).toMatch(/message index/);
  });

  it('refuses bytes without the wire-format header', async () => {
    const { converter } = setup();
    const err = await rejection(converter.toConnectData('t', Buffer.from([1, 0, 0, 0, 1, 0])));
    expect(err.message).toMatch(/Protobuf data starts with magic byte 1/);
  });
});

describe('ProtobufConverter: caching', () => {
  it('fetches and parses each schema id once; tryConvert answers without a promise afterwards', async () => {
    const { registry, converter } = setup();
    const id = registry.register(SCALARS, 'PROTOBUF');
    const bytes = encodeProtobuf(id, protoType(SCALARS, 'test.Scalars'), { i32: 1 });
    expect(converter.tryConvert('t', bytes)).toBeUndefined();
    const [a, b] = await Promise.all([converter.toConnectData('t', bytes), converter.toConnectData('t', bytes)]);
    const c = converter.tryConvert('t', bytes)!;
    expect(registry.lookupCount(id)).toBe(1);
    // One schema object per message type: the planner recognises a shape it has seen by identity.
    expect(b!.schema).toBe(a!.schema);
    expect(c.schema).toBe(a!.schema);
    expect(structFields(c)).toMatchObject({ i32: 1 });
    expect(converter.tryConvert('t', null)).toBeNull();
  });

  it('converts a null value (tombstone) to null', async () => {
    const { converter } = setup();
    await expect(converter.toConnectData('t', null)).resolves.toBeNull();
  });
});
