import { parseJaasConfig } from '../kafka/kafka-client-settings';
import { validateConfig } from './validate-config';

/**
 * The Java connector's Confluent Cloud walk-through config as Confluent Cloud stores it for a
 * custom connector: the keys the user typed, plus the platform's own (kafka.auth.mode,
 * kafka.api.key/secret, confluent.*). No bootstrap.servers and no registry URL: Confluent Cloud
 * injects them.
 */
const UPLOADED: Record<string, string> = {
  'connector.class': 'com.databend.kafka.connect.DatabendSinkConnector',
  name: 'databend-sink',
  'auto.create': 'true',
  'auto.evolve': 'true',
  'batch.size': '1',
  'confluent.custom.schema.registry.auto': 'true',
  'confluent.connector.type': 'CUSTOM',
  'confluent.custom.plugin.id': 'custom-plugin-0000',
  'confluent.custom.connection.endpoints': 'db.example.com:443:TCP',
  'connection.attempts': '5',
  'connection.backoff.ms': '10000',
  'connection.database': 'testsync',
  'connection.password': 'db-secret-91',
  'connection.url': 'jdbc:databend://db.example.com:443?ssl=true',
  'connection.user': 'cloudapp',
  'errors.tolerance': 'all',
  'insert.mode': 'upsert',
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'max.retries': '10',
  'pk.fields': 'id',
  'pk.mode': 'record_value',
  'table.name.format': 'testsync.${topic}',
  topics: 'topic_avrob',
  'value.converter': 'io.confluent.connect.avro.AvroConverter',
  'kafka.auth.mode': 'KAFKA_API_KEY',
  'kafka.api.key': 'CCKEY123',
  'kafka.api.secret': 'cc-secret-"quoted"\\x',
};

const ENDPOINTS = { 'bootstrap.servers': 'pkc-1.us-east-2.aws.confluent.cloud:9092', 'value.converter.schema.registry.url': 'https://psrc-1.us-east-2.aws.confluent.cloud' };

describe('Confluent Cloud keys', () => {
  it('the uploaded config says exactly which two endpoints a standalone sink must be given, and why', () => {
    const r = validateConfig(UPLOADED);
    expect(r.problems.map((p) => p.key)).toEqual(['bootstrap.servers', 'value.converter.schema.registry.url']);
    expect(r.problems[0].message).toMatch(/^is required: add bootstrap\.servers=<host:port>.*Confluent Cloud fills it in for a connector it runs; a standalone sink connects to Kafka itself and must be told where$/);
    expect(r.problems[1].message).toMatch(
      /^is required with value\.converter=io\.confluent\.connect\.avro\.AvroConverter: confluent\.custom\.schema\.registry\.auto=true makes Confluent Cloud fill in the registry URL and credentials for a connector it runs; a standalone sink cannot, so add value\.converter\.schema\.registry\.url=/,
    );
  });

  it('with the endpoints added it is valid: the API key means SASL_SSL PLAIN, the platform keys are noted once', () => {
    const r = validateConfig({ ...UPLOADED, ...ENDPOINTS });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.notes).toEqual([
      {
        key: 'confluent.*',
        value: null,
        message:
          'Confluent Cloud platform keys accepted; they tell Confluent Cloud how to run a connector and have no effect on a standalone sink: ' +
          'confluent.connector.type, confluent.custom.connection.endpoints, confluent.custom.plugin.id, confluent.custom.schema.registry.auto',
      },
    ]);
    const settings = r.config!.kafka.clientSettings;
    expect(settings['security.protocol']).toBe('SASL_SSL');
    expect(settings['sasl.mechanism']).toBe('PLAIN');
    expect(parseJaasConfig(settings['sasl.jaas.config'])).toEqual({ loginModule: 'org.apache.kafka.common.security.plain.PlainLoginModule', username: 'CCKEY123', password: 'cc-secret-"quoted"\\x' });
  });

  it('never shows the secret or the key', () => {
    const r = validateConfig({ ...UPLOADED, ...ENDPOINTS, 'security.protocol': 'SSL' });
    expect(r.problems).toEqual([{ key: 'security.protocol', value: 'SSL', message: expect.stringMatching(/^contradicts kafka\.api\.key and kafka\.api\.secret/) }]);
    const text = JSON.stringify(validateConfig({ ...UPLOADED, 'sasl.jaas.config': 'x' }));
    expect(text).not.toContain('cc-secret');
    expect(text).not.toContain('CCKEY123');
  });

  it('refuses what a standalone sink cannot do, and mixed credentials', () => {
    const base: Record<string, string> = { ...UPLOADED, ...ENDPOINTS };
    expect(validateConfig({ ...base, 'kafka.auth.mode': 'SERVICE_ACCOUNT' }).problems.map((p) => [p.key, p.message.slice(0, 61)])).toEqual([
      ['kafka.auth.mode', 'SERVICE_ACCOUNT credentials exist only inside Confluent Cloud'],
    ]);
    const without = (...keys: string[]) => Object.fromEntries(Object.entries(base).filter(([k]) => !keys.includes(k)));
    expect(validateConfig(without('kafka.api.secret')).problems.map((p) => p.key)).toEqual(['kafka.api.secret']);
    expect(validateConfig({ ...base, 'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="b";' }).problems.map((p) => p.key)).toEqual(['kafka.api.key']);
    expect(validateConfig({ ...base, 'sasl.mechanism': 'SCRAM-SHA-256' }).problems.map((p) => p.key)).toEqual(['sasl.mechanism']);
    expect(validateConfig(without('kafka.api.key', 'kafka.api.secret')).problems.map((p) => [p.key, p.message])).toEqual([['kafka.api.key', 'is required with kafka.auth.mode=KAFKA_API_KEY: set kafka.api.key and kafka.api.secret']]);
    expect(validateConfig({ ...base, 'kafka.service.account.id': 'sa-1' }).warnings.map((w) => w.key)).toEqual(['kafka.service.account.id']);
  });
});
