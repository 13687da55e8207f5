/**
 * Builds the converter of one side (key or value) from its validated config, sharing one registry
 * client per URL and credentials; the `Converter` port itself is in ports/converter.ts.
 */
import type { ConverterConfig } from './converter-config';
import { SinkError } from '../errors';
import type { Converter } from '../ports/converter';
import { AvroConverter } from './avro-converter';
import { ByteArrayConverter } from './bytearray-converter';
import { ConnectJsonConverter } from './connect-json-converter';
import { JsonSchemaConverter } from './json-schema-converter';
import { ProtobufConverter } from './protobuf-converter';
import { SchemaRegistryClient, type SchemaSource } from './schema-registry-client';
import { StringConverter } from './string-converter';


/** Registry clients shared by the key and value converters of one process, per URL and credentials. */
const sharedRegistries = new Map<string, SchemaRegistryClient>();

function registryFor(config: ConverterConfig, isKey: boolean): SchemaRegistryClient {
  const prefix = isKey ? 'key.converter' : 'value.converter';
  if (!config.schemaRegistryUrl) {
    throw new SinkError('CONFIG_INVALID', `${config.className} needs ${prefix}.schema.registry.url`);
  }
  const key = `${config.schemaRegistryUrl}\u0000${config.basicAuthUserInfo ?? ''}`;
  let client = sharedRegistries.get(key);
  if (!client) {
    client = new SchemaRegistryClient({ url: config.schemaRegistryUrl, basicAuthUserInfo: config.basicAuthUserInfo, configPrefix: prefix });
    sharedRegistries.set(key, client);
  } else client.sharedWith(prefix);
  return client;
}

/**
 * Checks each schema registry the converters use, once per registry, before anything is consumed:
 * a wrong URL or credentials stop the start with a config error naming the key (see
 * `SchemaRegistryClient.probe`), rather than failing, or skipping, record after record.
 */
export async function probeSchemaRegistries(key: ConverterConfig, value: ConverterConfig): Promise<void> {
  const clients = new Set<SchemaRegistryClient>();
  for (const [config, isKey] of [[key, true], [value, false]] as const) {
    if (config.kind === 'avro' || config.kind === 'json-schema' || config.kind === 'protobuf') clients.add(registryFor(config, isKey));
  }
  for (const client of clients) await client.probe();
}

/**
 * `registry` replaces the registry client built from the config (tests, or a caller sharing one).
 * `isKey` (as in Kafka Connect's `configure(configs, isKey)`) names the converter's keys in config
 * errors; the converters here read keys and values alike.
 */
export function createConverter(config: ConverterConfig, isKey: boolean, registry?: SchemaSource): Converter {
  switch (config.kind) {
    case 'avro':
      return new AvroConverter(registry ?? registryFor(config, isKey));
    case 'json-schema':
      return new JsonSchemaConverter(registry ?? registryFor(config, isKey));
    case 'protobuf':
      return new ProtobufConverter(registry ?? registryFor(config, isKey));
    case 'json':
      return new ConnectJsonConverter(config.schemasEnable);
    case 'string':
      return new StringConverter();
    case 'bytearray':
      return new ByteArrayConverter();
  }
}
