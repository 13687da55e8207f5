import * as path from 'node:path';
import { loadConfig } from './load-config';
import { validateConfig } from './validate-config';

const fixture = (name: string) => path.join(__dirname, '..', '..', 'fixtures', 'configs', name);

describe('fixtures/configs/confluent-cloud-avro-upsert.json', () => {
  const loaded = loadConfig(fixture('confluent-cloud-avro-upsert.json'));
  const result = validateConfig(loaded.raw, { name: loaded.name! });

  it('is in the Confluent Cloud {name, config} shape', () => {
    expect(loaded.name).toBe('orders-to-databend');
    expect(loaded.raw['connector.class']).toBe('com.databend.kafka.connect.DatabendSinkConnector');
  });

  it('validates clean, without warnings', () => {
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('resolves to the expected typed config', () => {
    expect(result.config).toMatchObject({
      name: 'orders-to-databend',
      topics: ['orders'],
      insertMode: 'upsert',
      pkMode: 'record_value',
      pkFields: ['id'],
      autoCreate: true,
      autoEvolve: true,
      tableNameFormat: 'analytics.kafka_${topic}',
      connection: { host: 'tn3ftqihs.gw.aws-us-east-2.default.databend.com', port: 443, ssl: true, user: 'sink_writer', database: 'analytics' },
      keyConverter: { kind: 'string' },
      valueConverter: { kind: 'avro', schemaRegistryUrl: 'https://psrc-4kk0p.us-east-2.aws.confluent.cloud', basicAuthUserInfo: 'SRKEYFIXTURE:fixture-sr-secret-91c2' },
      kafka: { groupId: 'connect-orders-to-databend', clientSettings: { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN' } },
    });
    expect(result.config!.connection.dsn).toBe(
      'databend://sink_writer:fixture-databend-password-7f3a@tn3ftqihs.gw.aws-us-east-2.default.databend.com:443/analytics?sslmode=enable',
    );
  });
});

describe('fixtures/configs/five-mistakes.json', () => {
  it('has exactly five distinct problems, all reported at once (per-key checks first, then rules across keys)', () => {
    const loaded = loadConfig(fixture('five-mistakes.json'));
    const { problems, config } = validateConfig(loaded.raw, { name: loaded.name! });
    expect(config).toBeUndefined();
    expect(problems.map((p) => [p.key, p.value])).toEqual([
      ['insert.mode', 'merge'],
      ['db.timezone', 'Mars/Olympus'],
      ['value.converter', 'com.amazonaws.services.schemaregistry.kafkaconnect.AWSKafkaAvroConverter'],
      ['bootstrap.servers', null],
      ['errors.deadletterqueue.topic.name', 'orders'],
    ]);
    expect(JSON.stringify(problems)).not.toContain('fixture-url-secret-3e8b');
  });
});
