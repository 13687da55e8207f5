/**
 * The one declaration of every connector config key. Validation (validate-config.ts), the JSON
 * Schema, the Kafka-Connect-style definition list, the validate response and docs/CONFIG.md
 * (config-projections.ts) are all derived from this file: a key, default, range or doc text is
 * changed here and nowhere else.
 */
import { parseDatabendUrl } from './connection-url';
import { checkTableNameFormat } from '../planner/table-name';

export type ConfigType = 'STRING' | 'INT' | 'LONG' | 'DOUBLE' | 'BOOLEAN' | 'LIST' | 'PASSWORD' | 'CLASS';
export type Importance = 'HIGH' | 'MEDIUM' | 'LOW';
/** Kafka Connect's display width hint. */
export type Width = 'NONE' | 'SHORT' | 'MEDIUM' | 'LONG';
/** A value after type parsing: STRING/PASSWORD/CLASS → string, INT/LONG/DOUBLE → number, LIST → string[]. */
export type ParsedValue = string | number | boolean | string[] | null;

/**
 * - `enum`: one of `values`, compared case-insensitively; the parsed value is the canonical spelling.
 * - `range`: numeric bounds, inclusive.
 * - `custom`: `check` returns what is allowed when the value is wrong, else undefined. `allowed`
 *   describes the valid values for docs.
 */
export type Validator =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'range'; min?: number; max?: number }
  | { kind: 'custom'; allowed: string; check: (value: ParsedValue) => string | undefined };

/** Reads a key's configured value (or its declared default) as a string, for visibility rules. */
export type ConfigLookup = (key: string) => string | undefined;

export interface ConfigKeyDefinition {
  readonly name: string;
  readonly type: ConfigType;
  /** The default in Kafka Connect's string form (LIST: comma-joined); null: no default (unset). */
  readonly defaultValue: string | null;
  /** Shown instead of the default when the default is computed, e.g. `connect-<name>`. */
  readonly defaultDescription?: string;
  /** Must be set (Kafka Connect: no default value). */
  readonly required: boolean;
  readonly importance: Importance;
  readonly group: ConfigGroup;
  /** 1-based position inside the group, from declaration order. */
  readonly orderInGroup: number;
  readonly width: Width;
  readonly displayName: string;
  readonly documentation: string;
  readonly validator?: Validator;
  /** Never printed, logged or written anywhere: shown as `[hidden]`. */
  readonly sensitive: boolean;
  /** Keys whose meaning or visibility depends on this one (Kafka Connect `dependents`). */
  readonly dependents: readonly string[];
  /** Whether the key applies given the other values (Kafka Connect `visible`); always when absent. */
  readonly visibleWhen?: (get: ConfigLookup) => boolean;
}

export const CONFIG_GROUPS = ['Common', 'Connection', 'Writes', 'Data Mapping', 'DDL Support', 'Retries', 'Converters', 'Error Handling', 'Kafka Client', 'Confluent Cloud', 'Operations'] as const;
export type ConfigGroup = (typeof CONFIG_GROUPS)[number];

/** What Kafka Connect shows instead of a sensitive value. */
export const HIDDEN = '[hidden]';

/** `connector.class` values this sink accepts: the Java connector's class and its short name. */
export const CONNECTOR_CLASSES = ['com.databend.kafka.connect.DatabendSinkConnector', 'DatabendSinkConnector'] as const;
export const CONNECTOR_CLASS = CONNECTOR_CLASSES[0];

export const CONVERTER_CLASSES = {
  'io.confluent.connect.avro.AvroConverter': 'avro',
  'io.confluent.connect.json.JsonSchemaConverter': 'json-schema',
  'io.confluent.connect.protobuf.ProtobufConverter': 'protobuf',
  'org.apache.kafka.connect.json.JsonConverter': 'json',
  'org.apache.kafka.connect.storage.StringConverter': 'string',
  'org.apache.kafka.connect.converters.ByteArrayConverter': 'bytearray',
} as const;
export type ConverterClass = keyof typeof CONVERTER_CLASSES;
export const SUPPORTED_CONVERTERS = Object.keys(CONVERTER_CLASSES) as ConverterClass[];
/** Converters that read a schema registry. */
export const REGISTRY_CONVERTERS: readonly string[] = [
  'io.confluent.connect.avro.AvroConverter',
  'io.confluent.connect.json.JsonSchemaConverter',
  'io.confluent.connect.protobuf.ProtobufConverter',
];
export const CONVERTER_PREFIXES = ['key.converter', 'value.converter'] as const;
export type ConverterPrefix = (typeof CONVERTER_PREFIXES)[number];

/** Keys of which exactly one must be set. */
export const EXACTLY_ONE_OF: readonly (readonly string[])[] = [['topics', 'topics.regex']];

/** Column names `pk.mode=kafka` uses when `pk.fields` is empty. */
export const KAFKA_PK_COLUMNS = ['__connect_topic', '__connect_partition', '__connect_offset'] as const;
/** Column name for a primitive record key under `pk.mode=record_key` when `pk.fields` is empty. */
export const PRIMITIVE_KEY_COLUMN = '__connect_key';

export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;

// ---- small validators -------------------------------------------------------------------------

const TOPIC_RULE = 'Kafka topic names: 1-249 characters of ASCII letters, digits, ".", "_" and "-" (not "." or "..")';

export function isLegalTopicName(topic: string): boolean {
  return topic.length >= 1 && topic.length <= 249 && /^[a-zA-Z0-9._-]+$/.test(topic) && topic !== '.' && topic !== '..';
}

/** Whether Intl knows the zone (IANA names, plus the aliases ICU accepts such as `UTC`). */
export function isValidTimeZone(zone: string): boolean {
  if (zone.trim() === '' || /^[+-]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A comma-separated list of `http(s)://host[:port]` URLs (Confluent's schema registry client accepts several). */
export function checkRegistryUrls(value: string): string | undefined {
  const urls = value.split(',').map((u) => u.trim());
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      return 'must be a comma-separated list of http:// or https:// URLs';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be a comma-separated list of http:// or https:// URLs';
  }
  return undefined;
}

/** `host:port`, optionally with a listener prefix such as `SASL_SSL://` (stripped), IPv6 in brackets. */
export const BOOTSTRAP_SERVER = /^(?:[A-Za-z_]+:\/\/)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;

function hasControlCharacter(s: string): boolean {
  return [...s].some((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });
}

function userInfoCheck(value: ParsedValue): string | undefined {
  const s = String(value);
  return s.indexOf(':') > 0 ? undefined : 'must be "<user>:<password>"';
}

/** `exactly.once.offsets.table` as a table (database null: connection.database); null when it is not a name. */
export function parseOffsetsTable(value: string): { database: string | null; table: string } | null {
  const parts = value.trim().split('.');
  if (parts.length > 2 || parts.some((p) => p === '' || hasControlCharacter(p))) return null;
  return parts.length === 2 ? { database: parts[0], table: parts[1] } : { database: null, table: parts[0] };
}

// ---- the declaration ----------------------------------------------------------------------------

type KeySpec = Omit<ConfigKeyDefinition, 'orderInGroup' | 'required' | 'importance' | 'width' | 'sensitive' | 'dependents' | 'defaultValue'> &
  Partial<Pick<ConfigKeyDefinition, 'required' | 'importance' | 'width' | 'sensitive' | 'dependents' | 'defaultValue'>>;

const eq = (key: string, ...values: string[]) => (get: ConfigLookup) => values.some((v) => (get(key) ?? '').trim().toLowerCase() === v.toLowerCase());
const startsWith = (key: string, prefix: string) => (get: ConfigLookup) => (get(key) ?? '').trim().toUpperCase().startsWith(prefix);

function converterKeys(prefix: ConverterPrefix): KeySpec[] {
  const which = prefix === 'key.converter' ? 'record keys' : 'record values';
  const isRegistry = eq(prefix, ...REGISTRY_CONVERTERS);
  const userInfoDoc = (name: string) =>
    `Schema registry credentials as "<user>:<password>" (a Confluent Cloud Schema Registry API key and secret), used when ${prefix}.basic.auth.credentials.source=USER_INFO. ` +
    `${name === 'basic.auth.user.info' ? `${prefix}.schema.registry.basic.auth.user.info` : `${prefix}.basic.auth.user.info`} is the same setting under its other name; setting both to different values is an error.`;
  const specs: Omit<KeySpec, 'group'>[] = [
    {
      name: prefix,
      type: 'CLASS',
      defaultValue: 'org.apache.kafka.connect.json.JsonConverter',
      importance: 'HIGH',
      displayName: prefix === 'key.converter' ? 'Key converter' : 'Value converter',
      documentation:
        `Converter class for ${which}. Supported: ${SUPPORTED_CONVERTERS.join(', ')}. ` +
        `The default is Kafka Connect's usual worker default, JsonConverter (with schemas.enable=true).`,
      validator: {
        kind: 'custom',
        allowed: `one of ${SUPPORTED_CONVERTERS.join(', ')}`,
        check: (v) => ((SUPPORTED_CONVERTERS as string[]).includes(String(v)) ? undefined : `is not a supported converter; use one of ${SUPPORTED_CONVERTERS.join(', ')}`),
      },
      width: 'LONG',
      dependents: [`${prefix}.schemas.enable`, `${prefix}.schema.registry.url`, `${prefix}.basic.auth.credentials.source`],
    },
    {
      name: `${prefix}.schemas.enable`,
      type: 'BOOLEAN',
      defaultValue: 'true',
      importance: 'MEDIUM',
      displayName: `${prefix === 'key.converter' ? 'Key' : 'Value'} JSON carries a schema`,
      documentation: `JsonConverter only: true when each JSON message is an envelope {"schema": …, "payload": …}; false for plain JSON, whose schema is inferred per record.`,
      visibleWhen: eq(prefix, 'org.apache.kafka.connect.json.JsonConverter'),
      width: 'SHORT',
    },
    {
      name: `${prefix}.schema.registry.url`,
      type: 'STRING',
      defaultValue: null,
      importance: 'HIGH',
      displayName: `${prefix === 'key.converter' ? 'Key' : 'Value'} schema registry URL`,
      documentation:
        `Schema Registry URL(s), comma-separated, for AvroConverter, JsonSchemaConverter and ProtobufConverter (required with them). ` +
        `Credentials may be written into the URL (https://user:password@host) when ${prefix}.basic.auth.credentials.source=URL; they are taken out of the URL and never shown.`,
      validator: { kind: 'custom', allowed: 'comma-separated http(s) URLs', check: (v) => checkRegistryUrls(String(v)) },
      visibleWhen: isRegistry,
      width: 'LONG',
      dependents: [`${prefix}.basic.auth.credentials.source`],
    },
    {
      name: `${prefix}.basic.auth.credentials.source`,
      type: 'STRING',
      defaultValue: 'URL',
      importance: 'MEDIUM',
      displayName: `${prefix === 'key.converter' ? 'Key' : 'Value'} registry credentials source`,
      documentation:
        `Where the schema registry credentials come from (case-insensitive). URL: the user info of ${prefix}.schema.registry.url, if any (none means no authentication). ` +
        `USER_INFO: ${prefix}.basic.auth.user.info (or ${prefix}.schema.registry.basic.auth.user.info), which is then required. ` +
        `SASL_INHERIT: the username and password of sasl.jaas.config, which then requires security.protocol=SASL_PLAINTEXT or SASL_SSL.`,
      validator: { kind: 'enum', values: ['URL', 'USER_INFO', 'SASL_INHERIT'] },
      visibleWhen: isRegistry,
      width: 'SHORT',
      dependents: [`${prefix}.basic.auth.user.info`, `${prefix}.schema.registry.basic.auth.user.info`],
    },
    {
      name: `${prefix}.basic.auth.user.info`,
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      displayName: `${prefix === 'key.converter' ? 'Key' : 'Value'} registry user info`,
      documentation: userInfoDoc('basic.auth.user.info'),
      validator: { kind: 'custom', allowed: '"<user>:<password>"', check: userInfoCheck },
      visibleWhen: isRegistry,
    },
    {
      name: `${prefix}.schema.registry.basic.auth.user.info`,
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'LOW',
      displayName: `${prefix === 'key.converter' ? 'Key' : 'Value'} registry user info (alias)`,
      documentation: userInfoDoc('schema.registry.basic.auth.user.info'),
      validator: { kind: 'custom', allowed: '"<user>:<password>"', check: userInfoCheck },
      visibleWhen: isRegistry,
    },
  ];
  return specs.map((k) => ({ ...k, group: 'Converters' }));
}

const SPECS: KeySpec[] = [
  // ---- Common (Kafka Connect framework keys) ----
  {
    name: 'name',
    type: 'STRING',
    required: true,
    importance: 'HIGH',
    group: 'Common',
    displayName: 'Connector name',
    documentation:
      'Globally unique name of this connector. With the {"name": …, "config": {…}} file shape it may be given by the outer "name" only; if both are given they must be equal. ' +
      'The default consumer group is connect-<name>, as in Kafka Connect.',
    validator: {
      kind: 'custom',
      allowed: 'a non-empty name without control characters',
      check: (v) => (String(v).trim() === '' ? 'must not be empty' : hasControlCharacter(String(v)) ? 'must not contain control characters' : undefined),
    },
    dependents: ['group.id'],
  },
  {
    name: 'connector.class',
    type: 'CLASS',
    defaultValue: CONNECTOR_CLASS,
    importance: 'HIGH',
    group: 'Common',
    displayName: 'Connector class',
    documentation:
      `The connector class, kept so that a config written for the Java Databend connector runs unchanged. Accepted: ${CONNECTOR_CLASSES.join(', ')}. ` +
      'May be omitted: this sink is the only connector it runs.',
    validator: {
      kind: 'custom',
      allowed: CONNECTOR_CLASSES.join(', '),
      check: (v) => ((CONNECTOR_CLASSES as readonly string[]).includes(String(v)) ? undefined : `is not this connector; accepted: ${CONNECTOR_CLASSES.join(', ')}`),
    },
    width: 'LONG',
  },
  {
    name: 'tasks.max',
    type: 'INT',
    defaultValue: '1',
    importance: 'HIGH',
    group: 'Common',
    displayName: 'Tasks max',
    documentation:
      'How many partition workers this process runs concurrently (each owns a share of the assigned partitions). To scale further, start more processes with the same group.id.',
    validator: { kind: 'range', min: 1, max: 1024 },
    width: 'SHORT',
  },
  {
    name: 'topics',
    type: 'LIST',
    defaultValue: '',
    importance: 'HIGH',
    group: 'Common',
    displayName: 'Topics',
    documentation: `Comma-separated topics to consume. Exactly one of topics and topics.regex must be set. Each must be a legal topic name (${TOPIC_RULE}); repeated names are read once.`,
    validator: {
      kind: 'custom',
      allowed: TOPIC_RULE,
      check: (v) => {
        const bad = (v as string[]).filter((t) => !isLegalTopicName(t));
        return bad.length > 0 ? `contains illegal topic name(s) ${bad.map((b) => JSON.stringify(b)).join(', ')}; allowed: ${TOPIC_RULE}` : undefined;
      },
    },
    width: 'LONG',
    dependents: ['topics.regex'],
  },
  {
    name: 'topics.regex',
    type: 'STRING',
    defaultValue: '',
    importance: 'HIGH',
    group: 'Common',
    displayName: 'Topics regex',
    documentation:
      'Regular expression of the topics to consume; like Java, it must match the whole topic name (it is anchored as ^(?:…)$). Written in JavaScript RegExp syntax, which agrees with Java for ordinary patterns. ' +
      'Exactly one of topics and topics.regex must be set.',
    validator: {
      kind: 'custom',
      allowed: 'a regular expression',
      check: (v) => {
        try {
          new RegExp(`^(?:${String(v)})$`);
          return undefined;
        } catch (err) {
          return `is not a valid regular expression (${(err as Error).message.replace(/^Invalid regular expression: /, '')})`;
        }
      },
    },
    width: 'LONG',
    dependents: ['topics'],
  },
  {
    name: 'transforms',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    group: 'Common',
    displayName: 'Transforms',
    documentation: 'Single message transforms are not supported: this key must be empty. (Ignoring a configured transform would silently write different data.)',
    validator: { kind: 'custom', allowed: 'empty', check: (v) => ((v as string[]).length > 0 ? 'single message transforms are not supported; remove transforms (must be empty)' : undefined) },
  },
  {
    name: 'task.shutdown.graceful.timeout.ms',
    type: 'LONG',
    defaultValue: '10000',
    importance: 'MEDIUM',
    group: 'Common',
    displayName: 'Shutdown grace period (ms)',
    documentation:
      'Longest time from SIGTERM/SIGINT to exit, in milliseconds. Fetching stops at once; a batch in flight may finish and commit until 2 s before the end (half the period when it is under 4 s), otherwise it is given up without committing (it is consumed again after a restart, at-least-once); then the group is left and the process exits 0. ' +
      'Keep it below the SIGKILL deadline of whatever stops the sink (Kubernetes: terminationGracePeriodSeconds, 30 s by default). (The Kafka Connect worker key of the same meaning; its default there is 5000.)',
    validator: { kind: 'range', min: 0, max: 2_147_483_647 },
    width: 'SHORT',
  },

  // ---- Connection ----
  {
    name: 'connection.url',
    type: 'STRING',
    required: true,
    importance: 'HIGH',
    group: 'Connection',
    displayName: 'Databend URL',
    documentation:
      'Databend to write to: jdbc:databend://[user[:password]@]host[:port][/database][?ssl=true|sslmode=enable|disable&…] (the Java connector form) or databend://… (databend-driver DSN). ' +
      'TLS: ssl=true or sslmode=enable turns it on, ssl=false or sslmode=disable off; without either, jdbc: URLs default to plain HTTP (the JDBC driver default) and databend:// URLs to TLS (the databend-driver default). ' +
      'Port defaults to 443 with TLS, 8000 without. Other query parameters are passed to the driver. ' +
      'The sink connects with the DSN databend://user:password@host:port/database?sslmode=enable|disable&<other parameters>&<connection.* extras>.',
    validator: {
      kind: 'custom',
      allowed: 'jdbc:databend://host[:port][/db][?…] or databend://host[:port][/db][?…]',
      check: (v) => {
        try {
          parseDatabendUrl(String(v));
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    },
    width: 'LONG',
    dependents: ['connection.user', 'connection.password', 'connection.database'],
  },
  {
    name: 'connection.user',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: 'Connection',
    displayName: 'Databend user',
    documentation: 'Databend user; overrides the user in connection.url. When neither gives one, root (Databend\'s default account) is used.',
    dependents: ['connection.username'],
  },
  {
    name: 'connection.username',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: 'Connection',
    displayName: 'Databend user (alias)',
    documentation:
      'The name the Java connector\'s documentation gives connection.user; the same setting. Setting both to different values is an error.',
  },
  {
    name: 'connection.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'HIGH',
    group: 'Connection',
    displayName: 'Databend password',
    documentation: 'Databend password; overrides the password in connection.url. Empty when neither gives one.',
  },
  {
    name: 'connection.ssl',
    type: 'BOOLEAN',
    defaultValue: null,
    defaultDescription: 'the ssl / sslmode of connection.url, else its scheme\'s default',
    importance: 'MEDIUM',
    group: 'Connection',
    displayName: 'Databend TLS',
    documentation: 'true: HTTPS to Databend; false: plain HTTP. Overrides ssl= in connection.url and must agree with sslmode there or in connection.sslmode.',
    width: 'SHORT',
  },
  {
    name: 'connection.sslmode',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: 'Connection',
    displayName: 'Databend TLS mode',
    documentation: 'enable or disable, as the databend-driver DSN says it; the same setting as connection.ssl (true / false), which it must agree with. (Not a Java connector key.)',
    validator: { kind: 'enum', values: ['enable', 'disable'] },
    width: 'SHORT',
  },
  {
    name: 'connection.query_timeout',
    type: 'INT',
    defaultValue: null,
    defaultDescription: 'databend.request.timeout.ms',
    importance: 'LOW',
    group: 'Connection',
    displayName: 'Databend query timeout (s)',
    documentation:
      'Longest wait for one Databend call, in seconds: the Java connector\'s key for what databend.request.timeout.ms says in milliseconds. ' +
      'When set it is used as that timeout (120 → 120000 ms); setting both to different durations is an error. Never sent to Databend as a session setting.',
    validator: { kind: 'range', min: 1, max: 2_147_483 },
    width: 'SHORT',
  },
  {
    name: 'connection.database',
    type: 'STRING',
    defaultValue: null,
    defaultDescription: 'the database of connection.url, else default',
    importance: 'HIGH',
    group: 'Connection',
    displayName: 'Database',
    documentation:
      'Database the sink connects to and where tables without a database part in table.name.format live. Overrides the database of connection.url; default "default". (The Java connector ignored this key; it is honoured here.)',
    validator: { kind: 'custom', allowed: 'a non-empty name', check: (v) => (String(v).trim() === '' ? 'must not be empty' : undefined) },
  },
  {
    name: 'connection.attempts',
    type: 'INT',
    defaultValue: '3',
    importance: 'LOW',
    group: 'Connection',
    displayName: 'Connection attempts',
    documentation: 'How many times to try to connect to Databend at start before giving up.',
    validator: { kind: 'range', min: 1 },
    width: 'SHORT',
  },
  {
    name: 'connection.backoff.ms',
    type: 'LONG',
    defaultValue: '10000',
    importance: 'LOW',
    group: 'Connection',
    displayName: 'Connection backoff (ms)',
    documentation: 'Wait between connection attempts, in milliseconds.',
    validator: { kind: 'range', min: 0 },
    width: 'SHORT',
  },
  {
    name: 'databend.request.timeout.ms',
    type: 'LONG',
    defaultValue: '300000',
    importance: 'LOW',
    group: 'Connection',
    displayName: 'Databend request timeout (ms)',
    documentation:
      'Longest wait for Databend to answer one call (connect, statement, query, stage load), in milliseconds. A call that takes longer is a retriable error (retried per max.retries / retry.backoff.ms), so a Databend that stopped answering does not hold the sink forever. A timed-out write may still complete on the server: in insert mode its retry can then write the rows twice (at-least-once), unless exactly.once.enabled=true. At most 2147483647 (about 24.8 days, the longest timer Node.js keeps). (Not a Java connector key.)',
    validator: { kind: 'range', min: 1, max: 2_147_483_647 },
    width: 'SHORT',
  },

  // ---- Writes ----
  {
    name: 'insert.mode',
    type: 'STRING',
    defaultValue: 'insert',
    importance: 'HIGH',
    group: 'Writes',
    displayName: 'Insert mode',
    documentation:
      'insert: append every record. upsert: REPLACE INTO … ON (key columns), the last record per key in a batch wins. update: update rows whose key exists, leave others alone. ' +
      'upsert and update need key columns: pk.mode kafka, record_key, or record_value with pk.fields. Case-insensitive.',
    validator: { kind: 'enum', values: ['insert', 'upsert', 'update'] },
    dependents: ['pk.mode', 'pk.fields'],
  },
  {
    name: 'batch.size',
    type: 'INT',
    defaultValue: '10000',
    importance: 'MEDIUM',
    group: 'Writes',
    displayName: 'Batch size',
    documentation: 'Most rows written in one batch. (The Java connector\'s default of 10 is far too small for Databend.)',
    validator: { kind: 'range', min: 1 },
    width: 'SHORT',
  },
  {
    name: 'linger.ms',
    type: 'LONG',
    defaultValue: '1000',
    importance: 'MEDIUM',
    group: 'Writes',
    displayName: 'Linger (ms)',
    documentation: 'Longest time a partial batch waits for more records before it is written anyway, in milliseconds; 0 writes whatever each poll returned. (Not a Java connector key.)',
    validator: { kind: 'range', min: 0 },
    width: 'SHORT',
  },
  {
    name: 'exactly.once.enabled',
    type: 'BOOLEAN',
    defaultValue: 'false',
    importance: 'MEDIUM',
    group: 'Writes',
    displayName: 'Exactly-once appends',
    documentation:
      'insert.mode=insert only: every record becomes exactly one row, also after a crash, a retried write or a partition moving to another process. Each partition batch is written in one Databend transaction together with the partition\'s next offset, kept in exactly.once.offsets.table; records below the stored offset are skipped, and a process that lost its partition cannot commit (Databend refuses the second of two transactions moving one offset). ' +
      'Costs three statements per batch (BEGIN, offset UPDATE, COMMIT; the offset is read after a start or a conflict) and rolled-back work on conflicts (docs/errors-and-delivery.md, docs/benchmarks.md). upsert and update need it not: replaying them converges to the same rows. Dead-letter records stay at-least-once. Not with delete.enabled. (Not a Java connector key.)',
    dependents: ['exactly.once.offsets.table'],
    width: 'SHORT',
  },
  {
    name: 'exactly.once.offsets.table',
    type: 'STRING',
    defaultValue: '_databend_sink_offsets',
    importance: 'LOW',
    group: 'Writes',
    displayName: 'Exactly-once offsets table',
    documentation:
      'Where exactly.once.enabled keeps the partition offsets: a table name in connection.database, or <database>.<table>; created if missing (columns group_id, topic, kafka_partition, next_offset, updated_at; one row per group.id, topic and partition). ' +
      'Sinks with different group.id share it safely. Delete a group\'s rows to make it write its partitions again from Kafka\'s committed offsets. (Not a Java connector key.)',
    validator: {
      kind: 'custom',
      allowed: 'a table name, or <database>.<table>',
      check: (v) => (parseOffsetsTable(String(v)) === null ? 'must be a table name or <database>.<table>: one "." at most, no empty part, no control characters' : undefined),
    },
    visibleWhen: eq('exactly.once.enabled', 'true'),
  },
  {
    name: 'delete.enabled',
    type: 'BOOLEAN',
    defaultValue: 'false',
    importance: 'MEDIUM',
    group: 'Writes',
    displayName: 'Enable deletes',
    documentation: 'Treat tombstones (records with a null value) as deletes of the row with the record\'s key. Requires pk.mode=record_key.',
    dependents: ['pk.mode'],
    width: 'SHORT',
  },
  {
    name: 'table.name.format',
    type: 'STRING',
    defaultValue: '${topic}',
    importance: 'MEDIUM',
    group: 'Writes',
    displayName: 'Table name format',
    documentation:
      'Name of the destination table; ${topic} (the only placeholder) is replaced by the record\'s topic, e.g. kafka_${topic}. ' +
      'One literal "." written in the format separates database and table (analytics.${topic}); without it the table is in connection.database. ' +
      'Dots that come from the topic name never split: topic eu.orders with ${topic} is the table "eu.orders" (quoted). Checked by the table planner\'s own rule (src/planner/table-name.ts).',
    validator: {
      kind: 'custom',
      allowed: 'a table name with ${topic} as the only placeholder, optionally "<database>." in front',
      check: (v) => {
        const problems = checkTableNameFormat(String(v));
        return problems.length > 0 ? problems.join('; ') : undefined;
      },
    },
    width: 'LONG',
  },
  {
    name: 'quote.sql.identifiers',
    type: 'STRING',
    defaultValue: 'always',
    importance: 'MEDIUM',
    group: 'Writes',
    displayName: 'Quote identifiers',
    documentation:
      'always: quote table and column names (exact case, any characters). never: write them bare, so they must be plain identifiers; a topic name substituted into table.name.format must then be one too. Case-insensitive.',
    validator: { kind: 'enum', values: ['always', 'never'] },
    width: 'SHORT',
  },
  {
    name: 'table.types',
    type: 'LIST',
    defaultValue: 'TABLE',
    importance: 'LOW',
    group: 'Writes',
    displayName: 'Table types',
    documentation: 'The Java connector\'s kinds of destination table. Only TABLE is written to (a Databend VIEW cannot take rows), so TABLE is the only value allowed.',
    validator: {
      kind: 'custom',
      allowed: 'TABLE',
      check: (v) => ((v as string[]).every((t) => t.toUpperCase() === 'TABLE') ? undefined : 'only TABLE can be written to (a Databend view takes no rows); set table.types=TABLE or remove it'),
    },
    width: 'SHORT',
  },
  {
    name: 'trim.sensitive.log',
    type: 'BOOLEAN',
    defaultValue: 'false',
    importance: 'LOW',
    group: 'Writes',
    displayName: 'Trim sensitive log',
    documentation:
      'The Java connector\'s switch to keep record contents out of its logs. Here that is always so: secrets are never logged and record contents only with errors.log.include.messages=true. Accepted; true and false behave alike (a warning says so when set).',
    width: 'SHORT',
  },
  {
    name: 'db.timezone',
    type: 'STRING',
    defaultValue: 'UTC',
    importance: 'MEDIUM',
    group: 'Writes',
    displayName: 'DB time zone',
    documentation: 'Time zone used to render time values that carry no zone. An IANA zone name such as UTC or Europe/Berlin; offsets such as +02:00 are not zones.',
    validator: { kind: 'custom', allowed: 'an IANA time zone, e.g. UTC or Europe/Berlin', check: (v) => (isValidTimeZone(String(v)) ? undefined : 'is not an IANA time zone; use a name such as UTC or Europe/Berlin') },
  },

  // ---- Data Mapping ----
  {
    name: 'pk.mode',
    type: 'STRING',
    defaultValue: 'none',
    importance: 'HIGH',
    group: 'Data Mapping',
    displayName: 'Primary key mode',
    documentation:
      'Where the key columns come from. none: no key columns. kafka: the record\'s topic, partition and offset. record_key: the record key (a primitive key or fields of a struct key). ' +
      'record_value: fields of the record value (pk.fields names them). Case-insensitive. The Java connector defaults to record_value; here the default is none, so insert needs no key setup.',
    validator: { kind: 'enum', values: ['none', 'kafka', 'record_key', 'record_value'] },
    dependents: ['pk.fields', 'delete.enabled'],
  },
  {
    name: 'pk.fields',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Data Mapping',
    displayName: 'Primary key fields',
    documentation:
      'Key columns, by pk.mode, as in the JDBC sink family. none: ignored (a warning if set). ' +
      `kafka: empty for ${KAFKA_PK_COLUMNS.join(', ')}, or exactly three names for topic, partition and offset. ` +
      `record_key: for a struct key, empty means every key field, else the chosen key fields; for a primitive key, at most one name, the column holding the key (default ${PRIMITIVE_KEY_COLUMN}); with StringConverter or ByteArrayConverter as key.converter the key is always primitive, so two or more names are an error. ` +
      'record_value: the value fields forming the key, required for upsert and update (the JDBC sink\'s "empty means every value field" is not copied: it makes whole rows the key). With insert and no names, no key columns are used.',
    visibleWhen: (get) => !eq('pk.mode', 'none')(get),
    width: 'LONG',
  },
  {
    name: 'fields.whitelist',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Data Mapping',
    displayName: 'Fields whitelist',
    documentation: 'If not empty, only these non-key value fields become columns; key columns are always written.',
    width: 'LONG',
  },

  // ---- DDL Support ----
  {
    name: 'auto.create',
    type: 'BOOLEAN',
    defaultValue: 'false',
    importance: 'MEDIUM',
    group: 'DDL Support',
    displayName: 'Auto-create',
    documentation: 'Create a missing destination table (CREATE TABLE IF NOT EXISTS) from the record schema.',
    width: 'SHORT',
  },
  {
    name: 'auto.evolve',
    type: 'BOOLEAN',
    defaultValue: 'false',
    importance: 'MEDIUM',
    group: 'DDL Support',
    displayName: 'Auto-evolve',
    documentation: 'Add columns for new record fields and widen column types when the record schema changes. Without it, a record needing a new column is an error naming the table and columns.',
    width: 'SHORT',
  },

  // ---- Retries ----
  {
    name: 'max.retries',
    type: 'INT',
    defaultValue: '10',
    importance: 'MEDIUM',
    group: 'Retries',
    displayName: 'Maximum retries',
    documentation: 'How many times to retry an infrastructure error (Databend, Kafka or the schema registry unreachable, timeouts, 5xx) before stopping. Record errors are not retried.',
    validator: { kind: 'range', min: 0 },
    width: 'SHORT',
  },
  {
    name: 'retry.backoff.ms',
    type: 'INT',
    defaultValue: '3000',
    importance: 'MEDIUM',
    group: 'Retries',
    displayName: 'Retry backoff (ms)',
    documentation: 'Wait between retries, in milliseconds.',
    validator: { kind: 'range', min: 0 },
    width: 'SHORT',
  },

  // ---- Operations ----
  {
    name: 'metrics.port',
    type: 'INT',
    defaultValue: '0',
    importance: 'LOW',
    group: 'Operations',
    displayName: 'Health and metrics port',
    documentation:
      'Port of the HTTP listener that answers /healthz (the process is alive), /readyz (joined the consumer group and Databend answers), /metrics (Prometheus text format) and /status (assignment, committed offsets, lag, last error, as JSON). 0: no listener. The CLI option --metrics-port overrides it. (Not a Java connector key; Kafka Connect offers its REST API and JMX instead.)',
    validator: { kind: 'range', min: 0, max: 65_535 },
    width: 'SHORT',
  },
  {
    name: 'metrics.host',
    type: 'STRING',
    defaultValue: '127.0.0.1',
    importance: 'LOW',
    group: 'Operations',
    displayName: 'Health and metrics address',
    documentation: 'Address the health and metrics listener binds to: loopback unless told otherwise (0.0.0.0 for a scraper on another host or pod; the endpoints show no secrets, but offsets and table names). (Not a Java connector key.)',
    validator: { kind: 'custom', allowed: 'a host name or IP address', check: (v) => (String(v).trim() === '' ? 'must not be empty' : undefined) },
    width: 'MEDIUM',
  },
  {
    name: 'progress.interval.ms',
    type: 'LONG',
    defaultValue: '10000',
    importance: 'LOW',
    group: 'Operations',
    displayName: 'Progress line interval (ms)',
    documentation: 'One progress line (records per second, written, failed, lag) per interval, in milliseconds; 0: none. (Not a Java connector key.)',
    validator: { kind: 'range', min: 0, max: 2_147_483_647 },
    width: 'SHORT',
  },

  // ---- Converters ----
  ...converterKeys('key.converter'),
  ...converterKeys('value.converter'),

  // ---- Error Handling ----
  {
    name: 'errors.tolerance',
    type: 'STRING',
    defaultValue: 'none',
    importance: 'MEDIUM',
    group: 'Error Handling',
    displayName: 'Error tolerance',
    documentation:
      'none: a record error stops the sink without committing past the record. all: the record is skipped (sent to the dead letter queue if one is set) and the rest is written. Infrastructure errors are retried either way. Case-insensitive.',
    validator: { kind: 'enum', values: ['none', 'all'] },
    dependents: ['errors.deadletterqueue.topic.name', 'errors.deadletterqueue.context.headers.enable'],
    width: 'SHORT',
  },
  {
    name: 'errors.deadletterqueue.topic.name',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Error Handling',
    displayName: 'Dead letter queue topic',
    documentation: `Topic that receives failed records under errors.tolerance=all (a warning otherwise: it is unused). Must not be one of the sink's own topics, nor match topics.regex. Empty: no dead letter queue.`,
    validator: { kind: 'custom', allowed: TOPIC_RULE, check: (v) => (v === '' || isLegalTopicName(String(v)) ? undefined : `is not a legal topic name; allowed: ${TOPIC_RULE}`) },
    visibleWhen: eq('errors.tolerance', 'all'),
  },
  {
    name: 'errors.deadletterqueue.context.headers.enable',
    type: 'BOOLEAN',
    defaultValue: 'false',
    importance: 'MEDIUM',
    group: 'Error Handling',
    displayName: 'Dead letter queue context headers',
    documentation: 'Add Kafka Connect\'s __connect.errors.* headers (topic, partition, offset, error class and message) to records sent to the dead letter queue.',
    visibleWhen: eq('errors.tolerance', 'all'),
    width: 'SHORT',
  },
  {
    name: 'producer.override.compression.type',
    type: 'STRING',
    defaultValue: 'none',
    importance: 'LOW',
    group: 'Error Handling',
    displayName: 'Dead letter queue compression',
    documentation:
      'Compression of the record batches written to the dead letter queue, as Kafka Connect\'s producer override sets it for a sink\'s dead letter queue: none, gzip, snappy, lz4 or zstd. Case-insensitive. (Consumed topics may use any of these codecs whatever this says.)',
    validator: { kind: 'enum', values: ['none', 'gzip', 'snappy', 'lz4', 'zstd'] },
    visibleWhen: eq('errors.tolerance', 'all'),
    width: 'SHORT',
  },
  {
    name: 'errors.log.enable',
    type: 'BOOLEAN',
    defaultValue: 'false',
    importance: 'MEDIUM',
    group: 'Error Handling',
    displayName: 'Log errors',
    documentation: 'Log each record error with its topic, partition and offset.',
    dependents: ['errors.log.include.messages'],
    width: 'SHORT',
  },
  {
    name: 'errors.log.include.messages',
    type: 'BOOLEAN',
    defaultValue: 'false',
    importance: 'MEDIUM',
    group: 'Error Handling',
    displayName: 'Log error messages',
    documentation: 'Include the failed record\'s key and value in the error log. Off by default: records may carry personal data.',
    visibleWhen: eq('errors.log.enable', 'true'),
    width: 'SHORT',
  },

  // ---- Kafka Client ----
  {
    name: 'bootstrap.servers',
    type: 'LIST',
    required: true,
    importance: 'HIGH',
    group: 'Kafka Client',
    displayName: 'Bootstrap servers',
    documentation: 'Kafka brokers to bootstrap from, as host:port[,host:port…]. A listener prefix such as SASL_SSL:// is accepted and dropped.',
    validator: {
      kind: 'custom',
      allowed: 'host:port[,host:port…]',
      check: (v) => {
        const list = v as string[];
        if (list.length === 0) return 'must list at least one host:port';
        const bad = list.filter((s) => {
          const m = BOOTSTRAP_SERVER.exec(s);
          return !m || Number(m[2]) < 1 || Number(m[2]) > 65535;
        });
        return bad.length > 0 ? `must be host:port entries; not understood: ${bad.map((b) => JSON.stringify(b)).join(', ')}` : undefined;
      },
    },
    width: 'LONG',
  },
  {
    name: 'group.id',
    type: 'STRING',
    defaultValue: null,
    defaultDescription: 'connect-<name>',
    importance: 'MEDIUM',
    group: 'Kafka Client',
    displayName: 'Consumer group',
    documentation: 'Consumer group of the sink; processes with the same group share the partitions. Default connect-<name>, as Kafka Connect names sink groups.',
    validator: { kind: 'custom', allowed: 'a non-empty group id', check: (v) => (String(v).trim() === '' ? 'must not be empty' : undefined) },
  },
  {
    name: 'security.protocol',
    type: 'STRING',
    defaultValue: 'PLAINTEXT',
    importance: 'MEDIUM',
    group: 'Kafka Client',
    displayName: 'Security protocol',
    documentation: 'How to talk to the brokers. SASL_SSL is what Confluent Cloud uses. Case-insensitive.',
    validator: { kind: 'enum', values: ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] },
    dependents: ['sasl.mechanism', 'sasl.jaas.config', 'ssl.truststore.location', 'ssl.keystore.location'],
    width: 'SHORT',
  },
  {
    name: 'sasl.mechanism',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: 'Kafka Client',
    displayName: 'SASL mechanism',
    documentation: 'SASL mechanism; required with security.protocol SASL_PLAINTEXT or SASL_SSL (Kafka\'s own default, GSSAPI/Kerberos, is not supported). Case-insensitive.',
    validator: { kind: 'enum', values: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] },
    visibleWhen: startsWith('security.protocol', 'SASL_'),
    width: 'SHORT',
  },
  {
    name: 'sasl.jaas.config',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'MEDIUM',
    group: 'Kafka Client',
    displayName: 'SASL JAAS config',
    documentation:
      'JAAS line carrying the SASL credentials, e.g. org.apache.kafka.common.security.plain.PlainLoginModule required username="<api key>" password="<api secret>"; ' +
      '(how Confluent Cloud API keys arrive). Required with SASL; username and password are read from it.',
    visibleWhen: startsWith('security.protocol', 'SASL_'),
    width: 'LONG',
  },
  ...sslKeys(),

  // ---- Confluent Cloud (keys Confluent Cloud puts into a custom connector's config) ----
  {
    name: 'kafka.auth.mode',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: 'Confluent Cloud',
    displayName: 'Kafka authentication mode',
    documentation:
      'How Confluent Cloud authenticates a connector it runs. KAFKA_API_KEY: kafka.api.key and kafka.api.secret, which this sink uses itself. ' +
      'SERVICE_ACCOUNT cannot work here: Confluent Cloud makes those credentials only for connectors it runs. Case-insensitive.',
    validator: { kind: 'enum', values: ['KAFKA_API_KEY', 'SERVICE_ACCOUNT'] },
    dependents: ['kafka.api.key', 'kafka.api.secret'],
    width: 'SHORT',
  },
  {
    name: 'kafka.api.key',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: 'Confluent Cloud',
    displayName: 'Kafka API key',
    documentation:
      'A Confluent Cloud API key for the Kafka cluster, with kafka.api.secret. Together they mean security.protocol=SASL_SSL, sasl.mechanism=PLAIN and a sasl.jaas.config with this key as username and the secret as password ' +
      '(those keys may be left out; set to anything else they are an error, and sasl.jaas.config must then be left out).',
    sensitive: true,
    dependents: ['kafka.api.secret'],
  },
  {
    name: 'kafka.api.secret',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'HIGH',
    group: 'Confluent Cloud',
    displayName: 'Kafka API secret',
    documentation: 'The secret of kafka.api.key.',
  },
  {
    name: 'kafka.service.account.id',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: 'Confluent Cloud',
    displayName: 'Kafka service account',
    documentation: 'Confluent Cloud\'s service account for kafka.auth.mode=SERVICE_ACCOUNT, which only Confluent Cloud itself can use: with KAFKA_API_KEY it has no effect (a warning says so).',
    visibleWhen: eq('kafka.auth.mode', 'SERVICE_ACCOUNT'),
  },
];

function sslKeys(): KeySpec[] {
  const tls = (get: ConfigLookup) => eq('security.protocol', 'SSL', 'SASL_SSL')(get);
  const store: [string, ConfigType, string, string | null, string][] = [
    ['ssl.truststore.location', 'STRING', 'Truststore file', null, 'PEM file of the CA certificates that sign the brokers\' certificates. Without it (and without ssl.truststore.certificates) the system CAs are used.'],
    ['ssl.truststore.certificates', 'STRING', 'Truststore certificates', null, 'The CA certificates themselves, PEM text, instead of a file.'],
    ['ssl.truststore.type', 'STRING', 'Truststore type', 'PEM', 'Only PEM can be read here (Node has no JKS or PKCS12 keystore reader for Kafka-style stores).'],
    ['ssl.truststore.password', 'PASSWORD', 'Truststore password', null, 'Accepted for compatibility; PEM truststores need no password.'],
    ['ssl.keystore.location', 'STRING', 'Keystore file', null, 'PEM file of the client certificate chain, for mutual TLS.'],
    ['ssl.keystore.certificate.chain', 'STRING', 'Keystore certificate chain', null, 'The client certificate chain, PEM text, instead of a file.'],
    ['ssl.keystore.key', 'PASSWORD', 'Keystore key', null, 'The client private key, PEM text.'],
    ['ssl.keystore.type', 'STRING', 'Keystore type', 'PEM', 'Only PEM can be read here.'],
    ['ssl.keystore.password', 'PASSWORD', 'Keystore password', null, 'Accepted for compatibility; PEM keystores need no password.'],
    ['ssl.key.password', 'PASSWORD', 'Key password', null, 'Passphrase of an encrypted ssl.keystore.key.'],
    ['ssl.endpoint.identification.algorithm', 'STRING', 'Endpoint identification', 'https', 'https checks that the broker certificate names the broker host; empty turns the check off.'],
  ];
  return store.map(([name, type, displayName, defaultValue, documentation]) => ({
    name,
    type,
    defaultValue,
    displayName,
    documentation: `${documentation} Used with security.protocol SSL or SASL_SSL.`,
    importance: 'LOW',
    group: 'Kafka Client',
    visibleWhen: tls,
    ...(name.endsWith('.type') ? { validator: { kind: 'enum', values: ['PEM'] } as Validator } : {}),
  }));
}

function build(specs: KeySpec[]): ConfigKeyDefinition[] {
  const order = new Map<string, number>();
  const seen = new Set<string>();
  return specs.map((s) => {
    if (seen.has(s.name)) throw new Error(`config key ${s.name} declared twice`);
    seen.add(s.name);
    const n = (order.get(s.group) ?? 0) + 1;
    order.set(s.group, n);
    return {
      required: false,
      importance: 'MEDIUM',
      width: 'MEDIUM',
      dependents: [],
      defaultValue: null,
      ...s,
      sensitive: s.sensitive ?? s.type === 'PASSWORD',
      orderInGroup: n,
    };
  });
}

/** Every declared key, in group order then declaration order. */
export const CONFIG_KEYS: readonly ConfigKeyDefinition[] = build(SPECS).sort((a, b) => CONFIG_GROUPS.indexOf(a.group) - CONFIG_GROUPS.indexOf(b.group) || a.orderInGroup - b.orderInGroup);

const BY_NAME = new Map(CONFIG_KEYS.map((k) => [k.name, k]));

export function configKey(name: string): ConfigKeyDefinition | undefined {
  return BY_NAME.get(name);
}

// ---- families of keys not declared one by one ---------------------------------------------------

export interface ConfigKeyPattern {
  /** e.g. `connection.<param>` */
  readonly pattern: string;
  readonly prefix: string;
  readonly group: ConfigGroup;
  readonly documentation: string;
}

/**
 * databend-driver DSN options that `connection.<option>` (or a `connection.url` query parameter)
 * may set, with what they do. The driver makes any other DSN parameter a Databend session setting,
 * which the server checks only at login (`[2801] Unknown variable …` on every attempt), so no
 * other parameter is passed on: it is a validation error instead.
 */
export const DRIVER_DSN_OPTIONS: Readonly<Record<string, string>> = {
  warehouse: 'the Databend Cloud warehouse',
  tenant: 'the tenant',
  role: 'the role the session uses',
  tls_ca_file: "a PEM file of the CA that signed Databend's certificate",
  connect_timeout: 'seconds to wait for the TCP connection',
  wait_time_secs: 'seconds the server holds a query page open',
  max_rows_in_buffer: 'rows the server buffers per query',
  max_rows_per_page: 'rows per result page',
  page_request_timeout_secs: 'seconds to wait for one result page',
  presign: 'auto, detect, on or off: stage uploads through presigned URLs',
  login: 'enable or disable the login request',
  session_token: 'enable or disable session tokens',
  access_token: 'a token used instead of user and password (sensitive)',
  access_token_file: 'a file holding that token',
};

export const CONFIG_PATTERNS: readonly ConfigKeyPattern[] = [
  {
    pattern: 'connection.<driver option>',
    prefix: 'connection.',
    group: 'Connection',
    documentation:
      `A databend-driver DSN option: ${Object.entries(DRIVER_DSN_OPTIONS)
        .map(([k, v]) => `connection.${k} (${v})`)
        .join(', ')}. connection.warehouse=wh adds warehouse=wh to the DSN and overrides the same parameter in connection.url. ` +
      'Any other connection.* key, and any other connection.url query parameter, is an error: the driver would send it to Databend as a session setting, which fails at login.',
  },
  {
    pattern: 'consumer.override.<kafka consumer key>',
    prefix: 'consumer.override.',
    group: 'Kafka Client',
    documentation:
      'Kafka consumer settings, with the prefix removed. For the client keys declared above (bootstrap.servers, group.id, security.protocol, sasl.*, ssl.*), ' +
      'consumer.override.<key> is used as <key> when <key> itself is not set (so a Kafka Connect config keeps working); setting both to different values is an error. ' +
      'Of the other consumer keys, session.timeout.ms, heartbeat.interval.ms and max.poll.interval.ms (the rebalance timeout) are read; any other has no effect and is named in a warning.',
  },
  {
    pattern: 'confluent.<platform key>',
    prefix: 'confluent.',
    group: 'Confluent Cloud',
    documentation:
      'Keys Confluent Cloud adds to a custom connector\'s config (confluent.connector.type, confluent.custom.plugin.id, confluent.custom.connection.endpoints, confluent.custom.schema.registry.auto, …). ' +
      'They tell Confluent Cloud how to run the connector and have no effect on a standalone sink: accepted, and listed once in the log. ' +
      'confluent.custom.schema.registry.auto=true means Confluent Cloud fills in the converters\' schema registry URL and credentials; a standalone sink cannot, so a registry converter still needs <prefix>.schema.registry.url (the error says so).',
  },
  {
    pattern: 'ssl.<other> / sasl.<other> / key.converter.<other> / value.converter.<other> / producer.override.<key> / admin.override.<key> / transforms.<alias>.<key> / predicates.<alias>.<key>',
    prefix: 'ssl.',
    group: 'Kafka Client',
    documentation:
      'Other keys of these Kafka and Kafka Connect families (ssl.protocol, ssl.cipher.suites, value.converter.value.subject.name.strategy, …) are accepted with a warning and have no effect: Node\'s TLS defaults apply, and the converters read the schema each record names. ' +
      'A key of these families within two edits of a declared key (ssl.truststore.locaton) is taken for a misspelling: an error with "did you mean".',
  },
];

/** Prefixes of key families whose other keys are accepted with a warning (see CONFIG_PATTERNS). */
export const TOLERATED_FAMILIES = ['ssl.', 'sasl.', 'key.converter.', 'value.converter.', 'producer.override.', 'admin.override.', 'transforms.', 'predicates.'] as const;

/**
 * Framework keys a Kafka Connect config often carries that mean nothing to this sink, and keys the
 * Java connector documents but never reads: accepted with a warning saying why, never an error.
 */
export const IGNORED_KEYS: Readonly<Record<string, string>> = {
  'errors.retry.timeout': 'record errors are not retried; infrastructure errors use max.retries and retry.backoff.ms',
  'errors.retry.delay.max.ms': 'record errors are not retried; infrastructure errors use max.retries and retry.backoff.ms',
  'errors.deadletterqueue.topic.replication.factor': 'the dead letter queue topic is not created by the sink; create it beforehand',
  'header.converter': 'record headers are not written to Databend',
  'config.action.reload': 'the config is read once at start',
  predicates: 'single message transforms are not supported',
  'topic.prefix': 'the Java connector documents it but never reads it; to read every topic with a prefix set topics.regex=<prefix>.*',
  'key.converter.auto.register.schemas': 'a sink only reads schemas',
  'value.converter.auto.register.schemas': 'a sink only reads schemas',
  'key.converter.use.latest.version': 'a sink reads the schema each record names',
  'value.converter.use.latest.version': 'a sink reads the schema each record names',
  'key.converter.enhanced.avro.schema.support': 'Avro enums and defaults are always kept',
  'value.converter.enhanced.avro.schema.support': 'Avro enums and defaults are always kept',
  'key.converter.connect.meta.data': 'Connect metadata in Avro schemas is always read',
  'value.converter.connect.meta.data': 'Connect metadata in Avro schemas is always read',
};

/** The Kafka client keys that `consumer.override.<key>` may stand in for. */
export function isKafkaClientKey(name: string): boolean {
  return configKey(name)?.group === 'Kafka Client' || name.startsWith('ssl.') || name.startsWith('sasl.');
}

const SENSITIVE_NAME = /(password|secret|jaas|user\.info|token|credential|private|keystore\.key|api\.key)/i;

/**
 * Whether a key's value must never be shown: every declared sensitive key (which includes every
 * `*.basic.auth.user.info`), the same key behind `consumer.override.`, and — as a safety net for
 * undeclared keys — any name that says password, secret, token, credential, jaas or user.info.
 */
export function isSensitiveKey(name: string): boolean {
  const declared = configKey(name);
  if (declared) return declared.sensitive;
  if (name.startsWith('consumer.override.') && isSensitiveKey(name.slice('consumer.override.'.length))) return true;
  return SENSITIVE_NAME.test(name);
}

/**
 * The value as it may be shown: `[hidden]` for sensitive keys; for any other value, passwords in
 * URL user info (`//user:secret@`) and `password=`-style query parameters are hidden too.
 */
export function displayValue(key: string, value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  if (isSensitiveKey(key)) return HIDDEN;
  return redactUrlSecrets(value);
}

export function redactUrlSecrets(value: string): string {
  return value
    .replace(/(\/\/[^/@:\s]*:)\S*@/g, `$1${HIDDEN}@`)
    .replace(/([?&](?:password|pwd|passwd|secret|token|access_token)=)[^&#\s]*/gi, `$1${HIDDEN}`);
}

/**
 * The rules that involve several keys, in words, for CONFIG.md. validate-config.ts implements
 * them; a rule changed there is changed here too.
 */
export const CROSS_KEY_RULES: readonly string[] = [
  'Exactly one of `topics` and `topics.regex` is set.',
  '`insert.mode` `upsert` or `update` needs key columns: `pk.mode` `kafka`, `record_key`, or `record_value` with `pk.fields`.',
  '`pk.mode=kafka`: `pk.fields` is empty or names exactly three columns. `pk.mode=record_key` with `key.converter` StringConverter or ByteArrayConverter: `pk.fields` names at most one column. `pk.mode=none`: `pk.fields` is ignored (warning).',
  '`delete.enabled=true` needs `pk.mode=record_key`.',
  '`exactly.once.enabled=true` needs `insert.mode=insert` (upsert and update converge when replayed and need no offsets in Databend) and `delete.enabled=false`.',
  '`errors.deadletterqueue.topic.name` is not one of `topics` and does not match `topics.regex`; it is used only with `errors.tolerance=all` (a warning otherwise).',
  'AvroConverter, JsonSchemaConverter and ProtobufConverter need `<prefix>.schema.registry.url`. `<prefix>.basic.auth.credentials.source=USER_INFO` needs `<prefix>.basic.auth.user.info` (or its alias `<prefix>.schema.registry.basic.auth.user.info`; both set must agree); `URL` takes credentials from the registry URL and ignores user info (warning); `SASL_INHERIT` needs `security.protocol` `SASL_PLAINTEXT` or `SASL_SSL`. Registry keys with another converter are ignored (warning).',
  '`security.protocol` `SASL_PLAINTEXT`/`SASL_SSL` needs `sasl.mechanism` and a `sasl.jaas.config` with username and password; `SSL`/`SASL_SSL` read the `ssl.*` PEM files, which must exist. `sasl.*` without SASL and `ssl.*` without TLS are ignored (warning).',
  '`connection.url` TLS: `ssl` and `sslmode` (in the URL or as `connection.ssl`/`connection.sslmode`) must agree. Its other query parameters, like other `connection.*` keys, must be databend-driver options.',
  '`connection.username` and `connection.user` are one setting (both set must agree); so are `connection.query_timeout` (seconds) and `databend.request.timeout.ms`.',
  '`kafka.api.key` and `kafka.api.secret` come together and stand for `security.protocol=SASL_SSL`, `sasl.mechanism=PLAIN` and the JAAS line; `security.protocol` other than SASL_SSL/SASL_PLAINTEXT, `sasl.mechanism` other than PLAIN, or a `sasl.jaas.config` beside them is an error. `kafka.auth.mode=KAFKA_API_KEY` needs them; `SERVICE_ACCOUNT` is refused.',
  '`quote.sql.identifiers=never`: the database and table names that `table.name.format` gives for the configured topics must be plain identifiers (letters, digits, `_`).',
  '`name` and the outer `name` of a `{"name", "config"}` file, when both are given, are equal. `consumer.override.<client key>` and `<client key>`, when both are given, are equal.',
];
