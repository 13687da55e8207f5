import { IMAGES } from './images';

/**
 * What each container needs, as plain data so it can be unit-tested without a container runtime.
 * Kafka itself is built by @testcontainers/kafka (KRaft), which handles the advertised listeners;
 * the registry reaches it on the network alias through its BROKER listener.
 */
export interface ContainerSpec {
  image: string;
  networkAlias: string;
  environment: Record<string, string>;
  exposedPort: number;
  /** HTTP readiness: path on `exposedPort` that answers 200. */
  readyPath: string;
}

export const KAFKA_ALIAS = 'kafka';
export const KAFKA_INTERNAL_BOOTSTRAP = `${KAFKA_ALIAS}:9092`;

export function schemaRegistrySpec(): ContainerSpec {
  return {
    image: IMAGES.schemaRegistry,
    networkAlias: 'schema-registry',
    environment: {
      SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
      SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
      SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: `PLAINTEXT://${KAFKA_INTERNAL_BOOTSTRAP}`,
      SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL: 'backward',
    },
    exposedPort: 8081,
    readyPath: '/subjects',
  };
}

export function databendSpec(user: string, password: string): ContainerSpec {
  return {
    image: IMAGES.databend,
    networkAlias: 'databend',
    environment: { QUERY_DEFAULT_USER: user, QUERY_DEFAULT_PASSWORD: password },
    exposedPort: 8000,
    readyPath: '/health',
  };
}
