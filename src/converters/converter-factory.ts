/**
 * Converters turn a Kafka key or value into the record model (`record/schema.ts`), as Kafka
 * Connect's converters do. One is created per side (key, value) from the validated config.
 *
 * Errors are SinkErrors without a position (the caller pins topic/partition/offset with `.at()`):
 * RECORD_UNDECODABLE (bad bytes, wrong magic byte, invalid UTF-8, value not matching its schema),
 * VALUE_OUT_OF_RANGE (a number too large for its type), SCHEMA_NOT_FOUND (unknown schema id,
 * named in the message), SCHEMA_REGISTRY_UNAVAILABLE (network, timeouts, 5xx: retriable), CONFIG_INVALID
 * (the registry URL is not a registry API, or credentials are missing or rejected).
 * Messages never include record content.
 */
import type { ConverterConfig } from '../config/sink-config';
import { SinkError } from '../errors';
import type { SchemaAndValue } from '../record/schema';
import { AvroConverter } from './avro-converter';
import { ByteArrayConverter } from './bytearray-converter';
import { ConnectJsonConverter } from './connect-json-converter';
import { JsonSchemaConverter } from './json-schema-converter';
import { ProtobufConverter } from './protobuf-converter';
import { SchemaRegistryClient, type SchemaSource } from './schema-registry-client';
import { StringConverter } from './string-converter';

export interface Converter {
  /** null bytes (a tombstone value, or no key) → null. */
  toConnectData(topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null>;
  /**
   * The same conversion without a promise, for the hot loop: `undefined` when it needs I/O first
   * (a schema id not fetched yet) — then call `toConnectData`. Throws what `toConnectData` rejects with.
   */
  tryConvert?(topic: string, bytes: Buffer | null): SchemaAndValue | null | undefined;
}

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
