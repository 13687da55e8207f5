import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { SchemaRegistryAPIClientOptions } from '@kafkajs/confluent-schema-registry/dist/@types';
import type { SchemaRegistryEndpoint } from '../environments/environment';

// Confluent's JSON Schemas carry `connect.*` annotations (connect.type, connect.index, …), which
// ajv's strict mode refuses as unknown keywords when the client compiles a schema to register it.
const OPTIONS: SchemaRegistryAPIClientOptions = { [SchemaType.JSON]: { strict: false } };

export function schemaRegistryClient(endpoint: SchemaRegistryEndpoint): SchemaRegistry {
  const auth = endpoint.basicAuthUserInfo;
  if (!auth) return new SchemaRegistry({ host: endpoint.url }, OPTIONS);
  const split = auth.indexOf(':');
  return new SchemaRegistry({ host: endpoint.url, auth: { username: auth.slice(0, split), password: auth.slice(split + 1) } }, OPTIONS);
}
