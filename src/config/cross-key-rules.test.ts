import { validateConfig, type ConfigProblem } from './validate-config';

const BASE: Record<string, string> = {
  name: 'sink',
  'connection.url': 'jdbc:databend://localhost:8000',
  topics: 'orders',
  'bootstrap.servers': 'localhost:9092',
};
const PLAIN_JAAS = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="kafka-user" password="kafka-pass";';
const AVRO = 'io.confluent.connect.avro.AvroConverter';

function check(extra: Record<string, string | undefined>) {
  const cfg = Object.fromEntries(Object.entries({ ...BASE, ...extra }).filter((e): e is [string, string] => e[1] !== undefined));
  return validateConfig(cfg);
}
const keysOf = (ps: ConfigProblem[]) => ps.map((p) => p.key);

describe('topics / topics.regex', () => {
  it('needs one of them', () => {
    expect(check({ topics: undefined }).problems).toEqual([{ key: 'topics', value: null, message: 'one of topics or topics.regex must be set' }]);
    expect(check({ topics: ' , ' }).problems).toEqual([{ key: 'topics', value: ' , ', message: 'one of topics or topics.regex must be set' }]);
  });

  it('rejects both', () => {
    expect(check({ 'topics.regex': 'a.*' }).problems).toEqual([{ key: 'topics.regex', value: 'a.*', message: 'set only one of topics and topics.regex' }]);
  });

  it('anchors the regex like Java matches()', () => {
    const { config } = check({ topics: undefined, 'topics.regex': 'orders-.*' });
    expect(config!.topics).toBeNull();
    expect(config!.topicsRegex!.test('orders-eu')).toBe(true);
    expect(config!.topicsRegex!.test('old-orders-eu')).toBe(false);
  });

  it('reads a repeated topic once, with a warning', () => {
    const r = check({ topics: 'a,b,a' });
    expect(r.config!.topics).toEqual(['a', 'b']);
    expect(r.warnings).toContainEqual({ key: 'topics', value: 'a,b,a', message: 'names a topic more than once; it is read once' });
  });
});

describe('exactly.once.enabled', () => {
  it('is off by default', () => {
    expect(check({}).config!.exactlyOnce).toBeNull();
  });

  it('insert: the offsets table in connection.database by default, or <database>.<table>', () => {
    expect(check({ 'exactly.once.enabled': 'true' }).config!.exactlyOnce).toEqual({ offsetsTable: { database: null, table: '_databend_sink_offsets' } });
    expect(check({ 'exactly.once.enabled': 'true', 'exactly.once.offsets.table': 'ops.sink_offsets' }).config!.exactlyOnce).toEqual({ offsetsTable: { database: 'ops', table: 'sink_offsets' } });
  });

  it.each(['a.b.c', '.t', 'db.', ''])('refuses the offsets table %j, naming the key', (table) => {
    const { problems } = check({ 'exactly.once.enabled': 'true', 'exactly.once.offsets.table': table });
    expect(problems).toEqual([{ key: 'exactly.once.offsets.table', value: table, message: 'must be a table name or <database>.<table>: one "." at most, no empty part, no control characters' }]);
  });

  it.each(['upsert', 'update'])('is refused with insert.mode=%s, which is idempotent already', (mode) => {
    const { problems } = check({ 'exactly.once.enabled': 'true', 'insert.mode': mode, 'pk.mode': 'record_value', 'pk.fields': 'id' });
    expect(problems).toEqual([
      {
        key: 'exactly.once.enabled',
        value: 'true',
        message: `applies to insert.mode=insert only; insert.mode=${mode} is idempotent already: a batch written again after a crash converges to the same rows (effectively exactly-once), so it keeps no offsets in Databend. Remove exactly.once.enabled`,
      },
    ]);
  });

  it('is refused with delete.enabled=true', () => {
    const { problems } = check({ 'exactly.once.enabled': 'true', 'delete.enabled': 'true', 'pk.mode': 'record_key' });
    expect(keysOf(problems)).toEqual(['exactly.once.enabled']);
    expect(problems[0].message).toMatch(/does not support delete\.enabled=true/);
  });

  it('goes with a dead-letter topic, errors.tolerance=all and tasks.max > 1', () => {
    const { problems, config } = check({ 'exactly.once.enabled': 'true', 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq', 'tasks.max': '4' });
    expect(problems).toEqual([]);
    expect(config!.exactlyOnce).not.toBeNull();
  });
});

describe('insert.mode needs keys', () => {
  it.each(['upsert', 'update', 'UPSERT'])('%s with pk.mode=none is a problem on pk.mode', (mode) => {
    const { problems } = check({ 'insert.mode': mode });
    expect(problems).toEqual([{ key: 'pk.mode', value: null, message: `insert.mode=${mode.toLowerCase()} needs key columns: set pk.mode to kafka, record_key or record_value (with pk.fields)` }]);
  });

  it('record_value needs pk.fields for upsert and update', () => {
    expect(keysOf(check({ 'insert.mode': 'upsert', 'pk.mode': 'record_value' }).problems)).toEqual(['pk.fields']);
    expect(check({ 'insert.mode': 'update', 'pk.mode': 'record_value' }).problems[0].message).toMatch(/needs the key fields of the value listed in pk\.fields/);
    expect(check({ 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id' }).problems).toEqual([]);
  });

  it('record_value without pk.fields is fine for insert (no key columns)', () => {
    const { config, problems } = check({ 'pk.mode': 'record_value' });
    expect(problems).toEqual([]);
    expect(config!.pkFields).toEqual([]);
  });

  it('record_key and kafka are enough for upsert', () => {
    expect(check({ 'insert.mode': 'upsert', 'pk.mode': 'record_key' }).problems).toEqual([]);
    expect(check({ 'insert.mode': 'upsert', 'pk.mode': 'kafka' }).config!.pkFields).toEqual(['__connect_topic', '__connect_partition', '__connect_offset']);
  });

  it('does not pile a cross-key problem on a bad insert.mode', () => {
    expect(keysOf(check({ 'insert.mode': 'merge' }).problems)).toEqual(['insert.mode']);
  });
});

describe('pk.fields by pk.mode', () => {
  it('kafka: empty or exactly three names', () => {
    expect(check({ 'pk.mode': 'kafka', 'pk.fields': 't,p,o' }).config!.pkFields).toEqual(['t', 'p', 'o']);
    expect(keysOf(check({ 'pk.mode': 'kafka', 'pk.fields': 'a' }).problems)).toEqual(['pk.fields']);
  });

  it('record_key with a primitive key converter: at most one name', () => {
    for (const conv of ['org.apache.kafka.connect.storage.StringConverter', 'org.apache.kafka.connect.converters.ByteArrayConverter']) {
      expect(check({ 'pk.mode': 'record_key', 'key.converter': conv, 'pk.fields': 'id' }).problems).toEqual([]);
      expect(check({ 'pk.mode': 'record_key', 'key.converter': conv }).problems).toEqual([]);
      const { problems } = check({ 'pk.mode': 'record_key', 'key.converter': conv, 'pk.fields': 'a,b' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ key: 'pk.fields', message: expect.stringMatching(/a primitive key\) must name at most one column/) });
    }
  });

  it('record_key with a struct-capable converter: any subset', () => {
    expect(check({ 'pk.mode': 'record_key', 'pk.fields': 'a,b' }).problems).toEqual([]);
  });

  it('none: pk.fields is ignored with a warning', () => {
    const r = check({ 'pk.fields': 'id' });
    expect(r.problems).toEqual([]);
    expect(r.config!.pkFields).toEqual([]);
    expect(r.warnings).toContainEqual({ key: 'pk.fields', value: 'id', message: 'is ignored with pk.mode=none' });
  });
});

describe('delete.enabled', () => {
  it.each(['none', 'kafka', 'record_value'])('needs pk.mode=record_key (not %s)', (mode) => {
    const { problems } = check({ 'delete.enabled': 'true', 'pk.mode': mode, 'pk.fields': mode === 'record_value' ? 'id' : undefined });
    expect(problems).toEqual([{ key: 'delete.enabled', value: 'true', message: `delete.enabled=true needs pk.mode=record_key (tombstones delete by key); pk.mode is ${mode}` }]);
  });

  it('is fine with record_key', () => {
    expect(check({ 'delete.enabled': 'true', 'pk.mode': 'record_key' }).config!.deleteEnabled).toBe(true);
  });
});

describe('dead letter queue', () => {
  it('must not be a sink topic', () => {
    expect(check({ topics: 'orders,dlq', 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq' }).problems).toEqual([
      { key: 'errors.deadletterqueue.topic.name', value: 'dlq', message: 'must not be one of the topics the sink reads (failed records would come back)' },
    ]);
  });

  it('must not match topics.regex', () => {
    const { problems } = check({ topics: undefined, 'topics.regex': 'orders.*', 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'orders-dlq' });
    expect(problems).toEqual([{ key: 'errors.deadletterqueue.topic.name', value: 'orders-dlq', message: 'must not match topics.regex (failed records would come back)' }]);
    expect(check({ topics: undefined, 'topics.regex': 'orders.*', 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq-orders' }).problems).toEqual([]);
  });

  it('warns when set with errors.tolerance=none', () => {
    const r = check({ 'errors.deadletterqueue.topic.name': 'dlq' });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toContainEqual({ key: 'errors.deadletterqueue.topic.name', value: 'dlq', message: 'is used only with errors.tolerance=all; ignored' });
  });

  it('goes into the typed config', () => {
    expect(check({ 'errors.tolerance': 'ALL', 'errors.deadletterqueue.topic.name': 'dlq' }).config!.errors).toEqual({
      tolerance: 'all',
      dlqTopic: 'dlq',
      dlqContextHeaders: false,
      dlqCompression: 'none',
      logEnable: false,
      logIncludeMessages: false,
    });
  });

  it('producer.override.compression.type sets the dead letter queue compression, case-insensitively', () => {
    expect(check({ 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq', 'producer.override.compression.type': 'ZSTD' }).config!.errors.dlqCompression).toBe('zstd');
    expect(check({ 'producer.override.compression.type': 'brotli' }).problems.map((p) => p.key)).toEqual(['producer.override.compression.type']);
  });

  it('warns about errors.log.include.messages without errors.log.enable', () => {
    expect(check({ 'errors.log.include.messages': 'true' }).warnings.map((w) => w.key)).toContain('errors.log.include.messages');
  });
});

describe('converters and the schema registry', () => {
  it('Avro and JSON Schema need <prefix>.schema.registry.url', () => {
    expect(check({ 'value.converter': AVRO }).problems).toEqual([
      {
        key: 'value.converter.schema.registry.url',
        value: null,
        message:
          `is required with value.converter=${AVRO}: add value.converter.schema.registry.url=https://<registry host> (Confluent Cloud Schema Registry also needs ` +
          'value.converter.basic.auth.credentials.source=USER_INFO and value.converter.basic.auth.user.info=<registry API key>:<registry API secret>)',
      },
    ]);
    expect(keysOf(check({ 'key.converter': 'io.confluent.connect.json.JsonSchemaConverter' }).problems)).toEqual(['key.converter.schema.registry.url']);
  });

  it('takes ProtobufConverter on either side with the registry keys Avro uses', () => {
    const PROTOBUF = 'io.confluent.connect.protobuf.ProtobufConverter';
    expect(keysOf(check({ 'key.converter': PROTOBUF, 'value.converter': PROTOBUF }).problems)).toEqual(['key.converter.schema.registry.url', 'value.converter.schema.registry.url']);
    const { config, problems } = check({
      'value.converter': PROTOBUF,
      'value.converter.schema.registry.url': 'https://sr',
      'value.converter.basic.auth.credentials.source': 'USER_INFO',
      'value.converter.basic.auth.user.info': 'k:s',
    });
    expect(problems).toEqual([]);
    expect(config!.valueConverter).toMatchObject({ kind: 'protobuf', className: PROTOBUF, schemaRegistryUrl: 'https://sr', basicAuthUserInfo: 'k:s' });
  });

  it('USER_INFO needs user info, from either name', () => {
    const base = { 'value.converter': AVRO, 'value.converter.schema.registry.url': 'https://sr', 'value.converter.basic.auth.credentials.source': 'USER_INFO' };
    expect(check(base).problems).toEqual([
      { key: 'value.converter.basic.auth.user.info', value: null, message: 'is required with value.converter.basic.auth.credentials.source=USER_INFO, as "<user>:<password>"' },
    ]);
    expect(check({ ...base, 'value.converter.basic.auth.user.info': 'k:s' }).config!.valueConverter.basicAuthUserInfo).toBe('k:s');
    expect(check({ ...base, 'value.converter.schema.registry.basic.auth.user.info': 'k:s' }).config!.valueConverter.basicAuthUserInfo).toBe('k:s');
    expect(check({ ...base, 'value.converter.basic.auth.user.info': 'k:s', 'value.converter.schema.registry.basic.auth.user.info': 'k:s' }).problems).toEqual([]);
    expect(check({ ...base, 'value.converter.basic.auth.user.info': 'k:s', 'value.converter.schema.registry.basic.auth.user.info': 'k:t' }).problems).toEqual([
      { key: 'value.converter.schema.registry.basic.auth.user.info', value: '[hidden]', message: 'differs from value.converter.basic.auth.user.info; they are one setting, set one of them' },
    ]);
  });

  it('URL source takes credentials out of the URL and warns about unused user info', () => {
    const r = check({ 'value.converter': AVRO, 'value.converter.schema.registry.url': 'https://k%40x:s%3At@sr.example.com/', 'value.converter.basic.auth.user.info': 'a:b' });
    expect(r.config!.valueConverter).toMatchObject({ kind: 'avro', schemaRegistryUrl: 'https://sr.example.com', basicAuthUserInfo: 'k@x:s:t' });
    expect(r.warnings.map((w) => w.key)).toEqual(['value.converter.basic.auth.user.info']);
    expect(check({ 'value.converter': AVRO, 'value.converter.schema.registry.url': 'http://sr:8081' }).config!.valueConverter.basicAuthUserInfo).toBeUndefined();
  });

  it('SASL_INHERIT uses the JAAS credentials and needs SASL', () => {
    const sr = { 'value.converter': AVRO, 'value.converter.schema.registry.url': 'https://sr', 'value.converter.basic.auth.credentials.source': 'sasl_inherit' };
    expect(check(sr).problems).toEqual([
      {
        key: 'value.converter.basic.auth.credentials.source',
        value: 'sasl_inherit',
        message: 'SASL_INHERIT needs security.protocol SASL_PLAINTEXT or SASL_SSL with sasl.jaas.config (its username and password are used)',
      },
    ]);
    const r = check({ ...sr, 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': PLAIN_JAAS });
    expect(r.config!.valueConverter.basicAuthUserInfo).toBe('kafka-user:kafka-pass');
  });

  it('registry keys with a converter that does not read them are warnings', () => {
    const r = check({ 'value.converter.schema.registry.url': 'http://sr:8081', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'key.converter.schemas.enable': 'false' });
    expect(r.problems).toEqual([]);
    expect(r.warnings.map((w) => w.key).sort()).toEqual(['key.converter.schemas.enable', 'value.converter.schema.registry.url']);
  });

  it('fills the typed converter config', () => {
    const r = check({ 'value.converter.schemas.enable': 'false', 'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter' });
    expect(r.config!.valueConverter).toEqual({ kind: 'json', className: 'org.apache.kafka.connect.json.JsonConverter', schemasEnable: false });
    expect(r.config!.keyConverter.kind).toBe('bytearray');
  });
});

describe('Kafka client security', () => {
  it('SASL needs a mechanism and a JAAS line', () => {
    expect(check({ 'security.protocol': 'SASL_SSL' }).problems).toEqual([
      { key: 'sasl.mechanism', value: null, message: '"(unset, Kafka default GSSAPI)" is not supported; use one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512' },
    ]);
    expect(check({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN' }).problems).toEqual([{ key: 'sasl.jaas.config', value: null, message: 'is required with sasl.mechanism=PLAIN' }]);
  });

  it('reports a SASL problem and a TLS problem together', () => {
    const { problems } = check({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'ssl.truststore.location': '/nope/ca.pem' });
    expect(keysOf(problems).sort()).toEqual(['sasl.jaas.config', 'ssl.truststore.location']);
  });

  it('passes canonical client settings on', () => {
    const r = check({ 'security.protocol': 'sasl_ssl', 'sasl.mechanism': 'scram-sha-512', 'sasl.jaas.config': PLAIN_JAAS });
    expect(r.config!.kafka.clientSettings).toEqual({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.jaas.config': PLAIN_JAAS });
  });

  it('warns about sasl.* without SASL and ssl.* without TLS', () => {
    const r = check({ 'sasl.mechanism': 'PLAIN', 'ssl.truststore.location': '/x.pem' });
    expect(r.problems).toEqual([]);
    expect(r.warnings.map((w) => w.key).sort()).toEqual(['sasl.mechanism', 'ssl.truststore.location']);
  });

  it('warns about unread ssl.* keys', () => {
    expect(check({ 'security.protocol': 'SSL', 'ssl.protocol': 'TLSv1.3' }).warnings.map((w) => w.key)).toEqual(['ssl.protocol']);
  });
});

describe('consumer.override.*', () => {
  it('stands in for an unset client key and is checked as that key', () => {
    const r = check({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'consumer.override.sasl.jaas.config': PLAIN_JAAS, 'consumer.override.max.poll.records': '500' });
    expect(r.problems).toEqual([]);
    expect(r.config!.kafka.clientSettings['sasl.jaas.config']).toBe(PLAIN_JAAS);
    expect(r.config!.kafka.consumerOverrides).toEqual({ 'max.poll.records': '500' });
    const bad = check({ 'consumer.override.security.protocol': 'TLS' });
    expect(bad.problems).toEqual([{ key: 'consumer.override.security.protocol', value: 'TLS', message: expect.stringMatching(/must be one of PLAINTEXT/) }]);
  });

  it('conflicts with a different top-level value', () => {
    expect(check({ 'consumer.override.bootstrap.servers': 'other:9092' }).problems).toEqual([
      { key: 'consumer.override.bootstrap.servers', value: 'other:9092', message: 'conflicts with bootstrap.servers; set only bootstrap.servers (it configures every Kafka client of the sink)' },
    ]);
    expect(check({ 'consumer.override.bootstrap.servers': 'localhost:9092' }).problems).toEqual([]);
  });

  it('group.id: from group.id, consumer.override.group.id, else connect-<name>', () => {
    expect(check({}).config!.kafka.groupId).toBe('connect-sink');
    expect(check({ 'group.id': 'g1' }).config!.kafka.groupId).toBe('g1');
    expect(check({ 'consumer.override.group.id': 'g2' }).config!.kafka.groupId).toBe('g2');
  });
});

describe('connection', () => {
  it('connection.user/password/database override the URL; extras become DSN parameters', () => {
    const r = check({
      'connection.url': 'jdbc:databend://u:p@db.example.com:8000/shop?ssl=true&tenant=t1',
      'connection.user': 'writer',
      'connection.password': 'pw',
      'connection.database': 'analytics',
      'connection.warehouse': 'wh 1',
      'connection.tenant': 't2',
    });
    expect(r.config!.connection).toEqual({
      dsn: 'databend://writer:pw@db.example.com:8000/analytics?sslmode=enable&tenant=t2&warehouse=wh%201',
      host: 'db.example.com',
      port: 8000,
      user: 'writer',
      password: 'pw',
      database: 'analytics',
      ssl: true,
      params: { tenant: 't2', warehouse: 'wh 1' },
      attempts: 3,
      backoffMs: 10000,
      requestTimeoutMs: 300000,
    });
  });

  it('a contradictory connection.ssl is a problem on that key', () => {
    expect(check({ 'connection.url': 'databend://h?sslmode=enable', 'connection.ssl': 'false' }).problems).toEqual([
      { key: 'connection.ssl', value: 'false', message: 'ssl=false contradicts sslmode=enable; set one of them' },
    ]);
    expect(check({ 'connection.url': 'databend://h?ssl=maybe' }).problems).toEqual([{ key: 'connection.url', value: 'databend://h?ssl=maybe', message: 'ssl must be true or false' }]);
  });
});

describe('table names', () => {
  it('quote.sql.identifiers=never needs plain names for the configured topics', () => {
    expect(check({ 'quote.sql.identifiers': 'never' }).problems).toEqual([]);
    const { problems } = check({ 'quote.sql.identifiers': 'never', topics: 'orders,orders-v2' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ key: 'table.name.format', message: expect.stringMatching(/gives names that need quoting \("orders-v2"\)/) });
    expect(keysOf(check({ 'quote.sql.identifiers': 'never', 'table.name.format': 'my-db.${topic}' }).problems)).toEqual(['table.name.format']);
  });
});

describe('name', () => {
  it('comes from the outer name of a {name, config} file', () => {
    const cfg = { ...BASE };
    delete (cfg as Partial<typeof cfg>).name;
    expect(validateConfig(cfg).problems).toEqual([{ key: 'name', value: null, message: 'is required (or give the outer "name" of a {"name", "config"} file)' }]);
    expect(validateConfig(cfg, { name: 'outer' }).config!.name).toBe('outer');
    expect(validateConfig(cfg, { name: 'outer' }).config!.kafka.groupId).toBe('connect-outer');
  });

  it('must agree with the outer name', () => {
    expect(validateConfig(BASE, { name: 'sink' }).problems).toEqual([]);
    expect(validateConfig(BASE, { name: 'other' }).problems).toEqual([{ key: 'name', value: 'sink', message: 'differs from the outer "name" ("other"); give one name' }]);
  });
});

describe('unknown and ignored keys', () => {
  it('an unknown key is a problem, with a suggestion when one is close', () => {
    const r = check({ 'some.future.key': 'x', 'auto_create': 'true', 'pk.feilds': 'id' });
    expect(r.problems).toEqual([
      { key: 'some.future.key', value: 'x', message: 'is not a key of this sink nor of the Java connector DatabendSinkConnector' },
      { key: 'auto_create', value: 'true', message: 'is not a key of this sink nor of the Java connector DatabendSinkConnector; did you mean auto.create?' },
      { key: 'pk.feilds', value: 'id', message: 'is not a key of this sink nor of the Java connector DatabendSinkConnector; did you mean pk.fields?' },
    ]);
  });

  it('ignored keys and other keys of the Kafka families are warnings; a near miss of a declared key is a problem', () => {
    const r = check({
      'errors.retry.timeout': '0',
      'value.converter.auto.register.schemas': 'false',
      'value.converter.foo': '1',
      'ssl.protocol': 'TLSv1.3',
      'ssl.truststore.locaton': '/ca.pem',
      'topic.prefix': 'orders',
    });
    expect(r.problems).toEqual([{ key: 'ssl.truststore.locaton', value: '/ca.pem', message: 'is not a key of this sink; did you mean ssl.truststore.location?' }]);
    expect(r.warnings).toEqual([
      { key: 'errors.retry.timeout', value: '0', message: 'has no effect here: record errors are not retried; infrastructure errors use max.retries and retry.backoff.ms' },
      { key: 'value.converter.auto.register.schemas', value: 'false', message: 'has no effect here: a sink only reads schemas' },
      { key: 'value.converter.foo', value: '1', message: 'is not a converter option this sink reads; ignored (the converters read the schema each record names)' },
      { key: 'ssl.protocol', value: 'TLSv1.3', message: "has no effect: only the ssl.* keys listed in CONFIG.md are read (Node's TLS defaults apply otherwise)" },
      { key: 'topic.prefix', value: 'orders', message: 'has no effect here: the Java connector documents it but never reads it; to read every topic with a prefix set topics.regex=<prefix>.*' },
    ]);
  });
});

describe('a config with five mistakes', () => {
  it('lists all five at once', () => {
    const { problems, config } = validateConfig({
      name: 'five',
      topics: 'orders',
      'connection.url': 'jdbc:databend://localhost:8000',
      'insert.mode': 'merge',
      'batch.size': '0',
      'db.timezone': 'Mars/Olympus',
      'value.converter': 'io.apicurio.registry.utils.converter.AvroConverter',
      'delete.enabled': 'true',
    });
    expect(config).toBeUndefined();
    expect(keysOf(problems).sort()).toEqual(['batch.size', 'bootstrap.servers', 'db.timezone', 'delete.enabled', 'insert.mode', 'value.converter'].sort());
  });
});

describe('typed config', () => {
  it('has every default', () => {
    const { config } = check({});
    expect(config).toMatchObject({
      name: 'sink',
      topics: ['orders'],
      tasksMax: 1,
      insertMode: 'insert',
      batchSize: 10000,
      lingerMs: 1000,
      deleteEnabled: false,
      tableNameFormat: '${topic}',
      pkMode: 'none',
      pkFields: [],
      fieldsWhitelist: [],
      dbTimezone: 'UTC',
      autoCreate: false,
      autoEvolve: false,
      quoteIdentifiers: 'always',
      maxRetries: 10,
      retryBackoffMs: 3000,
      shutdownGraceMs: 10000,
      connection: { host: 'localhost', port: 8000, user: 'root', password: '', database: 'default', ssl: false, attempts: 3, backoffMs: 10000 },
      kafka: { bootstrapServers: ['localhost:9092'], groupId: 'connect-sink', clientSettings: {}, consumerOverrides: {} },
    });
  });

  it('drops a listener prefix from bootstrap servers', () => {
    expect(check({ 'bootstrap.servers': 'SASL_SSL://a:9092,b:9093' }).config!.kafka.bootstrapServers).toEqual(['a:9092', 'b:9093']);
  });
});

/**
 * The Java connector's ConfigDef (com.databend.kafka.connect.sink.DatabendSinkConfig, v0.0.4):
 * every key it defines, with a value of its documentation's kind, and the two keys its README
 * documents besides (connection.username, topic.prefix).
 */
const JAVA_CONNECTOR_KEYS: Record<string, string> = {
  'connection.url': 'jdbc:databend://localhost:8000',
  'connection.user': 'writer',
  'connection.ssl': 'false',
  'connection.query_timeout': '120',
  'connection.password': 'pw',
  'connection.database': 'testsync',
  'connection.attempts': '5',
  'connection.backoff.ms': '10000',
  'quote.sql.identifiers': 'always',
  'insert.mode': 'upsert',
  'batch.size': '1',
  'table.types': 'TABLE',
  'delete.enabled': 'false',
  'table.name.format': 'testsync.${topic}',
  'pk.mode': 'record_value',
  'pk.fields': 'id',
  'fields.whitelist': '',
  'db.timezone': 'UTC',
  'auto.create': 'true',
  'auto.evolve': 'true',
  'max.retries': '10',
  'retry.backoff.ms': '3000',
  'trim.sensitive.log': 'false',
};

describe('regression: connection.* keys went to the driver unchecked (issue 13, point 2)', () => {
  it('every key of the Java connector is honoured or accepted with a warning; none is an error', () => {
    const r = check({ ...JAVA_CONNECTOR_KEYS, 'connection.username': 'writer', 'topic.prefix': 'orders' });
    expect(r.problems).toEqual([]);
    expect(keysOf(r.warnings).sort()).toEqual(['topic.prefix', 'trim.sensitive.log']);
    for (const w of r.warnings) expect(w.message).toMatch(/^has no effect/);
  });

  it('connection.query_timeout=120 is the request timeout (120 s), never a DSN parameter', () => {
    const r = check({ 'connection.query_timeout': '120' });
    expect(r.problems).toEqual([]);
    expect(r.config!.connection.requestTimeoutMs).toBe(120_000);
    expect(r.config!.connection.dsn).toBe('databend://root:@localhost:8000/default?sslmode=disable');
    expect(r.config!.connection.params).toEqual({});
    expect(check({ 'connection.query_timeout': '120', 'databend.request.timeout.ms': '120000' }).problems).toEqual([]);
    expect(check({ 'connection.query_timeout': '120', 'databend.request.timeout.ms': '5000' }).problems).toEqual([
      {
        key: 'connection.query_timeout',
        value: '120',
        message: 'differs from databend.request.timeout.ms (5000 ms); they are one setting in seconds and in milliseconds, set one of them',
      },
    ]);
  });

  it('connection.username is the user the sink logs in as', () => {
    const r = check({ 'connection.username': 'alice', 'connection.password': 'pw' });
    expect(r.config!.connection.user).toBe('alice');
    expect(r.config!.connection.dsn).toBe('databend://alice:pw@localhost:8000/default?sslmode=disable');
    expect(check({ 'connection.username': 'alice', 'connection.user': 'alice' }).problems).toEqual([]);
    expect(keysOf(check({ 'connection.username': 'alice', 'connection.user': 'bob' }).problems)).toEqual(['connection.username']);
  });

  it('any other connection.* key, or URL parameter, is an error naming the driver options, with a suggestion', () => {
    const r = check({ 'connection.query.timeout': '120', 'connection.warehous': 'wh' });
    expect(r.config).toBeUndefined();
    expect(r.problems.map((p) => [p.key, p.message.slice(-45)])).toEqual([
      ['connection.query.timeout', 'login; did you mean connection.query_timeout?'],
      ['connection.warehous', 'fuse every login; did you mean connection.warehouse?'.slice(-45)],
    ]);
    expect(r.problems[0].message).toMatch(/^is neither a key of this sink nor a databend-driver option \(warehouse, tenant, /);
    const url = check({ 'connection.url': 'jdbc:databend://localhost:8000/db?query_timeout=120' });
    expect(url.problems).toEqual([
      {
        key: 'connection.url',
        value: 'jdbc:databend://localhost:8000/db?query_timeout=120',
        message: expect.stringMatching(/^query parameter "query_timeout" is not a databend-driver option \(.*\); Databend would take it for a session setting and refuse every login$/),
      },
    ]);
    expect(check({ 'connection.warehouse': 'wh', 'connection.url': 'jdbc:databend://localhost:8000/db?tenant=t' }).config!.connection.params).toEqual({ tenant: 't', warehouse: 'wh' });
  });
});
