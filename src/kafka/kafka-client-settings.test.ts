import { FetchSizing, kafkaSecurity, KafkaSettingsError, parseJaasConfig } from './kafka-client-settings';
import { validateConfig } from '../config/validate-config';
import { consumerTuning } from './kafka-client-settings';

const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule';

describe('parseJaasConfig', () => {
  it('reads a Confluent Cloud API key line', () => {
    expect(parseJaasConfig(`${PLAIN} required username="KEY123" password="s3cr=t;x";`)).toEqual({
      loginModule: PLAIN,
      username: 'KEY123',
      password: 's3cr=t;x',
    });
  });

  it('accepts unquoted values, escaped quotes and no trailing semicolon', () => {
    expect(parseJaasConfig(`${PLAIN} required username=alice password="a\\"b"`)).toMatchObject({ username: 'alice', password: 'a"b' });
  });

  it('names the key and never echoes the secret when malformed', () => {
    const attempt = () => parseJaasConfig('username="u" password="topsecret"');
    expect(attempt).toThrow(KafkaSettingsError);
    expect(attempt).toThrow(/^sasl\.jaas\.config:/);
    try {
      attempt();
    } catch (err) {
      expect(String(err)).not.toContain('topsecret');
    }
  });

  it('reports a missing password', () => {
    expect(() => parseJaasConfig(`${PLAIN} required username="u";`)).toThrow(/missing password/);
  });
});

describe('kafkaSecurity', () => {
  it('is empty for PLAINTEXT', () => {
    expect(kafkaSecurity({})).toEqual({});
    expect(kafkaSecurity({ 'security.protocol': 'plaintext' })).toEqual({});
  });

  it('maps SASL_SSL PLAIN to kafkajs TLS + SASL', () => {
    expect(
      kafkaSecurity({
        'security.protocol': 'SASL_SSL',
        'sasl.mechanism': 'PLAIN',
        'sasl.jaas.config': `${PLAIN} required username="k" password="s";`,
      }),
    ).toEqual({ ssl: true, sasl: { mechanism: 'plain', username: 'k', password: 's' } });
  });

  it('maps SCRAM mechanisms', () => {
    const sec = kafkaSecurity({
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";',
    });
    expect(sec).toEqual({ sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } });
  });

  it('rejects an unknown protocol, a missing JAAS line, GSSAPI and JKS stores by key', () => {
    expect(() => kafkaSecurity({ 'security.protocol': 'TLS' })).toThrow(/^security\.protocol: "TLS" is not one of/);
    expect(() => kafkaSecurity({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN' })).toThrow(/^sasl\.jaas\.config: is required/);
    expect(() => kafkaSecurity({ 'security.protocol': 'SASL_SSL' })).toThrow(/^sasl\.mechanism:/);
    expect(() => kafkaSecurity({ 'security.protocol': 'SSL', 'ssl.truststore.type': 'JKS' })).toThrow(/^ssl\.truststore\.type:/);
  });

  it('names an unreadable truststore file', () => {
    expect(() => kafkaSecurity({ 'security.protocol': 'SSL', 'ssl.truststore.location': '/nope/ca.pem' })).toThrow(/^ssl\.truststore\.location: cannot read \/nope\/ca\.pem/);
  });
});

describe('FetchSizing', () => {
  it('starts at 128 bytes per batch.size record and partition, at least 64 KiB, a round at most 64 MiB', () => {
    expect(new FetchSizing(10_000, 1).sizes()).toEqual({ maxBytesPerPartition: 1_280_000, maxBytes: 1_280_000 });
    expect(new FetchSizing(1, 1).sizes().maxBytesPerPartition).toBe(64 * 1024);
    expect(new FetchSizing(10_000_000, 1).sizes().maxBytesPerPartition).toBe(64 * 1024 * 1024);
    expect(new FetchSizing(10_000_000, 4).sizes()).toEqual({ maxBytesPerPartition: 16 * 1024 * 1024, maxBytes: 64 * 1024 * 1024 });
  });

  it('fetches the partitions handled at once, no more', () => {
    expect(new FetchSizing(10_000, 2).sizes()).toEqual({ maxBytesPerPartition: 1_280_000, maxBytes: 2_560_000 });
  });

  it('sizes a fetch in bytes for about batch.size of the records seen (a little short of it), the newest batches weighing most', () => {
    const sizing = new FetchSizing(10_000, 2);
    sizing.observe(2_400, 2_400 * 218); // ~230 bytes on the wire per JSON record
    expect(sizing.sizes()).toEqual({ maxBytesPerPartition: Math.ceil(10_000 * 230 * 0.97), maxBytes: 2 * Math.ceil(10_000 * 230 * 0.97) });
    sizing.observe(9_000, 9_000 * 418);
    expect(sizing.sizes().maxBytesPerPartition).toBe(Math.ceil(10_000 * 330 * 0.97));
    sizing.observe(0, 0);
    expect(sizing.sizes().maxBytesPerPartition).toBe(Math.ceil(10_000 * 330 * 0.97));
  });
});

describe('regression: consumer.override.* keys were ignored', () => {
/**
 * Regression: consumer.override.* keys that are not Kafka client keys were documented as passed to
 * the consumer but silently dropped, so e.g. consumer.override.session.timeout.ms had no effect and
 * a restarted sink waited kafkajs's default 30 s for its crashed predecessor to leave the group.
 */
const BASE = {
  name: 'overrides',
  'connection.url': 'jdbc:databend://localhost:8000',
  'bootstrap.servers': 'localhost:9092',
  topics: 't',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
};

test('group timings reach the kafkajs consumer options', () => {
  expect(consumerTuning({ 'session.timeout.ms': '6000', 'heartbeat.interval.ms': '1000', 'max.poll.interval.ms': '300000' })).toEqual({
    tuning: { sessionTimeout: 6000, heartbeatInterval: 1000, rebalanceTimeout: 300000 },
    unsupported: [],
    invalid: [],
  });
});

test('a bad value is a config problem naming the key; a key kafkajs cannot honour is a warning', () => {
  const { problems, warnings } = validateConfig({ ...BASE, 'consumer.override.session.timeout.ms': 'soon', 'consumer.override.isolation.level': 'read_committed' });
  expect(problems.map((p) => p.key)).toEqual(['consumer.override.session.timeout.ms']);
  expect(warnings.map((w) => `${w.key}: ${w.message}`)).toContainEqual(expect.stringMatching(/^consumer\.override\.isolation\.level: has no effect/));
});

test('valid overrides are kept for the consumer', () => {
  const { config, problems } = validateConfig({ ...BASE, 'consumer.override.session.timeout.ms': '6000' });
  expect(problems).toEqual([]);
  expect(consumerTuning(config!.kafka.consumerOverrides).tuning).toEqual({ sessionTimeout: 6000 });
});
});

describe('regression: JAAS values in single quotes were refused', () => {
/**
 * Regression: Confluent Cloud's client snippet quotes the API key and secret with single quotes
 * (`username='KEY' password='SECRET';`), which Java's JAAS parser accepts. The quotes were kept as
 * part of the values, so the broker refused the login (found by security.auth against a real broker).
 */
const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule';

test('single-quoted username and password are read without their quotes', () => {
  expect(parseJaasConfig(`${PLAIN} required username='ABCDEFGH12345678' password='cflt/s3cr+t=';`)).toEqual({
    loginModule: PLAIN,
    username: 'ABCDEFGH12345678',
    password: 'cflt/s3cr+t=',
  });
});

test('a single-quoted value may hold double quotes, semicolons and escaped single quotes', () => {
  expect(parseJaasConfig(`${PLAIN} required username='u' password='a"b;c\\'d';`)).toMatchObject({ username: 'u', password: `a"b;c'd` });
});

test('SASL_SSL with a single-quoted JAAS line gives kafkajs the bare credentials', () => {
  const security = kafkaSecurity({
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': 'PLAIN',
    'sasl.jaas.config': `${PLAIN} required username='KEY' password='SECRET';`,
  });
  expect(security.sasl).toEqual({ mechanism: 'plain', username: 'KEY', password: 'SECRET' });
});
});
