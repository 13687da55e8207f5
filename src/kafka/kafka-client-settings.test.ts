import { fetchSizes, kafkaSecurity, KafkaSettingsError, parseJaasConfig } from './kafka-client-settings';

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

describe('fetchSizes', () => {
  it('is 128 bytes per batch.size record and partition, between 1 MiB and 64 MiB', () => {
    expect(fetchSizes(1, 1).maxBytesPerPartition).toBe(1024 * 1024);
    expect(fetchSizes(10_000, 1).maxBytesPerPartition).toBe(1_280_000);
    expect(fetchSizes(100_000, 1).maxBytesPerPartition).toBe(12_800_000);
    expect(fetchSizes(10_000_000, 1).maxBytesPerPartition).toBe(64 * 1024 * 1024);
  });

  it('fetches the partitions handled at once, no more', () => {
    expect(fetchSizes(10_000, 2)).toEqual({ maxBytesPerPartition: 1_280_000, maxBytes: 2_560_000 });
    expect(fetchSizes(1, 4)).toEqual({ maxBytesPerPartition: 1024 * 1024, maxBytes: 4 * 1024 * 1024 });
  });
});
