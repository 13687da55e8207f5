import { jvmOptionsOf } from './connect-plugin';
import { warningsAndErrors } from './connect-sink';
import { workerJavaArgs, workerProperties } from './connect-worker';
import { APICURIO_AVRO_CONVERTER, apicurioNativeUrl, toConnectConfig, UnavailableConverterError, workerSettingsOf, type ConnectSetup } from './connector-config';

const setup: ConnectSetup = { workerBootstrap: ['127.0.0.1:9092'], replicationFactor: 1, apicurioRegistryUrl: 'http://127.0.0.1:8080/apis/registry/v2' };

describe('toConnectConfig', () => {
  it('leaves the worker\'s own cluster to the worker and passes connector keys as they are', () => {
    const { name, config } = toConnectConfig({ name: 'c', config: { 'connector.class': 'X', topics: 't', 'bootstrap.servers': '127.0.0.1:9092', 'insert.mode': 'upsert' } }, setup);
    expect(name).toBe('c');
    expect(config).toEqual({ 'connector.class': 'X', topics: 't', 'insert.mode': 'upsert' });
  });

  it('gives the sink\'s consumer the Kafka client settings of the config (another listener, SASL, a PEM truststore)', () => {
    const { config } = toConnectConfig(
      { name: 'c', config: { 'bootstrap.servers': '127.0.0.1:9093', 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': 'J', 'ssl.truststore.location': '/ca.pem', 'group.id': 'g' } },
      setup,
    );
    expect(config).toEqual({
      'consumer.override.bootstrap.servers': '127.0.0.1:9093',
      'consumer.override.security.protocol': 'SASL_SSL',
      'consumer.override.sasl.mechanism': 'PLAIN',
      'consumer.override.sasl.jaas.config': 'J',
      'consumer.override.ssl.truststore.location': '/ca.pem',
      'consumer.override.ssl.truststore.type': 'PEM',
      'consumer.override.group.id': 'g',
    });
  });

  it('turns a Confluent Cloud API key into what Confluent Cloud makes of it, and keeps the secret from the connector', () => {
    const { config } = toConnectConfig({ name: 'c', config: { 'kafka.auth.mode': 'KAFKA_API_KEY', 'kafka.api.key': 'KEY', 'kafka.api.secret': 'se"cret' } }, setup);
    expect(config).toEqual({
      'kafka.auth.mode': 'KAFKA_API_KEY',
      'consumer.override.security.protocol': 'SASL_SSL',
      'consumer.override.sasl.mechanism': 'PLAIN',
      'consumer.override.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="KEY" password="se\\"cret";',
    });
  });

  it('maps Confluent\'s AvroConverter to Apicurio\'s in Confluent-compatible mode, per side', () => {
    const { config } = toConnectConfig({ name: 'c', config: { 'value.converter': 'io.confluent.connect.avro.AvroConverter', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter' } }, setup);
    expect(config).toEqual({
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': APICURIO_AVRO_CONVERTER,
      'value.converter.apicurio.registry.url': 'http://127.0.0.1:8080/apis/registry/v2',
      'value.converter.apicurio.registry.as-confluent': 'true',
      'value.converter.apicurio.registry.use-id': 'contentId',
      'value.converter.apicurio.registry.headers.enabled': 'false',
    });
  });

  it('refuses Avro where the setup has no converter for it, and passes unknown converter classes for Connect to judge', () => {
    expect(() => toConnectConfig({ name: 'c', config: { 'value.converter': 'io.confluent.connect.avro.AvroConverter' } }, { ...setup, apicurioRegistryUrl: undefined })).toThrow(UnavailableConverterError);
    expect(toConnectConfig({ name: 'c', config: { 'value.converter': 'com.example.No' } }, setup).config['value.converter']).toBe('com.example.No');
  });

  it('gives a dead-letter topic the cluster\'s replication factor unless set, and replaces the class when the run names one', () => {
    const { config } = toConnectConfig({ name: 'c', config: { 'connector.class': 'A', 'errors.deadletterqueue.topic.name': 'dlq' } }, { ...setup, connectorClass: 'B' });
    expect(config).toEqual({ 'connector.class': 'B', 'errors.deadletterqueue.topic.name': 'dlq', 'errors.deadletterqueue.topic.replication.factor': '1' });
  });
});

describe('apicurioNativeUrl', () => {
  it('finds the native v2 API beside the Confluent-compatible one, and nothing for another registry', () => {
    expect(apicurioNativeUrl('http://h:1/apis/ccompat/v7')).toBe('http://h:1/apis/registry/v2');
    expect(apicurioNativeUrl('https://psrc-1.confluent.cloud')).toBeUndefined();
  });
});

describe('workerProperties', () => {
  it('names the run\'s group and internal topics, the replication factor and every plugin folder', () => {
    const text = workerProperties({ pluginPath: ['/p', '/c'], kafka: { bootstrapServers: ['b:1'], clientSettings: { 'security.protocol': 'SASL_SSL' } }, replicationFactor: 1, groupId: 'g', port: 8083 });
    const props = Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(props).toMatchObject({
      'bootstrap.servers': 'b:1',
      'security.protocol': 'SASL_SSL',
      'consumer.security.protocol': 'SASL_SSL',
      'group.id': 'g',
      'config.storage.topic': 'g-configs',
      'offset.storage.topic': 'g-offsets',
      'status.storage.topic': 'g-status',
      'config.storage.replication.factor': '1',
      'plugin.path': '/p,/c',
      listeners: 'http://127.0.0.1:8083',
    });
  });
});

describe('worker settings in a config', () => {
  it('task.shutdown.graceful.timeout.ms goes to the worker, not the connector', () => {
    const suite = { name: 'c', config: { 'connector.class': 'X', topics: 't', 'task.shutdown.graceful.timeout.ms': '8000' } };
    expect(workerSettingsOf(suite)).toEqual({ 'task.shutdown.graceful.timeout.ms': '8000' });
    expect(toConnectConfig(suite, setup).config).not.toHaveProperty('task.shutdown.graceful.timeout.ms');
    expect(workerSettingsOf({ name: 'c', config: { topics: 't' } })).toEqual({});
    const text = workerProperties({ pluginPath: ['/p'], kafka: { bootstrapServers: ['b:1'], clientSettings: {} }, replicationFactor: 1, groupId: 'g', port: 8083, settings: workerSettingsOf(suite) });
    expect(text).toContain('\ntask.shutdown.graceful.timeout.ms=8000\n');
  });
});

describe('warningsAndErrors', () => {
  it('keeps WARN and ERROR records with their stack traces, and drops INFO records (which list every config key)', () => {
    const log = [
      '[2026-12-01 10:00:00,000] INFO DatabendSinkConfig values:',
      '\tinsert.mode = merge',
      '[2026-12-01 10:00:01,000] ERROR Task failed (x)',
      'java.lang.Exception: boom',
      '\tat a.b(C.java:1)',
      '[2026-12-01 10:00:02,000] INFO next',
      '[2026-12-01 10:00:03,000] WARN careful',
    ].join('\n');
    expect(warningsAndErrors(log)).toEqual(['[2026-12-01 10:00:01,000] ERROR Task failed (x)', 'java.lang.Exception: boom', '\tat a.b(C.java:1)', '[2026-12-01 10:00:03,000] WARN careful']);
  });
});

describe('worker JVM options (CONFORMANCE_CONNECT_JVM_OPTS)', () => {
  it('splits them on whitespace as kafka-run-class.sh splits KAFKA_OPTS', () => {
    expect(jvmOptionsOf(undefined)).toEqual([]);
    expect(jvmOptionsOf('  ')).toEqual([]);
    expect(jvmOptionsOf(' -Xmx1G\t-XX:+EnableJVMCI\n--module-path=/a.jar:/b.jar ')).toEqual(['-Xmx1G', '-XX:+EnableJVMCI', '--module-path=/a.jar:/b.jar']);
  });

  it('puts them after the defaults, so a given -Xmx or -D wins, and before the class path and main class', () => {
    const runtime = { version: '3.9.2', libsDir: '/libs', convertersPath: '/conv', apicurioConverterVersion: 'x' };
    const args = workerJavaArgs({ runtime, jvmOptions: ['-Xmx1G', '-Dlog4j.configuration=file:/mine'] }, '/w.properties');
    expect(args.indexOf('-Xmx1G')).toBeGreaterThan(args.indexOf('-Xmx2G'));
    expect(args.indexOf('-Dlog4j.configuration=file:/mine')).toBeGreaterThan(args.findIndex((a) => a.startsWith('-Dlog4j.configuration=file:') && a !== '-Dlog4j.configuration=file:/mine'));
    expect(args.slice(-4)).toEqual(['-cp', '/libs/*', 'org.apache.kafka.connect.cli.ConnectDistributed', '/w.properties']);
    expect(workerJavaArgs({ runtime }, '/w.properties')).toEqual(args.filter((a) => a !== '-Xmx1G' && a !== '-Dlog4j.configuration=file:/mine'));
  });
});
