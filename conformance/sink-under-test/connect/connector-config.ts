import type { ConnectorConfig } from '../sink-under-test';

/**
 * The suite's `{name, config}` as a Kafka Connect connector config. The suite writes configs the
 * way a standalone sink takes them (Kafka client keys included, Confluent's converter classes);
 * in Kafka Connect the worker owns the Kafka clients and the converters come from its plugins, so:
 *
 * - Kafka client keys (`bootstrap.servers` when it is not the worker's cluster, `security.protocol`,
 *   `sasl.*`, `ssl.*`) become `consumer.override.<key>`: the sink's consumer uses them.
 * - Confluent Cloud's API key (`kafka.api.key`/`kafka.api.secret`, `kafka.auth.mode=KAFKA_API_KEY`)
 *   becomes what Confluent Cloud makes of it: SASL_SSL PLAIN with that key as the consumer's
 *   credentials; the key and secret are not handed to the connector.
 * - `group.id` becomes `consumer.override.group.id`.
 * - `io.confluent.connect.avro.AvroConverter` becomes Apicurio's AvroConverter in its
 *   Confluent-compatible mode (4-byte ids, the id in the payload, ids as content ids, as the
 *   registry's Confluent API hands them out), pointed at the registry's own v2 API.
 * - A dead-letter topic without a replication factor gets the cluster's (Connect's default, 3,
 *   cannot be created on a smaller cluster).
 * - `connector.class` is replaced when the run names another class for the plugin under test.
 * - Keys that Kafka Connect reads from the worker, not the connector (`task.shutdown.graceful.timeout.ms`),
 *   are left out: `workerSettingsOf` hands them to a worker of their own.
 *
 * Everything else is passed as it is, unknown converter classes included, so that Connect itself
 * judges them.
 */
export interface ConnectSetup {
  /** The worker's own cluster. */
  workerBootstrap: string[];
  /** Brokers of the cluster, at most 3: the replication factor of topics Connect creates. */
  replicationFactor: number;
  /** The class every config is given (`CONFORMANCE_CONNECT_CLASS`), when not the one the config names. */
  connectorClass?: string;
  /** The registry's native v2 API, when Avro is offered (an Apicurio registry). */
  apicurioRegistryUrl?: string;
}

export const CONFLUENT_AVRO_CONVERTER = 'io.confluent.connect.avro.AvroConverter';
export const APICURIO_AVRO_CONVERTER = 'io.apicurio.registry.utils.converter.AvroConverter';

const KAFKA_CLIENT_KEY = /^(?:bootstrap\.servers|security\.protocol|sasl\.[a-z.]+|ssl\.[a-z.]+)$/;
const PLAIN_LOGIN_MODULE = 'org.apache.kafka.common.security.plain.PlainLoginModule';

/** Keys of a sink config that are worker settings in Kafka Connect. */
const WORKER_KEYS: readonly string[] = ['task.shutdown.graceful.timeout.ms'];

export class UnavailableConverterError extends Error {}

/** The worker settings a suite config carries (`WORKER_KEYS`); empty for most configs. */
export function workerSettingsOf(suite: ConnectorConfig): Record<string, string> {
  return Object.fromEntries(Object.entries(suite.config).filter(([key]) => WORKER_KEYS.includes(key)));
}

export function toConnectConfig(suite: ConnectorConfig, setup: ConnectSetup): ConnectorConfig {
  const config: Record<string, string> = {};
  const client: Record<string, string> = {};
  for (const [key, value] of Object.entries(suite.config)) {
    if (!WORKER_KEYS.includes(key)) (KAFKA_CLIENT_KEY.test(key) ? client : config)[key] = value;
  }

  const apiKey = config['kafka.api.key'];
  if (apiKey !== undefined && (config['kafka.auth.mode'] ?? 'KAFKA_API_KEY') === 'KAFKA_API_KEY') {
    client['security.protocol'] ??= 'SASL_SSL';
    client['sasl.mechanism'] ??= 'PLAIN';
    client['sasl.jaas.config'] ??= `${PLAIN_LOGIN_MODULE} required username=${jaasQuote(apiKey)} password=${jaasQuote(config['kafka.api.secret'] ?? '')};`;
    delete config['kafka.api.key'];
    delete config['kafka.api.secret'];
  }
  if (client['bootstrap.servers'] === setup.workerBootstrap.join(',')) delete client['bootstrap.servers'];
  // Java clients read a JKS truststore unless told otherwise; the suite's truststores are PEM files.
  if (client['ssl.truststore.location']?.endsWith('.pem') && client['ssl.truststore.type'] === undefined) client['ssl.truststore.type'] = 'PEM';
  for (const [key, value] of Object.entries(client)) config[`consumer.override.${key}`] ??= value;
  if (config['group.id'] !== undefined) {
    config['consumer.override.group.id'] ??= config['group.id'];
    delete config['group.id'];
  }

  for (const side of ['key', 'value'] as const) {
    if (config[`${side}.converter`] !== CONFLUENT_AVRO_CONVERTER) continue;
    if (!setup.apicurioRegistryUrl) {
      throw new UnavailableConverterError(
        `${side}.converter=${CONFLUENT_AVRO_CONVERTER}: this Kafka Connect setup has no Avro converter (Apicurio's needs an Apicurio registry); a scenario that needs converter:avro is not applicable here`,
      );
    }
    config[`${side}.converter`] = APICURIO_AVRO_CONVERTER;
    config[`${side}.converter.apicurio.registry.url`] = setup.apicurioRegistryUrl;
    config[`${side}.converter.apicurio.registry.as-confluent`] = 'true';
    config[`${side}.converter.apicurio.registry.use-id`] = 'contentId';
    config[`${side}.converter.apicurio.registry.headers.enabled`] = 'false';
  }
  if (config['errors.deadletterqueue.topic.name'] && config['errors.deadletterqueue.topic.replication.factor'] === undefined) {
    config['errors.deadletterqueue.topic.replication.factor'] = String(setup.replicationFactor);
  }
  if (setup.connectorClass) config['connector.class'] = setup.connectorClass;
  return { name: suite.name, config };
}

function jaasQuote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The registry's native API that Apicurio's converters speak, from the Confluent-compatible URL the
 * suite's configs carry (`…/apis/ccompat/v7` → `…/apis/registry/v2`); undefined for any other registry.
 */
export function apicurioNativeUrl(confluentCompatibleUrl: string): string | undefined {
  const m = /^(.*)\/apis\/ccompat\/v\d+\/?$/.exec(confluentCompatibleUrl);
  return m ? `${m[1]}/apis/registry/v2` : undefined;
}
