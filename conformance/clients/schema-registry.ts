import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { SchemaRegistryEndpoint } from '../environments/environment';

export function schemaRegistryClient(endpoint: SchemaRegistryEndpoint): SchemaRegistry {
  const auth = endpoint.basicAuthUserInfo;
  if (!auth) return new SchemaRegistry({ host: endpoint.url });
  const split = auth.indexOf(':');
  return new SchemaRegistry({ host: endpoint.url, auth: { username: auth.slice(0, split), password: auth.slice(split + 1) } });
}
