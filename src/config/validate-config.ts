/**
 * Raw connector config (flat string map) → the typed SinkConfig, or every problem at once.
 * Per-key checks come from the declarations in config-definitions.ts; the cross-key rules live
 * here. A sensitive value is never put into a problem, warning or message.
 */
import { CONSUMER_TUNING_KEYS, consumerTuning, kafkaSecurity, KafkaSettingsError, parseJaasConfig } from '../kafka/kafka-client-settings';
import {
  CONFIG_KEYS,
  CONVERTER_CLASSES,
  CONVERTER_PREFIXES,
  DRIVER_DSN_OPTIONS,
  IGNORED_KEYS,
  INT_MAX,
  INT_MIN,
  KAFKA_PK_COLUMNS,
  parseOffsetsTable,
  REGISTRY_CONVERTERS,
  configKey,
  displayValue,
  isKafkaClientKey,
  TOLERATED_FAMILIES,
  type ConfigKeyDefinition,
  type ConverterClass,
  type ConverterPrefix,
  type ParsedValue,
  type Validator,
} from './config-definitions';
import { apiKeySettings, BOOTSTRAP_SERVERS_MISSING, platformKeys, registryFilledByConfluentCloud, registryUrlMissing } from './confluent-cloud-keys';
import { buildDatabendDsn, ConnectionUrlError, parseDatabendUrl, type ParsedDatabendUrl } from './connection-url';
import { didYouMean } from './key-suggestions';
import { tableNameFor } from '../planner/table-name';
import type { ConverterConfig } from '../converters/converter-config';
import type { InsertMode, PkMode } from '../planner/planner-options';
import type { SinkConfig } from './sink-config';

export interface ConfigProblem {
  key: string;
  /** The configured value, `[hidden]` for sensitive keys; null when the key is not set. */
  value: string | null;
  /** What is wrong and what is allowed. */
  message: string;
}

export interface ConfigValidation {
  /** Present exactly when `problems` is empty. */
  config?: SinkConfig;
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
  /** Things worth saying once that are neither wrong nor suspicious (the accepted `confluent.*` keys). */
  notes: ConfigProblem[];
}

export interface ValidateOptions {
  /** The outer `name` of a `{"name": …, "config": {…}}` file. */
  name?: string;
  /**
   * The sink runs as a task of a Kafka Connect worker (src/connect/): the worker's consumer reads
   * Kafka, so the keys of the Kafka client groups are not required.
   */
  inConnectWorker?: boolean;
}

/** The groups whose keys configure the sink's own Kafka clients, which a Connect worker replaces. */
export const WORKER_OWNED_GROUPS: readonly string[] = ['Kafka Client', 'Confluent Cloud'];

type Parsed<T = ParsedValue> = { ok: true; value: T } | { ok: false; message: string };

const JAVA_CLASS = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PRIMITIVE_KEY_CONVERTERS: readonly string[] = ['org.apache.kafka.connect.storage.StringConverter', 'org.apache.kafka.connect.converters.ByteArrayConverter'];

/** Parses a string by the key's type (no validator). */
export function parseByType(def: Pick<ConfigKeyDefinition, 'type'>, value: string): Parsed {
  const v = value.trim();
  switch (def.type) {
    case 'STRING':
    case 'PASSWORD':
      return { ok: true, value };
    case 'CLASS':
      return JAVA_CLASS.test(v) ? { ok: true, value: v } : { ok: false, message: 'must be a class name such as org.apache.kafka.connect.storage.StringConverter' };
    case 'INT': {
      const n = /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
      return Number.isInteger(n) && n >= INT_MIN && n <= INT_MAX ? { ok: true, value: n } : { ok: false, message: `must be an integer (INT, ${INT_MIN} to ${INT_MAX})` };
    }
    case 'LONG': {
      const n = /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
      return Number.isSafeInteger(n) ? { ok: true, value: n } : { ok: false, message: `must be an integer (LONG, at most ${Number.MAX_SAFE_INTEGER} in magnitude)` };
    }
    case 'DOUBLE': {
      const n = v === '' ? NaN : Number(v);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: 'must be a number' };
    }
    case 'BOOLEAN': {
      const b = v.toLowerCase();
      return b === 'true' || b === 'false' ? { ok: true, value: b === 'true' } : { ok: false, message: 'must be true or false' };
    }
    case 'LIST':
      return { ok: true, value: v === '' ? [] : v.split(',').map((s) => s.trim()).filter((s) => s !== '') };
  }
}

/** Applies the declared validator; enums come back in their canonical spelling. */
export function applyValidator(validator: Validator | undefined, value: ParsedValue): Parsed {
  if (!validator || value === null) return { ok: true, value };
  switch (validator.kind) {
    case 'enum': {
      const found = validator.values.find((allowed) => allowed.toLowerCase() === String(value).trim().toLowerCase());
      return found !== undefined ? { ok: true, value: found } : { ok: false, message: `must be one of ${validator.values.join(', ')} (case-insensitive)` };
    }
    case 'range': {
      const n = value as number;
      if ((validator.min === undefined || n >= validator.min) && (validator.max === undefined || n <= validator.max)) return { ok: true, value };
      return { ok: false, message: `must be ${describeRange(validator)}` };
    }
    case 'custom': {
      const message = validator.check(value);
      return message === undefined ? { ok: true, value } : { ok: false, message };
    }
  }
}

export function describeRange(r: { min?: number; max?: number }): string {
  if (r.min !== undefined && r.max !== undefined) return `between ${r.min} and ${r.max}`;
  if (r.min !== undefined) return `at least ${r.min}`;
  return `at most ${r.max}`;
}

export function validateConfig(raw: Readonly<Record<string, string>>, options: ValidateOptions = {}): ConfigValidation {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const eff: Record<string, string> = { ...raw };
  /** Effective key → the key it was configured under (consumer.override.*). */
  const origin: Record<string, string> = {};
  const shown = (key: string): string => origin[key] ?? key;
  const problem = (key: string, message: string) => problems.push({ key: shown(key), value: displayValue(shown(key), raw[shown(key)] ?? eff[key]), message });
  const warning = (key: string, message: string) => warnings.push({ key: shown(key), value: displayValue(shown(key), raw[shown(key)] ?? eff[key]), message });

  // The outer name of the {"name", "config"} shape.
  if (options.name !== undefined) {
    if (raw.name !== undefined && raw.name !== options.name) problem('name', `differs from the outer "name" (${JSON.stringify(options.name)}); give one name`);
    else eff.name = options.name;
  }

  // consumer.override.<Kafka client key> stands in for the key when the key itself is unset.
  const consumerOverrides: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith('consumer.override.')) continue;
    const target = key.slice('consumer.override.'.length);
    if (!isKafkaClientKey(target)) {
      consumerOverrides[target] = value;
    } else if (raw[target] === undefined) {
      eff[target] = value;
      origin[target] = key;
    } else if (raw[target] !== value) {
      problems.push({ key, value: displayValue(key, value), message: `conflicts with ${target}; set only ${target} (it configures every Kafka client of the sink)` });
    }
  }
  const tuning = consumerTuning(consumerOverrides);
  for (const { key, message } of tuning.invalid) problem(`consumer.override.${key}`, message);
  for (const key of tuning.unsupported) {
    warning(`consumer.override.${key}`, `has no effect: besides the Kafka client keys, only consumer.override.{${CONSUMER_TUNING_KEYS.join(', ')}} are read`);
  }

  // Confluent Cloud's kafka.api.key / kafka.api.secret stand for the SASL_SSL PLAIN client keys.
  const apiKey = apiKeySettings(eff);
  for (const p of apiKey.problems) problem(p.key, p.message);
  for (const w of apiKey.warnings) warning(w.key, w.message);
  for (const { key, value, from } of apiKey.settings) {
    eff[key] = value;
    origin[key] = from;
  }

  // Per-key checks.
  const parsed = new Map<string, ParsedValue>();
  const bad = new Set<string>();
  for (const def of CONFIG_KEYS) {
    const value = eff[def.name];
    if (value === undefined || (def.required && value.trim() === '')) {
      if (def.required && !(options.inConnectWorker && WORKER_OWNED_GROUPS.includes(def.group))) {
        bad.add(def.name);
        problem(def.name, requiredMessage(def));
      } else {
        const d = def.defaultValue === null ? null : parseByType(def, def.defaultValue);
        parsed.set(def.name, d === null ? null : d.ok ? d.value : null);
      }
      continue;
    }
    const typed = parseByType(def, value);
    const checked = typed.ok ? applyValidator(def.validator, typed.value) : typed;
    if (!checked.ok) {
      bad.add(def.name);
      problem(def.name, checked.message);
    } else {
      parsed.set(def.name, checked.value);
    }
  }

  // Keys that are not declared one by one: honoured, accepted with a warning, or an error.
  const extras: Record<string, string> = {};
  const notes: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (configKey(key) || key.startsWith('consumer.override.') || key.startsWith('confluent.')) continue;
    const option = key.startsWith('connection.') ? key.slice('connection.'.length) : undefined;
    if (IGNORED_KEYS[key] !== undefined) warning(key, `has no effect here: ${IGNORED_KEYS[key]}`);
    else if (option !== undefined && DRIVER_DSN_OPTIONS[option] !== undefined) extras[option] = value;
    else if (option !== undefined) problem(key, unknownConnectionKey(key));
    else if (inToleratedFamily(key)) {
      const suggestion = didYouMean(key, KNOWN_KEYS, 2);
      if (suggestion !== '') problem(key, `is not a key of this sink${suggestion}`);
      else warning(key, toleratedFamilyWarning(key));
    } else problem(key, `is not a key of this sink nor of the Java connector DatabendSinkConnector${didYouMean(key, KNOWN_KEYS)}`);
  }
  const platform = platformKeys(raw);
  if (platform.length > 0) {
    notes.push({
      key: 'confluent.*',
      value: null,
      message: `Confluent Cloud platform keys accepted; they tell Confluent Cloud how to run a connector and have no effect on a standalone sink: ${platform.join(', ')}`,
    });
  }
  if (eff['trim.sensitive.log'] !== undefined) {
    warning('trim.sensitive.log', 'has no effect: this sink never logs secrets, and logs record contents only with errors.log.include.messages=true');
  }

  const str = (key: string) => parsed.get(key) as string | null;
  const num = (key: string) => parsed.get(key) as number;
  const bool = (key: string) => parsed.get(key) as boolean;
  const list = (key: string) => (parsed.get(key) as string[] | null) ?? [];
  const ok = (...keys: string[]) => keys.every((k) => !bad.has(k));
  const isSet = (key: string) => eff[key] !== undefined && eff[key].trim() !== '';

  // topics / topics.regex: exactly one.
  let topics: string[] | null = null;
  let topicsRegex: RegExp | null = null;
  if (ok('topics', 'topics.regex')) {
    const hasTopics = list('topics').length > 0;
    const hasRegex = (str('topics.regex') ?? '') !== '';
    if (!hasTopics && !hasRegex) problem('topics', 'one of topics or topics.regex must be set');
    else if (hasTopics && hasRegex) problem('topics.regex', 'set only one of topics and topics.regex');
    else if (hasTopics) {
      topics = [...new Set(list('topics'))];
      if (topics.length < list('topics').length) warning('topics', 'names a topic more than once; it is read once');
    } else topicsRegex = new RegExp(`^(?:${str('topics.regex')})$`);
  }

  // Keys for the write modes.
  const insertMode = str('insert.mode') as InsertMode;
  const pkMode = str('pk.mode') as PkMode;
  let pkFields = list('pk.fields');
  if (ok('insert.mode', 'pk.mode', 'pk.fields')) {
    if (insertMode !== 'insert' && pkMode === 'none') {
      problem('pk.mode', `insert.mode=${insertMode} needs key columns: set pk.mode to kafka, record_key or record_value (with pk.fields)`);
    } else if (insertMode !== 'insert' && pkMode === 'record_value' && pkFields.length === 0) {
      problem('pk.fields', `insert.mode=${insertMode} with pk.mode=record_value needs the key fields of the value listed in pk.fields`);
    }
    if (pkMode === 'none' && pkFields.length > 0) warning('pk.fields', 'is ignored with pk.mode=none');
    if (pkMode === 'kafka') {
      if (pkFields.length === 0) pkFields = [...KAFKA_PK_COLUMNS];
      else if (pkFields.length !== 3) problem('pk.fields', 'with pk.mode=kafka must be empty or exactly three column names (topic, partition, offset)');
    }
    if (pkMode === 'record_key' && pkFields.length > 1 && ok('key.converter') && PRIMITIVE_KEY_CONVERTERS.includes(str('key.converter') ?? '')) {
      problem('pk.fields', `with pk.mode=record_key and key.converter=${str('key.converter')} (a primitive key) must name at most one column`);
    }
  }
  if (ok('delete.enabled', 'pk.mode') && bool('delete.enabled') && pkMode !== 'record_key') {
    problem('delete.enabled', `delete.enabled=true needs pk.mode=record_key (tombstones delete by key); pk.mode is ${pkMode}`);
  }

  // Exactly-once appends.
  const exactlyOnce = ok('exactly.once.enabled') && bool('exactly.once.enabled');
  if (exactlyOnce && ok('insert.mode') && insertMode !== 'insert') {
    problem(
      'exactly.once.enabled',
      `applies to insert.mode=insert only; insert.mode=${insertMode} is idempotent already: a batch written again after a crash converges to the same rows (effectively exactly-once), so it keeps no offsets in Databend. Remove exactly.once.enabled`,
    );
  }
  if (exactlyOnce && ok('delete.enabled') && bool('delete.enabled')) {
    problem('exactly.once.enabled', 'does not support delete.enabled=true yet (deletes of tombstoned keys are not written in the offset transaction); set delete.enabled=false or remove exactly.once.enabled');
  }

  // Dead letter queue.
  const dlq = str('errors.deadletterqueue.topic.name') ?? '';
  if (dlq !== '' && ok('errors.deadletterqueue.topic.name')) {
    if (ok('errors.tolerance') && str('errors.tolerance') === 'none') warning('errors.deadletterqueue.topic.name', 'is used only with errors.tolerance=all; ignored');
    if (topics?.includes(dlq)) problem('errors.deadletterqueue.topic.name', 'must not be one of the topics the sink reads (failed records would come back)');
    else if (topicsRegex?.test(dlq)) problem('errors.deadletterqueue.topic.name', 'must not match topics.regex (failed records would come back)');
  }
  if (ok('errors.log.enable', 'errors.log.include.messages') && bool('errors.log.include.messages') && !bool('errors.log.enable')) {
    warning('errors.log.include.messages', 'has no effect unless errors.log.enable=true');
  }

  // Kafka client security, checked by the same code that will build the client.
  const clientSettings: Record<string, string> = {};
  for (const [key, value] of Object.entries(eff)) {
    if (key === 'security.protocol' || key.startsWith('sasl.') || key.startsWith('ssl.')) {
      const p = parsed.get(key);
      clientSettings[key] = configKey(key)?.validator?.kind === 'enum' && typeof p === 'string' ? p : value;
    }
  }
  const protocol = str('security.protocol') ?? 'PLAINTEXT';
  const sasl = protocol.startsWith('SASL_');
  const tls = protocol === 'SSL' || protocol === 'SASL_SSL';
  let saslCredentials: { username: string; password: string } | undefined;
  if (ok('security.protocol')) {
    const securityCheck = (settings: Record<string, string>): boolean => {
      try {
        kafkaSecurity(settings);
        return true;
      } catch (err) {
        if (!(err instanceof KafkaSettingsError)) throw err;
        if (!bad.has(err.key)) {
          bad.add(err.key);
          problem(err.key, err.message.startsWith(`${err.key}: `) ? err.message.slice(err.key.length + 2) : err.message);
        }
        return false;
      }
    };
    if (sasl && ok('sasl.mechanism', 'sasl.jaas.config') && securityCheck({ ...clientSettings, 'security.protocol': 'SASL_PLAINTEXT' })) {
      saslCredentials = parseJaasConfig(clientSettings['sasl.jaas.config']);
    }
    if (tls && ok(...Object.keys(clientSettings).filter((k) => k.startsWith('ssl.')))) securityCheck({ ...clientSettings, 'security.protocol': 'SSL' });
    for (const key of Object.keys(clientSettings)) {
      if (!sasl && key.startsWith('sasl.')) warning(key, `is ignored with security.protocol=${protocol} (SASL needs SASL_PLAINTEXT or SASL_SSL)`);
      if (!tls && key.startsWith('ssl.') && configKey(key)) warning(key, `is ignored with security.protocol=${protocol} (TLS needs SSL or SASL_SSL)`);
    }
  }

  // Converters.
  const converters: Partial<Record<ConverterPrefix, ConverterConfig>> = {};
  for (const prefix of CONVERTER_PREFIXES) {
    const sub = (name: string) => `${prefix}.${name}`;
    if (!ok(prefix)) continue;
    const className = str(prefix) as ConverterClass;
    const registry = REGISTRY_CONVERTERS.includes(className);
    const config: ConverterConfig = { kind: CONVERTER_CLASSES[className], className, schemasEnable: bool(sub('schemas.enable')) };
    if (isSet(sub('schemas.enable')) && className !== 'org.apache.kafka.connect.json.JsonConverter') warning(sub('schemas.enable'), `is read only by JsonConverter; ignored with ${className}`);
    const registryKeys = ['schema.registry.url', 'basic.auth.credentials.source', 'basic.auth.user.info', 'schema.registry.basic.auth.user.info'].map(sub);
    if (!registry) {
      for (const k of registryKeys) if (isSet(k)) warning(k, `is read only by AvroConverter, JsonSchemaConverter and ProtobufConverter; ignored with ${className}`);
      converters[prefix] = config;
      continue;
    }
    if (!isSet(sub('schema.registry.url'))) {
      if (ok(sub('schema.registry.url'))) problem(sub('schema.registry.url'), registryUrlMissing(prefix, className, registryFilledByConfluentCloud(raw)));
      continue;
    }
    if (!ok(...registryKeys)) continue;
    const { urls, userInfo: urlUserInfo } = splitRegistryUrls(str(sub('schema.registry.url')) ?? '');
    config.schemaRegistryUrl = urls;
    const source = str(sub('basic.auth.credentials.source'));
    const info = str(sub('basic.auth.user.info'));
    const alias = str(sub('schema.registry.basic.auth.user.info'));
    if (info !== null && alias !== null && info !== alias) {
      problem(sub('schema.registry.basic.auth.user.info'), `differs from ${sub('basic.auth.user.info')}; they are one setting, set one of them`);
      continue;
    }
    const userInfo = info ?? alias;
    if (source === 'URL') {
      if (urlUserInfo !== undefined) config.basicAuthUserInfo = urlUserInfo;
      if (userInfo !== null) warning(info !== null ? sub('basic.auth.user.info') : sub('schema.registry.basic.auth.user.info'), `is ignored while ${sub('basic.auth.credentials.source')}=URL; set it to USER_INFO to use these credentials`);
    } else if (source === 'USER_INFO') {
      if (userInfo === null) problem(sub('basic.auth.user.info'), `is required with ${sub('basic.auth.credentials.source')}=USER_INFO, as "<user>:<password>"`);
      else config.basicAuthUserInfo = userInfo;
    } else if (source === 'SASL_INHERIT') {
      if (!sasl) problem(sub('basic.auth.credentials.source'), 'SASL_INHERIT needs security.protocol SASL_PLAINTEXT or SASL_SSL with sasl.jaas.config (its username and password are used)');
      else if (saslCredentials) config.basicAuthUserInfo = `${saslCredentials.username}:${saslCredentials.password}`;
    }
    converters[prefix] = config;
  }

  // Databend connection.
  let connection: SinkConfig['connection'] | undefined;
  const user = str('connection.user');
  const username = str('connection.username');
  if (user !== null && username !== null && user !== username) problem('connection.username', 'differs from connection.user; they are one setting (connection.username is the Java documentation\'s name for it), set one of them');
  const queryTimeout = parsed.get('connection.query_timeout') as number | null;
  const requestTimeoutMs = queryTimeout !== null ? queryTimeout * 1000 : num('databend.request.timeout.ms');
  if (queryTimeout !== null && isSet('databend.request.timeout.ms') && ok('databend.request.timeout.ms') && num('databend.request.timeout.ms') !== requestTimeoutMs) {
    problem('connection.query_timeout', `differs from databend.request.timeout.ms (${num('databend.request.timeout.ms')} ms); they are one setting in seconds and in milliseconds, set one of them`);
  }
  for (const key of ['connection.ssl', 'connection.sslmode'] as const) {
    const v = parsed.get(key);
    if (v !== null && v !== undefined) extras[key.slice('connection.'.length)] = String(v);
  }
  const connectionKeys = ['connection.url', 'connection.user', 'connection.username', 'connection.password', 'connection.database', 'connection.attempts', 'connection.backoff.ms', 'connection.ssl', 'connection.sslmode', 'connection.query_timeout', 'databend.request.timeout.ms'];
  if (ok(...connectionKeys)) {
    // The per-key check has parsed the URL already.
    const url = parseDatabendUrl(str('connection.url') ?? '');
    const unknownParams = unknownUrlParameters(url);
    if (unknownParams.length > 0) problem('connection.url', unknownParams.join('; '));
    else {
      const login = username ?? user;
      try {
        const built = buildDatabendDsn({
          url,
          ...(login !== null ? { user: login } : {}),
          ...(str('connection.password') !== null ? { password: str('connection.password') as string } : {}),
          ...(str('connection.database') !== null ? { database: (str('connection.database') as string).trim() } : {}),
          extras,
        });
        connection = { ...built, attempts: num('connection.attempts'), backoffMs: num('connection.backoff.ms'), requestTimeoutMs };
      } catch (err) {
        if (!(err instanceof ConnectionUrlError)) throw err;
        // Only contradicting TLS settings are left to fail here.
        problem(['connection.ssl', 'connection.sslmode'].find((k) => raw[k] !== undefined) ?? 'connection.url', err.message);
      }
    }
  }

  // Table names.
  const tableNameFormat = str('table.name.format') ?? '${topic}';
  if (ok('table.name.format', 'quote.sql.identifiers') && str('quote.sql.identifiers') === 'never') {
    const refs = (topics ?? ['topic']).map((t) => tableNameFor(tableNameFormat, t));
    const names = [...new Set(refs.flatMap((r) => (r.database !== null ? [r.database, r.table] : [r.table])))];
    const badNames = names.filter((n) => !PLAIN_IDENTIFIER.test(n));
    if (badNames.length > 0) {
      problem('table.name.format', `gives names that need quoting (${badNames.map((n) => JSON.stringify(n)).join(', ')}); with quote.sql.identifiers=never names must be letters, digits and _ (set quote.sql.identifiers=always)`);
    }
  }

  // Kafka client.
  const bootstrapServers = ok('bootstrap.servers') ? list('bootstrap.servers').map((s) => s.replace(/^[A-Za-z_]+:\/\//, '')) : [];
  const name = ok('name') ? (str('name') as string) : '';
  const groupId = str('group.id') ?? `connect-${name}`;

  if (problems.length > 0) return { problems, warnings, notes };
  const config: SinkConfig = {
    name,
    topics,
    topicsRegex,
    tasksMax: num('tasks.max'),
    connection: connection!,
    insertMode,
    batchSize: num('batch.size'),
    lingerMs: num('linger.ms'),
    deleteEnabled: bool('delete.enabled'),
    exactlyOnce: exactlyOnce ? { offsetsTable: parseOffsetsTable(str('exactly.once.offsets.table') as string) as NonNullable<ReturnType<typeof parseOffsetsTable>> } : null,
    tableNameFormat,
    pkMode,
    pkFields: pkMode === 'none' ? [] : pkFields,
    fieldsWhitelist: list('fields.whitelist'),
    dbTimezone: str('db.timezone') as string,
    autoCreate: bool('auto.create'),
    autoEvolve: bool('auto.evolve'),
    quoteIdentifiers: str('quote.sql.identifiers') as 'always' | 'never',
    maxRetries: num('max.retries'),
    retryBackoffMs: num('retry.backoff.ms'),
    shutdownGraceMs: num('task.shutdown.graceful.timeout.ms'),
    operations: { metricsPort: num('metrics.port'), metricsHost: (str('metrics.host') as string).trim(), progressIntervalMs: num('progress.interval.ms') },
    keyConverter: converters['key.converter']!,
    valueConverter: converters['value.converter']!,
    errors: {
      tolerance: str('errors.tolerance') as 'none' | 'all',
      dlqTopic: dlq === '' ? null : dlq,
      dlqContextHeaders: bool('errors.deadletterqueue.context.headers.enable'),
      dlqCompression: str('producer.override.compression.type') as SinkConfig['errors']['dlqCompression'],
      logEnable: bool('errors.log.enable'),
      logIncludeMessages: bool('errors.log.include.messages'),
    },
    kafka: { bootstrapServers, groupId, clientSettings, consumerOverrides },
  };
  return { config, problems, warnings, notes };
}

/** Every key name a misspelling may be meant for: declared, ignored-but-accepted, and the driver options. */
const KNOWN_KEYS: readonly string[] = [...CONFIG_KEYS.map((k) => k.name), ...Object.keys(IGNORED_KEYS), ...Object.keys(DRIVER_DSN_OPTIONS).map((o) => `connection.${o}`)];

function requiredMessage(def: ConfigKeyDefinition): string {
  if (def.name === 'name') return 'is required (or give the outer "name" of a {"name", "config"} file)';
  if (def.name === 'bootstrap.servers') return BOOTSTRAP_SERVERS_MISSING;
  return `is required: ${def.validator?.kind === 'custom' ? def.validator.allowed : firstSentence(def.documentation)}`;
}

function unknownConnectionKey(key: string): string {
  return (
    `is neither a key of this sink nor a databend-driver option (${Object.keys(DRIVER_DSN_OPTIONS).join(', ')}); ` +
    `it is not passed on, since Databend would take it for a session setting and refuse every login${didYouMean(key, KNOWN_KEYS)}`
  );
}

/** connection.url query parameters other than user, password, ssl, sslmode and the driver options, as messages. */
function unknownUrlParameters(url: ParsedDatabendUrl): string[] {
  return Object.keys(url.params)
    .filter((p) => p !== 'ssl' && p !== 'sslmode' && DRIVER_DSN_OPTIONS[p] === undefined)
    .map((p) => `query parameter ${JSON.stringify(p)} is not a databend-driver option (${Object.keys(DRIVER_DSN_OPTIONS).join(', ')}, ssl, sslmode)${didYouMean(p, [...Object.keys(DRIVER_DSN_OPTIONS), 'ssl', 'sslmode'])}; Databend would take it for a session setting and refuse every login`);
}

function inToleratedFamily(key: string): boolean {
  return TOLERATED_FAMILIES.some((p) => key.startsWith(p) && key.length > p.length);
}

function toleratedFamilyWarning(key: string): string {
  if (key.startsWith('ssl.')) return 'has no effect: only the ssl.* keys listed in CONFIG.md are read (Node\'s TLS defaults apply otherwise)';
  if (key.startsWith('key.converter.') || key.startsWith('value.converter.')) return 'is not a converter option this sink reads; ignored (the converters read the schema each record names)';
  if (key.startsWith('transforms.') || key.startsWith('predicates.')) return 'has no effect: single message transforms are not supported (transforms must be empty)';
  return 'has no effect in this sink; ignored';
}

function firstSentence(doc: string): string {
  const m = /^(.*?\.)(\s|$)/.exec(doc);
  return (m ? m[1] : doc).replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase());
}

/** Takes credentials out of registry URLs (`https://user:pass@host`): the URLs without them, and the first user info. */
export function splitRegistryUrls(value: string): { urls: string; userInfo?: string } {
  let userInfo: string | undefined;
  const urls = value
    .split(',')
    .map((u) => {
      const url = new URL(u.trim());
      if (url.username !== '' || url.password !== '') {
        userInfo ??= `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
        url.username = '';
        url.password = '';
      }
      return url.toString().replace(/\/$/, '');
    })
    .join(',');
  return userInfo !== undefined ? { urls, userInfo } : { urls };
}
