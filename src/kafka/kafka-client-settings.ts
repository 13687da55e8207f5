import * as fs from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

/**
 * Translates Kafka's own client keys (`security.protocol`, `sasl.mechanism`, `sasl.jaas.config`,
 * `ssl.*`) into kafkajs options, so a config written for a Java client — e.g. a Confluent Cloud
 * API key in a JAAS line — works unchanged.
 */
export type KafkaSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

export class KafkaSettingsError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`);
    this.name = 'KafkaSettingsError';
  }
}

const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
const MECHANISMS = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' } as const;

export interface JaasCredentials {
  loginModule: string;
  username: string;
  password: string;
}

/**
 * Parses `<LoginModule> required key="value" key2='value2' key3=value3;`. As in Java's JAAS parser,
 * values may be double- or single-quoted (Confluent Cloud's client snippets use single quotes),
 * with backslash escapes inside the quotes. Errors never repeat the line itself: it carries a secret.
 */
export function parseJaasConfig(jaas: string): JaasCredentials {
  const match = /^\s*([\w.$]+)\s+(required|requisite|sufficient|optional)\s+([\s\S]*?);?\s*$/.exec(jaas);
  if (!match) throw new KafkaSettingsError('sasl.jaas.config', 'expected "<LoginModule> required username=\\"…\\" password=\\"…\\";"');
  const options: Record<string, string> = {};
  const optionPattern = /([\w.]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s;"']+))/g;
  let m: RegExpExecArray | null;
  while ((m = optionPattern.exec(match[3])) !== null) {
    const quoted = m[2] ?? m[3];
    options[m[1]] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : m[4];
  }
  const missing = ['username', 'password'].filter((k) => options[k] === undefined);
  if (missing.length > 0) throw new KafkaSettingsError('sasl.jaas.config', `missing ${missing.join(' and ')} in the login module options`);
  return { loginModule: match[1], username: options.username, password: options.password };
}

export function kafkaSecurity(settings: Record<string, string | undefined>): KafkaSecurity {
  const protocol = (settings['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new KafkaSettingsError('security.protocol', `"${settings['security.protocol']}" is not one of ${PROTOCOLS.join(', ')}`);
  }
  const result: KafkaSecurity = {};
  if (protocol === 'SSL' || protocol === 'SASL_SSL') result.ssl = tlsOptions(settings);
  if (protocol.startsWith('SASL_')) result.sasl = saslOptions(settings);
  return result;
}

function saslOptions(settings: Record<string, string | undefined>): SASLOptions {
  const mechanism = (settings['sasl.mechanism'] ?? 'GSSAPI').toUpperCase();
  if (!(mechanism in MECHANISMS)) {
    throw new KafkaSettingsError('sasl.mechanism', `"${settings['sasl.mechanism'] ?? '(unset, Kafka default GSSAPI)'}" is not supported; use one of ${Object.keys(MECHANISMS).join(', ')}`);
  }
  const jaas = settings['sasl.jaas.config'];
  if (!jaas) throw new KafkaSettingsError('sasl.jaas.config', `is required with sasl.mechanism=${mechanism}`);
  const { username, password } = parseJaasConfig(jaas);
  return { mechanism: MECHANISMS[mechanism as keyof typeof MECHANISMS], username, password } as SASLOptions;
}

/** PEM files only: Node's TLS has no JKS/PKCS12 keystore reader for Kafka-style stores. */
function tlsOptions(settings: Record<string, string | undefined>): KafkaSecurity['ssl'] {
  const read = (key: string): string | undefined => {
    const file = settings[key];
    if (!file) return undefined;
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new KafkaSettingsError(key, `cannot read ${file}: ${(err as Error).message}`);
    }
  };
  for (const key of ['ssl.truststore.type', 'ssl.keystore.type']) {
    const type = settings[key];
    if (type && type.toUpperCase() !== 'PEM') throw new KafkaSettingsError(key, `"${type}" is not supported; only PEM stores can be read here`);
  }
  const ca = settings['ssl.truststore.certificates'] ?? read('ssl.truststore.location');
  const cert = settings['ssl.keystore.certificate.chain'] ?? read('ssl.keystore.location');
  const key = settings['ssl.keystore.key'];
  const verifyHost = (settings['ssl.endpoint.identification.algorithm'] ?? 'https') !== '';
  if (!ca && !cert && verifyHost) return true;
  return {
    ...(ca ? { ca: [ca] } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key, passphrase: settings['ssl.key.password'] } : {}),
    ...(verifyHost ? {} : { checkServerIdentity: () => undefined }),
  };
}

/**
 * Java consumer keys (given as `consumer.override.<key>`) that set a kafkajs consumer option. They
 * tune group membership, e.g. how soon a crashed member's partitions move to a restarted one.
 */
const CONSUMER_OPTIONS = {
  'session.timeout.ms': 'sessionTimeout',
  'heartbeat.interval.ms': 'heartbeatInterval',
  'max.poll.interval.ms': 'rebalanceTimeout',
} as const;

export const CONSUMER_TUNING_KEYS: readonly string[] = Object.keys(CONSUMER_OPTIONS);

export type ConsumerTuning = Partial<Record<(typeof CONSUMER_OPTIONS)[keyof typeof CONSUMER_OPTIONS], number>>;

export interface ConsumerTuningCheck {
  tuning: ConsumerTuning;
  /** Keys kafkajs has no equivalent for: they have no effect. */
  unsupported: string[];
  invalid: { key: string; message: string }[];
}

/** The kafkajs consumer options that `consumer.override.*` keys (prefix removed) ask for. */
export function consumerTuning(overrides: Readonly<Record<string, string>>): ConsumerTuningCheck {
  const check: ConsumerTuningCheck = { tuning: {}, unsupported: [], invalid: [] };
  for (const [key, value] of Object.entries(overrides)) {
    const option = CONSUMER_OPTIONS[key as keyof typeof CONSUMER_OPTIONS];
    if (option === undefined) check.unsupported.push(key);
    else if (!/^[1-9]\d{0,9}$/.test(value.trim()) || Number(value) > 2 ** 31 - 1) check.invalid.push({ key, message: 'must be a positive number of milliseconds' });
    else check.tuning[option] = Number(value);
  }
  return check;
}

/**
 * One partition's fetch: about `batch.size` records of 128 bytes (a compact Avro or JSON record),
 * between 1 MiB and 64 MiB. kafkajs decodes a whole fetch into message objects at once, so a larger
 * estimate holds several batches' worth of small records in memory (1 KiB per record made a 20 MB
 * fetch of 300,000 small records, and a 600 MB process; 512 bytes gave 10 % more throughput on
 * 64-byte records for 100 MB more RSS, see docs/benchmarks.md). Larger records make smaller
 * batches, never a stall: the broker always returns at least one record batch.
 */
const FETCH_BYTES_PER_RECORD = 128;
const MIN_FETCH_BYTES = 1024 * 1024;
const MAX_FETCH_BYTES = 64 * 1024 * 1024;

/** kafkajs consumer fetch limits. */
export interface FetchSizes {
  /** The most one partition's fetch may return. */
  maxBytesPerPartition: number;
  /** The most one fetch may return. */
  maxBytes: number;
}

/**
 * The fetch limits for a `batch.size` and the partitions handled at once (`tasks.max`): one fetch
 * holds those partitions' worth, no more, because kafkajs fetches the next round only after this
 * one is handled (and shuffles partitions in each fetch so that none starves).
 */
export function fetchSizes(batchSize: number, partitionsAtOnce: number): FetchSizes {
  const maxBytesPerPartition = Math.min(MAX_FETCH_BYTES, Math.max(MIN_FETCH_BYTES, batchSize * FETCH_BYTES_PER_RECORD));
  return { maxBytesPerPartition, maxBytes: maxBytesPerPartition * partitionsAtOnce };
}
