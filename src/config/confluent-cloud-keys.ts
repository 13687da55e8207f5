/**
 * The keys Confluent Cloud puts into a custom connector's config, read the way a standalone sink
 * can use them: `kafka.api.key` / `kafka.api.secret` (with `kafka.auth.mode=KAFKA_API_KEY`) are
 * SASL_SSL PLAIN credentials, turned into the Kafka client keys the rest of the config uses;
 * `confluent.*` keys only tell Confluent Cloud how to run a connector. Pure: says what to set and
 * what is wrong, never puts a secret into a message.
 */
export interface KeyMessage {
  key: string;
  message: string;
}

export interface ApiKeyTranslation {
  /** Kafka client keys the API key stands for, each with the key it came from (for messages). */
  settings: { key: string; value: string; from: string }[];
  problems: KeyMessage[];
  warnings: KeyMessage[];
}

const API_KEY_KEYS = 'kafka.api.key and kafka.api.secret';

/** A JAAS option value in double quotes, `\` and `"` escaped (parseJaasConfig reads it back). */
function jaasQuoted(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** `config`: the flat config after consumer.override.* stood in for unset client keys. */
export function apiKeySettings(config: Readonly<Record<string, string>>): ApiKeyTranslation {
  const out: ApiKeyTranslation = { settings: [], problems: [], warnings: [] };
  const mode = config['kafka.auth.mode']?.trim().toUpperCase();
  const key = config['kafka.api.key'];
  const secret = config['kafka.api.secret'];
  if (mode === 'SERVICE_ACCOUNT') {
    out.problems.push({
      key: 'kafka.auth.mode',
      message: `SERVICE_ACCOUNT credentials exist only inside Confluent Cloud; a standalone sink needs kafka.auth.mode=KAFKA_API_KEY with ${API_KEY_KEYS} (an API key of the Kafka cluster)`,
    });
    return out;
  }
  if (config['kafka.service.account.id'] !== undefined) {
    out.warnings.push({ key: 'kafka.service.account.id', message: 'has no effect: it is read only with kafka.auth.mode=SERVICE_ACCOUNT, which works only inside Confluent Cloud' });
  }
  if (key === undefined && secret === undefined) {
    if (mode === 'KAFKA_API_KEY') out.problems.push({ key: 'kafka.api.key', message: `is required with kafka.auth.mode=KAFKA_API_KEY: set ${API_KEY_KEYS}` });
    return out;
  }
  if (key === undefined || key.trim() === '') out.problems.push({ key: 'kafka.api.key', message: 'is required with kafka.api.secret (the API key that secret belongs to)' });
  if (secret === undefined || secret === '') out.problems.push({ key: 'kafka.api.secret', message: 'is required with kafka.api.key (the secret of that API key)' });
  const protocol = config['security.protocol']?.trim().toUpperCase();
  if (protocol !== undefined && protocol !== 'SASL_SSL' && protocol !== 'SASL_PLAINTEXT') {
    out.problems.push({
      key: 'security.protocol',
      message: `contradicts ${API_KEY_KEYS}, which are SASL PLAIN credentials (Confluent Cloud uses SASL_SSL): remove security.protocol or set it to SASL_SSL`,
    });
  }
  const mechanism = config['sasl.mechanism']?.trim().toUpperCase();
  if (mechanism !== undefined && mechanism !== 'PLAIN') {
    out.problems.push({ key: 'sasl.mechanism', message: `contradicts ${API_KEY_KEYS}, which are SASL PLAIN credentials: remove sasl.mechanism or set it to PLAIN` });
  }
  if (config['sasl.jaas.config'] !== undefined) {
    out.problems.push({ key: 'kafka.api.key', message: `conflicts with sasl.jaas.config: both give the Kafka credentials; keep ${API_KEY_KEYS} (Confluent Cloud's form) or sasl.jaas.config, not both` });
  }
  if (out.problems.length > 0) return out;
  if (protocol === undefined) out.settings.push({ key: 'security.protocol', value: 'SASL_SSL', from: 'kafka.api.key' });
  if (mechanism === undefined) out.settings.push({ key: 'sasl.mechanism', value: 'PLAIN', from: 'kafka.api.key' });
  out.settings.push({
    key: 'sasl.jaas.config',
    value: `org.apache.kafka.common.security.plain.PlainLoginModule required username=${jaasQuoted(key as string)} password=${jaasQuoted(secret as string)};`,
    from: 'kafka.api.secret',
  });
  return out;
}

/** The `confluent.*` platform keys of a config, sorted. */
export function platformKeys(config: Readonly<Record<string, string>>): string[] {
  return Object.keys(config)
    .filter((k) => k.startsWith('confluent.'))
    .sort();
}

/** Whether Confluent Cloud was asked to fill in the schema registry settings. */
export function registryFilledByConfluentCloud(config: Readonly<Record<string, string>>): boolean {
  return config['confluent.custom.schema.registry.auto']?.trim().toLowerCase() === 'true';
}

/** What a missing `bootstrap.servers` needs, in words a Confluent Cloud user can act on. */
export const BOOTSTRAP_SERVERS_MISSING =
  'is required: add bootstrap.servers=<host:port>[,<host:port>…], the Kafka cluster to read from (on Confluent Cloud: the cluster\'s Bootstrap server, ' +
  'e.g. pkc-xxxxx.us-east-2.aws.confluent.cloud:9092, under Cluster settings). Confluent Cloud fills it in for a connector it runs; a standalone sink connects to Kafka itself and must be told where';

/** What a registry converter without `<prefix>.schema.registry.url` needs. */
export function registryUrlMissing(prefix: string, className: string, filledByConfluentCloud: boolean): string {
  const add =
    `add ${prefix}.schema.registry.url=https://<registry host>` +
    ` (Confluent Cloud Schema Registry also needs ${prefix}.basic.auth.credentials.source=USER_INFO and ${prefix}.basic.auth.user.info=<registry API key>:<registry API secret>)`;
  return filledByConfluentCloud
    ? `is required with ${prefix}=${className}: confluent.custom.schema.registry.auto=true makes Confluent Cloud fill in the registry URL and credentials for a connector it runs; a standalone sink cannot, so ${add}`
    : `is required with ${prefix}=${className}: ${add}`;
}
