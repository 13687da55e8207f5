import type { SinkError } from '../errors';
import type { Schema, SchemaType } from '../record/schema';
import { type ShapeOptions, tableShape } from './table-shape';
import { ConnectJsonConverter } from '../converters/connect-json-converter';
import { evolutionPlan } from './evolution';
import { formatColumnType } from '../dialect/type-mapping';

const s = (type: SchemaType, extra: Partial<Schema> = {}): Schema => ({ type, optional: true, ...extra });
const struct = (fields: Record<string, Schema>, name?: string): Schema => ({
  type: 'STRUCT',
  optional: false,
  name,
  fields: Object.entries(fields).map(([n, schema]) => ({ name: n, schema })),
});
const opts = (pkMode: ShapeOptions['pkMode'], pkFields: string[] = [], fieldsWhitelist: string[] = []): ShapeOptions => ({ pkMode, pkFields, fieldsWhitelist });
const summary = (shape: ReturnType<typeof tableShape>) => shape.columns.map((c) => `${c.name}:${c.type.kind}${c.nullable ? '' : '!'}${c.defaultSql !== undefined ? `=${c.defaultSql}` : ''}`);

function errorOf(f: () => unknown): SinkError {
  try {
    f();
  } catch (err) {
    return err as SinkError;
  }
  throw new Error('expected an error');
}

const value = struct({ id: s('INT64', { optional: false }), Name: s('STRING'), amount: s('BYTES', { logical: { kind: 'decimal', precision: 10, scale: 2 } }) }, 'com.example.Order');

describe('tableShape', () => {
  it('pk.mode=none: the value fields, all nullable, exact case', () => {
    const shape = tableShape(null, value, opts('none'));
    expect(summary(shape)).toEqual(['id:BIGINT', 'Name:STRING', 'amount:DECIMAL']);
    expect(shape.keyColumns).toEqual([]);
  });

  it('pk.mode=kafka adds the three coordinates as NOT NULL keys', () => {
    const shape = tableShape(s('STRING'), value, opts('kafka'));
    expect(summary(shape)).toEqual(['__connect_topic:STRING!', '__connect_partition:INT!', '__connect_offset:BIGINT!', 'id:BIGINT', 'Name:STRING', 'amount:DECIMAL']);
    expect(shape.keyColumns).toEqual(['__connect_topic', '__connect_partition', '__connect_offset']);
    expect(shape.columns[0].source).toEqual({ from: 'kafka', field: 'topic' });
  });

  it('pk.mode=kafka takes three custom names from pk.fields, rejects other counts', () => {
    expect(tableShape(null, value, opts('kafka', ['t', 'p', 'o'])).keyColumns).toEqual(['t', 'p', 'o']);
    expect(errorOf(() => tableShape(null, value, opts('kafka', ['t']))).code).toBe('CONFIG_INVALID');
  });

  it('pk.mode=record_key with a primitive key: __connect_key or pk.fields[0]', () => {
    const shape = tableShape(s('STRING', { optional: true }), value, opts('record_key'));
    expect(summary(shape)[0]).toBe('__connect_key:STRING!');
    expect(shape.columns[0].source).toEqual({ from: 'key', field: null });
    expect(tableShape(s('INT64'), value, opts('record_key', ['order_key'])).keyColumns).toEqual(['order_key']);
    expect(errorOf(() => tableShape(s('INT64'), value, opts('record_key', ['a', 'b']))).code).toBe('CONFIG_INVALID');
  });

  it('pk.mode=record_key with a struct key: all its fields, or the pk.fields subset in that order', () => {
    const key = struct({ region: s('STRING'), id: s('INT64') }, 'com.example.Key');
    const all = tableShape(key, value, opts('record_key'));
    expect(all.keyColumns).toEqual(['region', 'id']);
    // The value's own `id` is not repeated: the key's value is written.
    expect(summary(all)).toEqual(['region:STRING!', 'id:BIGINT!', 'Name:STRING', 'amount:DECIMAL']);
    expect(all.columns[1].source).toEqual({ from: 'key', field: 'id' });
    expect(tableShape(key, value, opts('record_key', ['id'])).keyColumns).toEqual(['id']);
  });

  it('names the missing pk field and the record schema', () => {
    const key = struct({ region: s('STRING') }, 'com.example.Key');
    const err = errorOf(() => tableShape(key, value, opts('record_key', ['region', 'tenant'])));
    expect(err.code).toBe('SCHEMA_INCOMPATIBLE');
    expect(err.message).toContain('"tenant"');
    expect(err.message).toContain('com.example.Key');
    expect(err.position).toBeUndefined();
    const err2 = errorOf(() => tableShape(null, value, opts('record_value', ['nope'])));
    expect(err2.message).toMatch(/"nope" not found in value schema com\.example\.Order/);
  });

  it('pk.mode=record_key without a key is a record error', () => {
    expect(errorOf(() => tableShape(null, value, opts('record_key'))).code).toBe('SCHEMA_INCOMPATIBLE');
  });

  it('pk.mode=record_value: pk.fields from the value (all fields when empty)', () => {
    const shape = tableShape(null, value, opts('record_value', ['id']));
    expect(summary(shape)).toEqual(['id:BIGINT!', 'Name:STRING', 'amount:DECIMAL']);
    expect(shape.columns[0].source).toEqual({ from: 'value', field: 'id' });
    expect(tableShape(null, value, opts('record_value')).keyColumns).toEqual(['id', 'Name', 'amount']);
  });

  it('fields.whitelist restricts non-key value fields only', () => {
    expect(summary(tableShape(null, value, opts('record_value', ['id'], ['amount'])))).toEqual(['id:BIGINT!', 'amount:DECIMAL']);
    expect(summary(tableShape(null, value, opts('none', [], ['Name', 'missing'])))).toEqual(['Name:STRING']);
  });

  it('a tombstone (no value schema) gives the key columns only', () => {
    const key = struct({ id: s('INT64') });
    expect(summary(tableShape(key, null, opts('record_key')))).toEqual(['id:BIGINT!']);
    expect(tableShape(null, null, opts('none')).columns).toEqual([]);
  });

  it('turns schema defaults into SQL literals', () => {
    const v = struct({
      s: s('STRING', { defaultValue: "it's" }),
      n: s('INT32', { defaultValue: -1 }),
      b: s('BOOLEAN', { defaultValue: false }),
      d: s('BYTES', { logical: { kind: 'decimal', precision: 5, scale: 2 }, defaultValue: { unscaled: 150n, scale: 2 } }),
      nul: s('STRING', { defaultValue: null }),
      raw: s('BYTES', { defaultValue: Buffer.from([0xff]) }),
    });
    expect(summary(tableShape(null, v, opts('none')))).toEqual(["s:STRING='it''s'", 'n:INT=-1', 'b:BOOLEAN=FALSE', 'd:DECIMAL=1.50', 'nul:STRING', 'raw:BINARY']);
  });

  it('rejects values that are not structs, and keys that cannot be key columns', () => {
    expect(errorOf(() => tableShape(null, s('STRING'), opts('none'))).message).toMatch(/not a struct/);
    const key = struct({ nested: struct({ a: s('INT32') }) });
    expect(errorOf(() => tableShape(key, value, opts('record_key'))).message).toMatch(/cannot be a key column/);
  });

  it('keeps hostile and unicode field names verbatim', () => {
    const v = struct({ 'a"b': s('INT32'), 'x.y': s('INT32'), 'drop table': s('INT32'), Ünï: s('INT32'), '': s('INT32') });
    expect(tableShape(null, v, opts('none')).columns.map((c) => c.name)).toEqual(['a"b', 'x.y', 'drop table', 'Ünï', '']);
  });
});

describe('regression: pk.mode=kafka dropped a value field named like its key columns without a word (issue 13, point 5)', () => {
  it.each(['__connect_topic', '__connect_partition', '__connect_offset'])('a value field %s is SCHEMA_INCOMPATIBLE, naming the field and what to do', (name) => {
    const e = errorOf(() => tableShape(null, struct({ id: s('INT64'), [name]: s('INT64') }), opts('kafka')));
    expect(e.code).toBe('SCHEMA_INCOMPATIBLE');
    expect(e.isRecordError).toBe(true);
    expect(e.message).toMatch(new RegExp(`^value field "${name}" has the name of the pk.mode=kafka key column that holds the record's Kafka (topic|partition|offset); its value would be lost: rename the field, leave it out with fields.whitelist, or name the key columns otherwise with pk.fields$`));
  });

  it('the same field is fine when fields.whitelist leaves it out, or the key columns are named otherwise', () => {
    expect(summary(tableShape(null, struct({ id: s('INT64'), __connect_offset: s('INT64') }), opts('kafka', [], ['id'])))).toEqual(['__connect_topic:STRING!', '__connect_partition:INT!', '__connect_offset:BIGINT!', 'id:BIGINT']);
    expect(summary(tableShape(null, struct({ __connect_offset: s('INT64') }), opts('kafka', ['t', 'p', 'o'])))).toEqual(['t:STRING!', 'p:INT!', 'o:BIGINT!', '__connect_offset:BIGINT']);
  });
});

describe('regression: a schemaless JSON null member clashed with a typed column', () => {
// Regression: a JSON null member of a schemaless record was planned as a STRING column, so a null
// in a column other records had made BIGINT (or DOUBLE, BOOLEAN, VARIANT) was an "incompatible
// type" record error that stopped the sink, and a null seen first created a VARCHAR column.
const options: ShapeOptions = { pkMode: 'none', pkFields: [], fieldsWhitelist: [] };
const table = { database: null, table: 'loose' };

async function schemaOf(json: string): Promise<Schema> {
  const converted = await new ConnectJsonConverter(false).toConnectData('loose', Buffer.from(json));
  return converted!.schema;
}

describe('schemaless JSON null members', () => {
  it('are no column: the table keeps the type other records give the member', async () => {
    const typed = tableShape(null, await schemaOf('{"id":1,"n":5,"f":1.5,"b":true,"o":{"a":1}}'), options);
    const existing = typed.columns.map((c) => ({ name: c.name, type: formatColumnType(c.type) }));
    const nulls = tableShape(null, await schemaOf('{"id":2,"n":null,"f":null,"b":null,"o":null}'), options);
    expect(nulls.columns.map((c) => c.name)).toEqual(['id']);
    expect(evolutionPlan(table, existing, nulls, { autoEvolve: true, quoting: 'always' })).toEqual({ statements: [], added: [], widened: [] });
  });

  it('add no column of a guessed type to a table that lacks the member', async () => {
    const shape = tableShape(null, await schemaOf('{"id":1,"later":null}'), options);
    expect(evolutionPlan(table, [{ name: 'id', type: 'BIGINT' }], shape, { autoEvolve: true, quoting: 'always' }).statements).toEqual([]);
  });
});
});
