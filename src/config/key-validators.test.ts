import { CONFIG_KEYS, SUPPORTED_CONVERTERS } from './config-definitions';
import { validateConfig } from './validate-config';

/** A valid minimal config; each case adds its context and the key under test. */
const BASE: Record<string, string> = {
  name: 'sink',
  'connection.url': 'jdbc:databend://localhost:8000',
  topics: 'orders',
  'bootstrap.servers': 'localhost:9092',
};

const PLAIN_JAAS = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="k" password="s";';
const SASL = { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': PLAIN_JAAS };
const TLS = { 'security.protocol': 'SSL' };

interface Case {
  good: string[];
  bad: [value: string, message: RegExp][];
  /** Other keys the case needs; undefined removes a BASE key. */
  context?: Record<string, string | undefined>;
}

const converterCases = (prefix: string): Record<string, Case> => {
  const avro = { [prefix]: 'io.confluent.connect.avro.AvroConverter', [`${prefix}.schema.registry.url`]: 'http://sr:8081' };
  return {
    [prefix]: {
      good: [...SUPPORTED_CONVERTERS],
      bad: [
        ['io.apicurio.registry.utils.converter.AvroConverter', /is not a supported converter; use one of io\.confluent\.connect\.avro\.AvroConverter, io\.confluent\.connect\.json\.JsonSchemaConverter, io\.confluent\.connect\.protobuf\.ProtobufConverter, org\.apache\.kafka\.connect\.json\.JsonConverter, org\.apache\.kafka\.connect\.storage\.StringConverter, org\.apache\.kafka\.connect\.converters\.ByteArrayConverter$/],
        ['JsonConverter', /is not a supported converter/],
        ['not a class', /must be a class name/],
      ],
      context: { [`${prefix}.schema.registry.url`]: 'http://sr:8081' },
    },
    [`${prefix}.schemas.enable`]: { good: ['true', 'FALSE', ' false '], bad: [['no', /must be true or false/]] },
    [`${prefix}.schema.registry.url`]: {
      good: ['http://sr:8081', 'https://a.example.com, https://b.example.com/path'],
      bad: [
        ['sr:8081', /comma-separated list of http:\/\/ or https:\/\/ URLs/],
        ['ftp://sr', /http:\/\/ or https:\/\//],
        ['not a url', /URLs/],
      ],
      context: avro,
    },
    [`${prefix}.basic.auth.credentials.source`]: {
      good: ['URL', 'user_info', 'USER_INFO'],
      bad: [['TOKEN', /must be one of URL, USER_INFO, SASL_INHERIT \(case-insensitive\)/]],
      context: { ...avro, [`${prefix}.basic.auth.user.info`]: 'u:p' },
    },
    [`${prefix}.basic.auth.user.info`]: {
      good: ['u:p', 'KEY:se:cret'],
      bad: [
        ['nocolon', /must be "<user>:<password>"/],
        [':nouser', /must be "<user>:<password>"/],
      ],
      context: { ...avro, [`${prefix}.basic.auth.credentials.source`]: 'USER_INFO' },
    },
    [`${prefix}.schema.registry.basic.auth.user.info`]: {
      good: ['u:p'],
      bad: [['nocolon', /must be "<user>:<password>"/]],
      context: { ...avro, [`${prefix}.basic.auth.credentials.source`]: 'USER_INFO' },
    },
  };
};

const CASES: Record<string, Case> = {
  name: {
    good: ['sink', 'orders to databend'],
    bad: [
      ['', /is required/],
      ['   ', /is required/],
      ['a\u0001b', /must not contain control characters/],
    ],
  },
  'connector.class': {
    good: ['com.databend.kafka.connect.DatabendSinkConnector', 'DatabendSinkConnector'],
    bad: [
      ['io.confluent.connect.jdbc.JdbcSinkConnector', /is not this connector; accepted: com\.databend\.kafka\.connect\.DatabendSinkConnector, DatabendSinkConnector/],
      ['1bad', /must be a class name/],
    ],
  },
  'tasks.max': {
    good: ['1', '8', '1024'],
    bad: [
      ['0', /must be between 1 and 1024/],
      ['1025', /must be between 1 and 1024/],
      ['two', /must be an integer \(INT/],
      ['1.5', /must be an integer/],
    ],
  },
  topics: {
    good: ['orders', 'a,b', ' a , b ', 'a.b-c_D9'],
    bad: [
      ['bad topic', /illegal topic name\(s\) "bad topic"/],
      ['ok,a/b', /illegal topic name\(s\) "a\/b"/],
      ['..', /illegal/],
      ['x'.repeat(250), /illegal/],
    ],
  },
  'topics.regex': {
    good: ['orders-.*', 'a|b'],
    bad: [['(unclosed', /is not a valid regular expression/]],
    context: { topics: undefined },
  },
  transforms: {
    good: ['', ' '],
    bad: [['unwrap', /single message transforms are not supported/]],
  },
  'connection.url': {
    good: ['jdbc:databend://h', 'jdbc:databend://u:p@h:8000/db?ssl=true', 'databend://h:8000/db?sslmode=disable', 'databend://[::1]:8000'],
    bad: [
      ['', /is required: jdbc:databend:\/\/host/],
      ['http://h:8000', /must start with jdbc:databend:\/\/ or databend:\/\//],
      ['jdbc:databend://', /has no host|not a valid URL/],
      ['jdbc:databend://h1:8000,h2:8000', /one host/],
      ['databend://h:99999', /not a valid URL/],
      ['databend://h/a/b', /at most one database/],
      ['databend://h/db#x', /fragment/],
      ['databend://h/%zz', /malformed percent-escape/],
    ],
  },
  'connection.user': { good: ['alice', ''], bad: [] },
  'connection.password': { good: ['s3cret', ''], bad: [] },
  'connection.username': { good: ['alice'], bad: [] },
  'connection.ssl': { good: ['true', 'FALSE'], bad: [['yes', /must be true or false/]] },
  'connection.sslmode': { good: ['enable', 'DISABLE'], bad: [['require', /must be one of enable, disable/]] },
  'connection.query_timeout': {
    good: ['120', '1'],
    bad: [
      ['0', /must be between 1 and 2147483/],
      ['2147484', /must be between 1 and 2147483/],
      ['1.5', /must be an integer/],
    ],
  },
  'table.types': { good: ['TABLE', 'table'], bad: [['TABLE,VIEW', /only TABLE can be written to/]] },
  'trim.sensitive.log': { good: ['true', 'false'], bad: [['maybe', /must be true or false/]] },
  'kafka.auth.mode': {
    good: ['KAFKA_API_KEY', 'kafka_api_key'],
    bad: [['OAUTH', /must be one of KAFKA_API_KEY, SERVICE_ACCOUNT/]],
    context: { 'kafka.api.key': 'KEY', 'kafka.api.secret': 'SECRET' },
  },
  'kafka.api.key': { good: ['ABCDEF123'], bad: [['', /is required with kafka.api.secret/]], context: { 'kafka.api.secret': 'SECRET' } },
  'kafka.api.secret': { good: ['s3cret'], bad: [['', /is required with kafka.api.key/]], context: { 'kafka.api.key': 'KEY' } },
  'kafka.service.account.id': { good: ['sa-123'], bad: [] },
  'connection.database': { good: ['analytics'], bad: [['', /must not be empty/]] },
  'connection.attempts': {
    good: ['1', '5'],
    bad: [
      ['0', /must be at least 1/],
      ['x', /must be an integer/],
    ],
  },
  'connection.backoff.ms': {
    good: ['0', '9007199254740991'],
    bad: [
      ['-1', /must be at least 0/],
      ['9007199254740993', /LONG/],
      ['ten', /must be an integer/],
    ],
  },
  'databend.request.timeout.ms': {
    good: ['1', '300000', '2147483647'],
    bad: [
      ['0', /must be between 1 and 2147483647/],
      ['2147483648', /must be between 1 and 2147483647/],
      ['5m', /must be an integer/],
    ],
  },
  'insert.mode': {
    good: ['insert', 'UPSERT', 'Update'],
    bad: [['merge', /must be one of insert, upsert, update \(case-insensitive\)/]],
    context: { 'pk.mode': 'record_key' },
  },
  'batch.size': {
    good: ['1', '10000', ' 500 '],
    bad: [
      ['0', /must be at least 1/],
      ['-5', /must be at least 1/],
      ['2147483648', /must be an integer \(INT, -2147483648 to 2147483647\)/],
      ['abc', /must be an integer/],
    ],
  },
  'linger.ms': {
    good: ['0', '250'],
    bad: [
      ['-1', /must be at least 0/],
      ['1s', /must be an integer/],
    ],
  },
  'exactly.once.enabled': {
    good: ['true', 'FALSE'],
    bad: [['on', /must be true or false/]],
  },
  'exactly.once.offsets.table': {
    good: ['_databend_sink_offsets', 'ops.offsets', 'Sink Offsets'],
    bad: [
      ['a.b.c', /one "\." at most/],
      ['.offsets', /no empty part/],
    ],
    context: { 'exactly.once.enabled': 'true' },
  },
  'delete.enabled': {
    good: ['true', 'FALSE'],
    bad: [['yes', /must be true or false/]],
    context: { 'pk.mode': 'record_key' },
  },
  'table.name.format': {
    good: ['${topic}', 'kafka_${topic}', 'analytics.${topic}', 'fixed_table', '${topic}_${topic}', '${topic}_db.t'],
    bad: [
      ['', /must not be empty/],
      ['${Topic}', /unknown placeholder \$\{Topic\}: \$\{topic\} is the only one/],
      ['${partition}', /unknown placeholder/],
      ['a.b.${topic}', /at most one literal "\."/],
      ['.t', /must not be empty/],
      ['db.', /must not be empty/],
    ],
  },
  'quote.sql.identifiers': {
    good: ['never', 'ALWAYS'],
    bad: [['sometimes', /must be one of always, never/]],
  },
  'db.timezone': {
    good: ['UTC', 'Europe/Berlin', 'America/New_York', 'Etc/GMT+5'],
    bad: [
      ['Mars/Olympus', /is not an IANA time zone/],
      ['+02:00', /is not an IANA time zone/],
      ['', /is not an IANA time zone/],
    ],
  },
  'pk.mode': {
    good: ['none', 'kafka', 'RECORD_KEY', 'record_value'],
    bad: [['record', /must be one of none, kafka, record_key, record_value/]],
  },
  'pk.fields': {
    good: ['', 't, p, o'],
    bad: [['a,b', /with pk\.mode=kafka must be empty or exactly three column names/]],
    context: { 'pk.mode': 'kafka' },
  },
  'fields.whitelist': { good: ['', 'a,b'], bad: [] },
  'auto.create': { good: ['true', 'false'], bad: [['maybe', /must be true or false/]] },
  'auto.evolve': { good: ['True', 'false'], bad: [['1', /must be true or false/]] },
  'max.retries': { good: ['0', '10'], bad: [['-1', /must be at least 0/]] },
  'retry.backoff.ms': { good: ['0', '3000'], bad: [['-1', /must be at least 0/]] },
  'task.shutdown.graceful.timeout.ms': { good: ['0', '10000', '25000'], bad: [['-1', /must be between 0 and 2147483647/], ['soon', /must be an integer/]] },
  'metrics.port': { good: ['0', '9464', '65535'], bad: [['65536', /must be between 0 and 65535/], ['-1', /must be between 0 and 65535/], ['http', /must be an integer/]] },
  'metrics.host': { good: ['127.0.0.1', '0.0.0.0', '::1', 'localhost'], bad: [['  ', /must not be empty/]] },
  'progress.interval.ms': { good: ['0', '10000', '60000'], bad: [['-1', /must be between 0 and 2147483647/], ['often', /must be an integer/]] },
  ...converterCases('key.converter'),
  ...converterCases('value.converter'),
  'errors.tolerance': { good: ['ALL', 'none'], bad: [['some', /must be one of none, all/]] },
  'errors.deadletterqueue.topic.name': {
    good: ['dlq', ''],
    bad: [['bad topic', /is not a legal topic name/]],
    context: { 'errors.tolerance': 'all' },
  },
  'errors.deadletterqueue.context.headers.enable': { good: ['true'], bad: [['on', /must be true or false/]] },
  'producer.override.compression.type': {
    good: ['none', 'gzip', 'SNAPPY', 'lz4', 'zstd'],
    bad: [['brotli', /must be one of none, gzip, snappy, lz4, zstd/]],
    context: { 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq' },
  },
  'errors.log.enable': { good: ['true'], bad: [['on', /must be true or false/]] },
  'errors.log.include.messages': { good: ['true'], bad: [['on', /must be true or false/]], context: { 'errors.log.enable': 'true' } },
  'bootstrap.servers': {
    good: ['a:9092', 'a:9092, b:9093', 'SASL_SSL://a.example.com:9092', '[::1]:9092'],
    bad: [
      ['', /is required/],
      ['a', /must be host:port entries; not understood: "a"/],
      ['a:0', /not understood: "a:0"/],
      ['a:70000', /not understood/],
      ['a:9092,b:x', /not understood: "b:x"/],
    ],
  },
  'group.id': { good: ['my-group'], bad: [['', /must not be empty/]] },
  'security.protocol': {
    good: ['PLAINTEXT', 'ssl', 'SASL_SSL', 'sasl_plaintext'],
    bad: [['TLS', /must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL/]],
    context: { 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': PLAIN_JAAS },
  },
  'sasl.mechanism': {
    good: ['PLAIN', 'scram-sha-256', 'SCRAM-SHA-512'],
    bad: [
      ['GSSAPI', /must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512/],
      ['OAUTHBEARER', /must be one of/],
    ],
    context: SASL,
  },
  'sasl.jaas.config': {
    good: [PLAIN_JAAS, 'org.apache.kafka.common.security.scram.ScramLoginModule required username=u password=p'],
    bad: [
      ['username="u" password="p"', /expected "<LoginModule> required/],
      ['org.apache.kafka.common.security.plain.PlainLoginModule required username="u";', /missing password/],
    ],
    context: SASL,
  },
  'ssl.truststore.location': { good: [__filename], bad: [['/nope/ca.pem', /cannot read \/nope\/ca\.pem/]], context: TLS },
  'ssl.truststore.certificates': { good: ['-----BEGIN CERTIFICATE-----'], bad: [], context: TLS },
  'ssl.truststore.type': { good: ['PEM', 'pem'], bad: [['JKS', /must be one of PEM/]], context: TLS },
  'ssl.truststore.password': { good: ['x'], bad: [], context: TLS },
  'ssl.keystore.location': { good: [__filename], bad: [['/nope/client.pem', /cannot read \/nope\/client\.pem/]], context: TLS },
  'ssl.keystore.certificate.chain': { good: ['-----BEGIN CERTIFICATE-----'], bad: [], context: TLS },
  'ssl.keystore.key': { good: ['-----BEGIN PRIVATE KEY-----'], bad: [], context: TLS },
  'ssl.keystore.type': { good: ['PEM'], bad: [['PKCS12', /must be one of PEM/]], context: TLS },
  'ssl.keystore.password': { good: ['x'], bad: [], context: TLS },
  'ssl.key.password': { good: ['x'], bad: [], context: TLS },
  'ssl.endpoint.identification.algorithm': { good: ['https', ''], bad: [], context: TLS },
};

function configWith(c: Case, key: string, value: string): Record<string, string> {
  const cfg: Record<string, string | undefined> = { ...BASE, ...c.context, [key]: value };
  return Object.fromEntries(Object.entries(cfg).filter((e): e is [string, string] => e[1] !== undefined));
}

describe('every declared key has validator cases', () => {
  it('covers exactly the declared keys', () => {
    expect(Object.keys(CASES).sort()).toEqual(CONFIG_KEYS.map((k) => k.name).sort());
  });

  it('the base config is valid', () => {
    expect(validateConfig(BASE).problems).toEqual([]);
  });
});

describe.each(Object.entries(CASES))('%s', (key, c) => {
  it.each(c.good)('accepts %j', (value) => {
    const { problems } = validateConfig(configWith(c, key, value));
    expect(problems).toEqual([]);
  });

  if (c.bad.length > 0) {
    it.each(c.bad)('rejects %j', (value, message) => {
      const { problems, config } = validateConfig(configWith(c, key, value));
      expect(config).toBeUndefined();
      const mine = problems.filter((p) => p.key === key);
      expect(mine).toHaveLength(1);
      expect(mine[0].message).toMatch(message);
    });
  }
});
