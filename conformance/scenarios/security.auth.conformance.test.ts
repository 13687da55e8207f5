import type { KafkaUser, SecuredKafkaEndpoint } from '../environments/environment';
import { scenario } from '../harness/scenario';
import type { ScenarioContext } from '../harness/scenario-context';
import { eventually } from '../support/eventually';
import { exitedByItself } from '../support/stopped-sink';

/**
 * The sink reaches Kafka through the environment's authenticated listener (SASL over TLS, as
 * Confluent Cloud runs it) with the Java client keys a Connect config carries: `security.protocol`,
 * `sasl.mechanism`, `sasl.jaas.config` (the JAAS line, Confluent Cloud's single-quoted form for
 * PLAIN) and `ssl.truststore.location` (a PEM file; the broker's certificate and host name are
 * checked). Each mechanism the listener offers: records arrive in Databend and the group commits
 * to the end. The table exists beforehand: what is judged is authentication, not table creation.
 * A wrong password: the sink stops by itself, says authentication failed and for which mechanism
 * and user, and never prints the password or the JAAS line — judged only where the sink owns its
 * Kafka client (in Kafka Connect the worker's client and its errors are the platform's).
 *
 * And a wrong Databend password (`connection.password`; Databend answers 401, AuthenticateFailure):
 * the sink stops by itself naming the refused login, never the password.
 *
 * And a Schema Registry that enforces basic auth (`Endpoints.schemaRegistrySecured`): Avro records
 * land with `*.basic.auth.credentials.source=USER_INFO` and the right `*.basic.auth.user.info`; a
 * wrong password stops the sink before it consumes anything, naming the key, never the password —
 * judged where the sink reads the registry settings of its own config (in the `connect` setup the
 * converter is the setup's, pointed at the registry by it).
 *
 * Records are produced through the plain listener and the plain registry; only the sink authenticates.
 */
scenario('security.auth', (s) => {
  const secured = s.endpoints.kafkaSecured;
  if (!secured) throw new Error('security.auth runs only where the environment offers kafkaSecured (requirement environment-auth)');
  const RECORDS = 200;

  for (const user of secured.users) {
    s.it(`${user.mechanism} over SASL_SSL: every record written, offsets committed to the end`, async () => {
      const topic = await s.createTopic(`ok_${user.mechanism.replace(/-/g, '_').toLowerCase()}`, 2);
      await s.produce(
        topic,
        Array.from({ length: RECORDS }, (_, i) => ({ key: String(i), value: JSON.stringify({ id: i, name: `n${i}` }) })),
      );
      await s.db.exec(`CREATE TABLE "${s.database}"."${topic}" (id BIGINT NULL, name VARCHAR NULL)`);
      const config = securedConfig(s, secured, user, user.password, topic);
      const running = await s.start(config);

      await s.eventuallyRows(`SELECT count(*)::String, count(DISTINCT id)::String, sum(id)::String FROM ${topic}`, (rows) =>
        expect(rows).toEqual([[String(RECORDS), String(RECORDS), String((RECORDS * (RECORDS - 1)) / 2)]]),
      );
      expect(await s.query(`SELECT id::String, name FROM ${topic} WHERE id IN (0, ${RECORDS - 1}) ORDER BY id`)).toEqual([
        ['0', 'n0'],
        [String(RECORDS - 1), `n${RECORDS - 1}`],
      ]);
      const end = await s.endOffsets(topic);
      await eventually(async () => expect(await s.committedOffsets(s.groupId(config), topic)).toEqual(end), 'offsets committed to the end', 30_000);
      expect(running.logs()).not.toContain(user.password);
    });
  }

  for (const user of secured.users) {
    s.itRequiring(['kafka-client-config'], `${user.mechanism} with a wrong password: fails naming the authentication failure, never the password`, async () => {
      const topic = await s.createTopic(`bad_${user.mechanism.replace(/-/g, '_').toLowerCase()}`);
      await s.produce(topic, [{ key: '0', value: JSON.stringify({ id: 0, name: 'n0' }) }]);
      const wrong = `wrong-${s.suffix}-password`;
      const config = securedConfig(s, secured, user, wrong, topic);
      const running = await s.start(config);

      expect(await exitedByItself(running)).not.toBe(0);
      const logs = running.logs();
      const failure = running.failureOutput().split('\n').filter((line) => /authenticat/i.test(line));
      expect(failure).not.toEqual([]);
      // One line says what failed: the mechanism and the user.
      expect(failure.some((line) => line.includes(user.mechanism) && line.includes(user.username))).toBe(true);
      for (const secret of [wrong, user.password, config.config['sasl.jaas.config']]) expect(logs).not.toContain(secret);
      expect(await s.tableExists(topic)).toBe(false);
      expect(await s.committedOffsets(s.groupId(config), topic)).toEqual({ 0: '-1' });
    });
  }

  s.it('a wrong Databend password: fails naming the refused login, never the password', async () => {
    const topic = await s.createTopic('bad_databend');
    await s.produce(topic, [{ key: '0', value: JSON.stringify({ id: 0, name: 'n0' }) }]);
    const wrong = `wrong-${s.suffix}-databend`;
    const config = s.config({ topics: topic, 'connection.password': wrong, ...JSON_CONVERTERS });
    const running = await s.start(config);

    expect(await exitedByItself(running)).not.toBe(0);
    const logs = running.logs();
    // The failure says the login was refused, in whatever words (the Kafka side of this config is fine).
    expect(running.failureOutput().split('\n').filter((line) => /credential|authenticat|password|login|unauthori[sz]ed/i.test(line))).not.toEqual([]);
    // The right password is not checked: locally it is the word "databend", which the log names anyway.
    expect(logs).not.toContain(wrong);
    expect(await s.tableExists(topic)).toBe(false);
    expect(await s.committedOffsets(s.groupId(config), topic)).toEqual({ 0: '-1' });
  });

  const registry = s.endpoints.schemaRegistrySecured;
  if (!registry?.basicAuthUserInfo) throw new Error('security.auth runs only where the environment offers schemaRegistrySecured (requirement environment-auth)');
  const [registryUser, registryPassword] = registry.basicAuthUserInfo.split(':');
  const AVRO = { type: 'record', name: 'Payment', fields: [{ name: 'id', type: 'long' }, { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } }] };
  const registryConfig = (topic: string, userInfo: string) =>
    s.config({
      topics: topic,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      'value.converter.schema.registry.url': registry.url,
      'value.converter.basic.auth.credentials.source': 'USER_INFO',
      'value.converter.basic.auth.user.info': userInfo,
    });
  const produceAvro = async (topic: string, count: number) => {
    const schemaId = await s.registerAvro(`${topic}-value`, AVRO);
    await s.produce(topic, await Promise.all(Array.from({ length: count }, async (_, i) => ({ key: String(i), value: await s.encode(schemaId, { id: i, amount: Buffer.from([0, i]) }) }))));
  };

  s.itRequiring(['converter:avro', 'registry-client-config'], 'Avro through a Schema Registry that enforces basic auth (USER_INFO): every record written, values exact', async () => {
    const topic = await s.createTopic('registry_ok');
    await produceAvro(topic, 50);
    const config = registryConfig(topic, `${registryUser}:${registryPassword}`);
    const running = await s.start(config);
    await s.eventuallyRows(`SELECT count(*)::String, sum(amount)::String FROM ${topic}`, (rows) => expect(rows).toEqual([['50', '12.25']]));
    expect(running.logs()).not.toContain(registryPassword);
  });

  s.itRequiring(['converter:avro', 'registry-client-config'], 'a wrong Schema Registry password: refused before consuming anything, naming the key, never the password', async () => {
    const topic = await s.createTopic('registry_bad');
    await produceAvro(topic, 3);
    const wrong = `wrong-${s.suffix}-registry`;
    const config = registryConfig(topic, `${registryUser}:${wrong}`);
    const running = await s.start(config);
    expect(await exitedByItself(running)).not.toBe(0);
    const logs = running.logs();
    expect(running.failureOutput()).toContain('value.converter.basic.auth.user.info');
    expect(logs).not.toContain(wrong);
    expect(logs).not.toContain(registryPassword);
    expect(await s.tableExists(topic)).toBe(false);
    expect(await s.committedOffsets(s.groupId(config), topic)).toEqual({ 0: '-1' });
  });
});

const JSON_CONVERTERS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'false',
};

const LOGIN_MODULES = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
} as const;

/**
 * The JAAS line as it is handed out: Confluent Cloud's client snippet quotes PLAIN API keys with
 * single quotes; Kafka's SCRAM documentation uses double quotes. Java's JAAS parser takes both.
 */
function jaasConfig(user: KafkaUser, password: string): string {
  const q = user.mechanism === 'PLAIN' ? "'" : '"';
  return `${LOGIN_MODULES[user.mechanism]} required username=${q}${user.username}${q} password=${q}${password}${q};`;
}

function securedConfig(s: ScenarioContext, secured: SecuredKafkaEndpoint, user: KafkaUser, password: string, topic: string) {
  return s.config({
    topics: topic,
    'bootstrap.servers': secured.bootstrapServers.join(','),
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': user.mechanism,
    'sasl.jaas.config': jaasConfig(user, password),
    'ssl.truststore.location': secured.caPemFile,
    'ssl.truststore.type': 'PEM',
    ...JSON_CONVERTERS,
  });
}
