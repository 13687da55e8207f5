import type { ConverterConfig } from './converter-config';
import { AvroConverter } from './avro-converter';
import { ByteArrayConverter } from './bytearray-converter';
import { ConnectJsonConverter } from './connect-json-converter';
import { createConverter } from './converter-factory';
import { FakeSchemaSource } from '../../test-support/fake-schema-source';
import { JsonSchemaConverter } from './json-schema-converter';
import { ProtobufConverter } from './protobuf-converter';
import { StringConverter } from './string-converter';

function config(kind: ConverterConfig['kind'], extra: Partial<ConverterConfig> = {}): ConverterConfig {
  return { kind, className: `x.${kind}`, schemasEnable: true, ...extra };
}

describe('createConverter', () => {
  it('creates the converter for each kind', () => {
    const registry = new FakeSchemaSource();
    expect(createConverter(config('avro'), false, registry)).toBeInstanceOf(AvroConverter);
    expect(createConverter(config('json-schema'), false, registry)).toBeInstanceOf(JsonSchemaConverter);
    expect(createConverter(config('protobuf'), true, registry)).toBeInstanceOf(ProtobufConverter);
    expect(createConverter(config('json'), true)).toBeInstanceOf(ConnectJsonConverter);
    expect(createConverter(config('string'), true)).toBeInstanceOf(StringConverter);
    expect(createConverter(config('bytearray'), false)).toBeInstanceOf(ByteArrayConverter);
  });

  it('builds a registry client from the config when none is given', () => {
    expect(createConverter(config('avro', { schemaRegistryUrl: 'http://127.0.0.1:1', basicAuthUserInfo: 'u:p' }), false)).toBeInstanceOf(AvroConverter);
  });

  it('refuses a registry converter without schema.registry.url', () => {
    expect(() => createConverter(config('avro'), false)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('honours schemas.enable for JsonConverter', async () => {
    const schemaless = createConverter(config('json', { schemasEnable: false }), false);
    await expect(schemaless.toConnectData('t', Buffer.from('{"a": 1}'))).resolves.toMatchObject({ value: { kind: 'struct', fields: { a: 1n } } });
    const withSchemas = createConverter(config('json'), false);
    await expect(withSchemas.toConnectData('t', Buffer.from('{"a": 1}'))).rejects.toMatchObject({ code: 'RECORD_UNDECODABLE' });
  });
});
