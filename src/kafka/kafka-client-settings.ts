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

/** kafkajs consumer fetch limits. */
export interface FetchSizes {
  /** The most one partition's fetch may return. */
  maxBytesPerPartition: number;
  /** The most one fetch may return. */
  maxBytes: number;
}

/** Bytes per record assumed until a batch was seen: a compact Avro or JSON record. */
const FIRST_BYTES_PER_RECORD = 128;
/** What a record costs on the wire beyond its key, value and headers (length, attributes, deltas). */
const RECORD_OVERHEAD_BYTES = 12;
/**
 * Aim a little short of `batch.size` records, for records a little smaller than the average: a
 * fetch a few records short costs nothing, a few records over makes a second, tiny load.
 */
const AIM = 0.97;
const MIN_FETCH_BYTES = 64 * 1024;
/** The most one fetch round holds, over all the partitions handled at once: the memory bound. */
const ROUND_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * Fetch limits in bytes, from the size of the records seen: one partition's fetch holds about
 * `batch.size` records — one load of `batch.size` rows — whatever the records weigh, and a fetch
 * holds the partitions handled at once (`tasks.max`), no more, because kafkajs fetches the next
 * round only when this one is handled (and shuffles partitions in each fetch so that none starves).
 *
 * kafkajs decodes a whole fetch into message objects at once, so records per fetch is what the
 * memory follows (1 KiB per record assumed for 64-byte records made a 600 MB process, see
 * docs/benchmarks.md); a round never holds more than 64 MiB however large the records (larger
 * records then make smaller batches, never a stall: the broker always returns a record batch).
 * Until a batch was seen, 128 bytes per record are assumed. Sizes are the uncompressed keys and
 * values: on a compressed topic a fetch holds fewer records, never more.
 */
export class FetchSizing {
  private bytesPerRecord = FIRST_BYTES_PER_RECORD;
  private observed = false;

  constructor(
    private readonly batchSize: number,
    private readonly partitionsAtOnce: number,
  ) {}

  /** The limits for the next fetch. */
  sizes(): FetchSizes {
    const perPartitionBudget = Math.floor(ROUND_BUDGET_BYTES / this.partitionsAtOnce);
    const wanted = Math.ceil(this.batchSize * this.bytesPerRecord * (this.observed ? AIM : 1));
    const maxBytesPerPartition = Math.max(MIN_FETCH_BYTES, Math.min(perPartitionBudget, wanted));
    return { maxBytesPerPartition, maxBytes: maxBytesPerPartition * this.partitionsAtOnce };
  }

  /** A fetched partition batch of `records` records holding `bytes` bytes of keys, values and headers. */
  observe(records: number, bytes: number): void {
    if (records === 0) return;
    const perRecord = bytes / records + RECORD_OVERHEAD_BYTES;
    // The newest batches weigh most: a topic whose records grow is followed within a few fetches.
    this.bytesPerRecord = this.observed ? 0.5 * this.bytesPerRecord + 0.5 * perRecord : perRecord;
    this.observed = true;
  }
}
