/**
 * Kafka Connect's Union struct (`io.confluent.connect.avro.Union`) read from Connect JSON gives what
 * the standalone Avro path gives for the same Avro union. The envelopes of
 * fixtures/connect-json/avro-unions/cases.jsonl were written by Apicurio's AvroConverter data
 * mapping and Kafka's JsonConverter from the very Avro bytes next to them (UnionEnvelopes.java).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SchemaAndValue, Value } from '../record/schema';
import { formatColumnType, columnTypeFor } from '../dialect/type-mapping';
import { csvFieldEncoder, UTC_CONTEXT } from '../dialect/value-encoders';
import { FakeSchemaSource } from '../../test-support/fake-schema-source';
import { fieldSchema, rejection, structFields } from '../../test-support/converter';
import { AvroConverter } from './avro-converter';
import { ConnectJsonConverter } from './connect-json-converter';
import { connectSchemaFromJson } from './connect-json-schema';
import { encodeWireFormat } from './wire-format';

const FIXTURE = path.join(__dirname, '../../fixtures/connect-json/avro-unions');
const UNION = 'io.confluent.connect.avro.Union';

interface Case {
  avro: string;
  /** The envelope's text as JsonConverter wrote it (JSON.parse would round its int64s and drop -0's sign). */
  connect: string;
}

function cases(): Case[] {
  const lines = fs.readFileSync(path.join(FIXTURE, 'cases.jsonl'), 'utf8').split('\n');
  return lines
    .filter((line) => line !== '')
    .map((line) => {
      const m = /^\{"avro":"([0-9a-f]*)","connect":(.*)\}$/.exec(line);
      if (m === null) throw new Error(`cases.jsonl: unexpected line ${line.slice(0, 40)}`);
      return { avro: m[1], connect: m[2] };
    });
}

/** Each column as the writer sees it: its Databend type, nullability and the CSV text of the value. */
function columns(result: SchemaAndValue | null): [string, string, boolean, string | null][] {
  const values = structFields(result);
  return result!.schema.fields!.map((f) => {
    const v = values[f.name] as Value;
    return [f.name, formatColumnType(columnTypeFor(f.schema)), f.schema.optional, v === null ? null : csvFieldEncoder(f.schema, UTC_CONTEXT)(v)];
  });
}

function convert(text: string): SchemaAndValue | null {
  return new ConnectJsonConverter(true).convertText(text);
}

function envelope(schema: object, payload: string): string {
  return `{"schema":${JSON.stringify(schema)},"payload":${payload}}`;
}

function unionOf(optional: boolean, ...branches: [string, object][]): object {
  return { type: 'struct', name: UNION, optional, fields: branches.map(([field, schema]) => ({ ...schema, optional: true, field })) };
}

function record(...fields: [string, object][]): object {
  return { type: 'struct', name: 'com.example.R', optional: false, fields: fields.map(([field, schema]) => ({ ...schema, field })) };
}

describe('ConnectJsonConverter: Connect Union structs (the Avro converter’s unions of several types)', () => {
  it.each(cases().map((c, i) => [i + 1, c] as const))('case %i: the same columns and values as the standalone Avro path', async (_, c) => {
    const registry = new FakeSchemaSource();
    const id = registry.register(fs.readFileSync(path.join(FIXTURE, 'value.avsc'), 'utf8'));
    const standalone = await new AvroConverter(registry).toConnectData('t', encodeWireFormat(id, Buffer.from(c.avro, 'hex')));
    const plugin = convert(c.connect);
    expect(columns(plugin)).toEqual(columns(standalone));
    expect(structFields(plugin)).toEqual(structFields(standalone));
  });

  it('reads the union field of the types.matrix scenario as its branch value: VARIANT 9007199254740993, not the struct', () => {
    const c = cases()[0];
    const result = convert(c.connect);
    expect(fieldSchema(result, 'multi')).toEqual({ type: 'STRING', optional: true, logical: { kind: 'variant' } });
    expect(structFields(result).multi).toBe(9007199254740993n);
    expect(columns(result).find(([name]) => name === 'multi')).toEqual(['multi', 'VARIANT', true, '9007199254740993']);
  });

  it('renders each branch kind as the standalone Avro path does', () => {
    const schema = record(
      ['u', unionOf(true, ['int', { type: 'int32' }], ['float', { type: 'float' }], ['bytes', { type: 'bytes' }], ['string', { type: 'string' }])],
      ['d', unionOf(true, ['string', { type: 'string' }], ['bytes', { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }])],
      ['t', unionOf(true, ['int', { type: 'int32', name: 'org.apache.kafka.connect.data.Date' }], ['long', { type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' }])],
      ['r', unionOf(true, ['A', { type: 'struct', name: 'A', fields: [{ type: 'float', optional: false, field: 'f' }, { ...unionOf(false, ['long', { type: 'int64' }], ['string', { type: 'string' }]), field: 'in' }] }], ['string', { type: 'string' }])],
    );
    const read = (payload: string) => structFields(convert(envelope(schema, payload)));
    expect(read('{"u":{"int":-5},"d":{"bytes":"/wA="},"t":{"int":-1},"r":{"A":{"f":1.1,"in":{"long":9007199254740993}}}}')).toEqual({
      u: -5,
      d: '-2.56',
      t: '1969-12-31',
      r: { f: Math.fround(1.1), in: 9007199254740993n },
    });
    // A float branch is the float itself (1.100000023841858), as Avro decodes it, not the shortest text Jackson wrote.
    expect(read('{"u":{"float":1.1},"d":{"string":"x"},"t":{"long":-1},"r":{"string":"s"}}')).toEqual({ u: Math.fround(1.1), d: 'x', t: '1969-12-31T23:59:59.999000Z', r: 's' });
    expect(read('{"u":{"bytes":"AP8="},"d":null,"t":null,"r":null}')).toEqual({ u: 'AP8=', d: null, t: null, r: null });
  });

  it('reads a union in arrays and maps, and a Decimal branch written as a number (decimal.format=NUMERIC) exactly', () => {
    const branches: [string, object][] = [['long', { type: 'int64' }], ['bytes', { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '20' } }]];
    const schema = record(['a', { type: 'array', optional: false, items: unionOf(false, ...branches) }], ['m', { type: 'map', optional: false, keys: { type: 'string', optional: false }, values: unionOf(true, ...branches) }]);
    const result = convert(envelope(schema, '{"a":[{"long":1},{"bytes":0.12345678901234567890}],"m":{"k":{"long":null,"bytes":1},"n":null}}'));
    expect(structFields(result)).toEqual({ a: [1n, '0.12345678901234567890'], m: { kind: 'map', entries: [['k', '1.00000000000000000000'], ['n', null]] } });
    expect(fieldSchema(result, 'a').items).toEqual({ type: 'STRING', optional: false, logical: { kind: 'variant' } });
  });

  it('takes a default written as a Union struct as the branch value', () => {
    const union = { ...unionOf(false, ['string', { type: 'string' }], ['int', { type: 'int32' }]), default: { string: 'dflt', int: null } };
    const result = convert(envelope(record(['v', union]), '{"v":{"string":null,"int":3}}'));
    expect(fieldSchema(result, 'v')).toEqual({ type: 'STRING', optional: false, logical: { kind: 'variant' }, defaultValue: 'dflt' });
    expect(structFields(result).v).toBe(3);
  });

  it('refuses a union with no branch or several branches set, and a required union that is null, as RECORD_UNDECODABLE naming the field', async () => {
    const schema = record(['o', unionOf(true, ['long', { type: 'int64' }], ['string', { type: 'string' }])], ['r', unionOf(false, ['long', { type: 'int64' }], ['string', { type: 'string' }])]);
    const converter = new ConnectJsonConverter(true);
    const refused = (payload: string) => rejection(converter.toConnectData('t', Buffer.from(envelope(schema, payload))));
    const none = await refused('{"o":{"long":null,"string":null},"r":{"long":1}}');
    expect(none.code).toBe('RECORD_UNDECODABLE');
    expect(none.message).toBe('o is a Connect Union struct with no branch set: exactly one must be (a null union is a null struct)');
    const both = await refused('{"o":null,"r":{"long":1,"string":"secret"}}');
    expect(both.message).toBe('r is a Connect Union struct with branches long and string set: exactly one must be');
    expect(both.message).not.toContain('secret');
    expect((await refused('{"o":null,"r":null}')).message).toBe('r is required but null');
    expect((await refused('{"o":null,"r":[1]}')).message).toBe('r must be an object (a Connect Union struct), got an array');
  });

  it('refuses a bytes value of a union that also has a decimal branch: the Avro converter puts it in the first bytes branch, whichever it was', async () => {
    // As Apicurio's AvroConverter hands over ["Tag3" fixed(3), decimal bytes(9,2)]: every value in the first branch.
    const schema = record(['u', unionOf(false, ['Tag3', { type: 'bytes', name: 'com.example.Tag3', parameters: { 'connect.fixed.size': '3' } }], ['bytes', { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }], ['string', { type: 'string' }])]);
    const converter = new ConnectJsonConverter(true);
    for (const payload of ['{"u":{"Tag3":"YWJj","bytes":null,"string":null}}', '{"u":{"Tag3":null,"bytes":"YWJj","string":null}}']) {
      const err = await rejection(converter.toConnectData('t', Buffer.from(envelope(schema, payload))));
      expect(err.code).toBe('RECORD_UNDECODABLE');
      expect(err.message).toContain('u is a Connect Union struct whose branches Tag3, bytes are all bytes in Kafka Connect');
    }
    expect(structFields(await converter.toConnectData('t', Buffer.from(envelope(schema, '{"u":{"Tag3":null,"bytes":null,"string":"s"}}'))))).toEqual({ u: 's' });
    // bytes and fixed alone render alike (base64): no doubt.
    const alike = record(['u', unionOf(false, ['Tag3', { type: 'bytes', name: 'com.example.Tag3' }], ['bytes', { type: 'bytes' }])]);
    expect(structFields(convert(envelope(alike, '{"u":{"Tag3":"YWJj","bytes":null}}')))).toEqual({ u: 'YWJj' });
  });

  it('gives the row programs the same record-model schema (a variant, so no program: the script reads such records)', () => {
    const schema = connectSchemaFromJson(record(['u', unionOf(true, ['long', { type: 'int64' }], ['string', { type: 'string' }])]) as never);
    expect(schema.fields![0].schema).toEqual({ type: 'STRING', optional: true, logical: { kind: 'variant' } });
  });

  it('keeps a struct of any other name a struct', () => {
    const schema = record(['s', { type: 'struct', name: 'io.confluent.connect.avro.NotUnion', optional: false, fields: [{ type: 'int64', optional: true, field: 'long' }] }]);
    const result = convert(envelope(schema, '{"s":{"long":1}}'));
    expect(fieldSchema(result, 's').type).toBe('STRUCT');
    expect(structFields(result).s).toEqual({ kind: 'struct', fields: { long: 1n } });
  });
});
