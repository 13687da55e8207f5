import * as fs from 'node:fs';

/**
 * What a sink under test declares it can do. Scenarios that need something a sink does not declare
 * are reported as "not applicable" — never run and never counted as passed.
 *
 * Vendors write this as JSON (see `databend-kafka-sink.capabilities.json` for ours).
 */
export interface SinkCapabilities {
  insertModes: ('insert' | 'upsert' | 'update')[];
  pkModes: ('record_value' | 'record_key' | 'kafka')[];
  autoCreate: boolean;
  deletes: boolean;
  evolution: ('add' | 'drop' | 'widen')[];
  converters: ('avro' | 'json-schema' | 'protobuf' | 'json-envelope' | 'json-schemaless' | 'string')[];
  deadLetterQueue: boolean;
  exactlyOnce: boolean;
  /**
   * The Databend client library the sink loads through, where it matters. protocol.current judges
   * any client by the server's record of the requests, and runs databend-driver in both its upload
   * modes (direct, presigned) and any other client (or none declared) in its own single way.
   */
  databendClient?: DatabendClient;
  /**
   * Optional: the load paths the sink speaks, each taken when the server's version selects it as
   * databend-driver 0.33 selects it (`DatabendLoadPath`); protocol.current and protocol.legacy judge
   * a sink only on a path it declares. Absent: both for `databendClient: "databend-driver"` (the
   * driver speaks both), else `current` alone.
   */
  databendLoadPaths?: DatabendLoadPath[];
  /**
   * Optional (false when absent): given `metrics.port=<port>` (and `metrics.host`), the sink answers
   * GET /healthz, /readyz, /metrics (Prometheus text) and /status (JSON) on that port while it runs
   * (`ops.observability` names the metrics and fields it reads).
   */
  observability?: boolean;
  /**
   * The config keys that turn exactly-once on, which the suite adds where a scenario asks for it
   * (`ScenarioContext.exactlyOnceConfig`); required with `exactlyOnce: true` (`{}` when always on).
   */
  exactlyOnceConfig?: Record<string, string>;
}

export type Converter = SinkCapabilities['converters'][number];
export const DATABEND_CLIENTS = ['databend-driver', 'databend-jdbc', 'other'] as const;
export type DatabendClient = (typeof DATABEND_CLIENTS)[number];

/** Facts about the run rather than the sink's features: how it is launched, where services come from. */
export interface RunFacts {
  /** The sink runs as its own OS process that the suite can SIGKILL and measure. */
  hardKill: boolean;
  /** A component archive is under test (package.archive inspects it). */
  archive: boolean;
  /** The environment can stop and restart services. */
  environmentFaults: boolean;
  /** The environment offers an authenticated Kafka listener (`Endpoints.kafkaSecured`: SASL_SSL with known users). */
  environmentAuth: boolean;
  /** The path databend-driver takes against the run's Databend, from its version (`databendLoadPath`). */
  databendLoadPath: DatabendLoadPath;
  /** The environment records the requests its Databend served (`DatabendEndpoint.requestLog`: the local front). */
  databendRequestLog: boolean;
  /**
   * The converters this run can give the sink, where the launch restricts them (the `connect`
   * adapter: Kafka's own, and Avro only through Apicurio's converter against an Apicurio registry);
   * undefined where the sink brings its own.
   */
  converters?: readonly Converter[];
  /**
   * The sink reaches Kafka with the Kafka settings of its own config (`bootstrap.servers`,
   * `security.protocol`, `sasl.*`): true for a standalone sink; false in Kafka Connect, where the
   * worker owns the Kafka clients and their errors.
   */
  kafkaClientInConfig: boolean;
  /**
   * The sink reaches the Schema Registry with the registry settings of its own config
   * (`*.converter.schema.registry.url`, `*.basic.auth.*`): true for a standalone sink; false in the
   * `connect` setup, whose Avro converter (Apicurio's) is pointed at the registry by the setup and
   * reads none of Confluent's registry keys.
   */
  registryClientInConfig: boolean;
  /** The environment offers Kafka's own Java command-line tools (`KafkaEndpoint.tools`). */
  kafkaTools: boolean;
  /**
   * What the run's Avro converter cannot carry as the schema says, each with what it does instead
   * and why (the `connect` adapter: Apicurio's AvroConverter, `APICURIO_AVRO_LIMITS`); empty where
   * the sink decodes Avro itself. A check that needs such a feature is not applicable: the outcome
   * is the converter's, decided before the sink sees the record.
   */
  avroLimits: AvroLimits;
}

/**
 * Features of an Avro schema that a converter between Kafka and the sink may not carry:
 * `fixed-decimal` a named `fixed` with logical type decimal; `timestamp-micros`, `time-micros` and
 * `local-timestamp` (millis or micros) those logical types; `optional-default` the non-null default
 * of an optional (null-union) field.
 */
export const AVRO_FEATURES = ['fixed-decimal', 'timestamp-micros', 'time-micros', 'local-timestamp', 'optional-default'] as const;
export type AvroFeature = (typeof AVRO_FEATURES)[number];

/** What a converter does with an Avro feature it cannot carry. */
export interface AvroLimit {
  /** `refused`: a record holding the feature never reaches the sink; `altered`: it arrives as something else. */
  effect: 'refused' | 'altered';
  /** What happens and who decides it, in the report's words. */
  reason: string;
}
export type AvroLimits = Partial<Record<AvroFeature, AvroLimit>>;

/**
 * How databend-driver 0.33 loads data into a server of that version: `current` above 1.2.781
 * (upload to the user stage, then `<sql> FROM @~/… FILE_FORMAT = (…)` as a query), `legacy` up to it
 * (the SQL with a stage attachment). Every Databend server released since mid-2025 is `current`.
 */
export const DATABEND_LOAD_PATHS = ['current', 'legacy'] as const;
export type DatabendLoadPath = (typeof DATABEND_LOAD_PATHS)[number];

export type Requirement =
  | `mode:${SinkCapabilities['insertModes'][number]}`
  | `pk:${SinkCapabilities['pkModes'][number]}`
  | `converter:${SinkCapabilities['converters'][number]}`
  | `evolve:${SinkCapabilities['evolution'][number]}`
  | 'auto-create'
  | 'deletes'
  | 'dlq'
  | 'exactly-once'
  | 'observability'
  | 'hard-kill'
  | 'archive'
  | 'environment-faults'
  | 'environment-auth'
  | `databend-path:${DatabendLoadPath}`
  | `speaks-path:${DatabendLoadPath}`
  | 'environment-request-log'
  | 'kafka-client-config'
  | 'registry-client-config'
  | 'kafka-tools'
  | `avro:${AvroFeature}`;

/** A requirement the run (launch mode, environment) meets or not, rather than the sink's declaration. */
export function isRunRequirement(r: Requirement): boolean {
  return r === 'hard-kill' || r === 'archive' || r === 'kafka-client-config' || r === 'registry-client-config' || r === 'kafka-tools' || r.startsWith('environment-') || r.startsWith('databend-path:') || r.startsWith('avro:');
}

/** What a scenario needs and does not get: from the sink's declaration, and from this run. */
export interface Unmet {
  sink: Requirement[];
  run: Requirement[];
}

/** The load paths a sink speaks: its declaration, else what its declared client speaks (`databendLoadPaths`). */
export function spokenLoadPaths(caps: SinkCapabilities): readonly DatabendLoadPath[] {
  return caps.databendLoadPaths ?? (caps.databendClient === 'databend-driver' ? DATABEND_LOAD_PATHS : ['current']);
}

/**
 * The requirements a sink and run do not meet (both lists empty when the scenario applies). A
 * converter the sink declares but the run cannot give it is the run's lack, not the sink's.
 */
export function unmetRequirements(requires: readonly Requirement[], caps: SinkCapabilities, facts: RunFacts): Unmet {
  const declared = new Set<string>([
    ...caps.insertModes.map((m) => `mode:${m}`),
    ...caps.pkModes.map((m) => `pk:${m}`),
    ...caps.converters.map((c) => `converter:${c}`),
    ...caps.evolution.map((e) => `evolve:${e}`),
    ...(caps.autoCreate ? ['auto-create'] : []),
    ...(caps.deletes ? ['deletes'] : []),
    ...(caps.deadLetterQueue ? ['dlq'] : []),
    ...(caps.exactlyOnce ? ['exactly-once'] : []),
    ...(caps.observability ? ['observability'] : []),
    ...(facts.hardKill ? ['hard-kill'] : []),
    ...(facts.archive ? ['archive'] : []),
    ...(facts.environmentFaults ? ['environment-faults'] : []),
    ...(facts.environmentAuth ? ['environment-auth'] : []),
    `databend-path:${facts.databendLoadPath}`,
    ...(facts.databendRequestLog ? ['environment-request-log'] : []),
    ...(facts.kafkaClientInConfig ? ['kafka-client-config'] : []),
    ...(facts.registryClientInConfig ? ['registry-client-config'] : []),
    ...(facts.kafkaTools ? ['kafka-tools'] : []),
    ...spokenLoadPaths(caps).map((p) => `speaks-path:${p}`),
    ...AVRO_FEATURES.filter((f) => facts.avroLimits[f] === undefined).map((f) => `avro:${f}`),
  ]);
  const runConverters = facts.converters === undefined ? undefined : new Set<string>(facts.converters.map((c) => `converter:${c}`));
  const unmet: Unmet = { sink: [], run: [] };
  for (const r of requires) {
    if (!declared.has(r)) (isRunRequirement(r) ? unmet.run : unmet.sink).push(r);
    else if (r.startsWith('converter:') && runConverters && !runConverters.has(r)) unmet.run.push(r);
  }
  return unmet;
}

/**
 * Why a scenario (or one of its checks) does not apply, in the report's words; undefined when it
 * does. An Avro feature the run's converter does not carry is named with the converter's reason.
 */
export function notApplicableReason(unmet: Unmet, sinkDescription: string, facts: Pick<RunFacts, 'avroLimits'>): string | undefined {
  const limitOf = (r: Requirement): AvroLimit | undefined => (r.startsWith('avro:') ? facts.avroLimits[r.slice('avro:'.length) as AvroFeature] : undefined);
  const lacking = unmet.run.filter((r) => limitOf(r) === undefined);
  const reasons = [
    ...(unmet.sink.length > 0 ? [`${sinkDescription} does not declare ${unmet.sink.join(', ')}`] : []),
    ...(lacking.length > 0 ? [`this run does not offer ${lacking.join(', ')}`] : []),
    ...unmet.run.flatMap((r) => {
      const limit = limitOf(r);
      return limit ? [`the run's Avro converter does not carry ${r}: ${limit.reason}`] : [];
    }),
  ];
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

const LISTS: Record<Exclude<keyof SinkCapabilities, 'databendClient' | 'exactlyOnceConfig'>, readonly string[] | 'boolean'> = {
  insertModes: ['insert', 'upsert', 'update'],
  pkModes: ['record_value', 'record_key', 'kafka'],
  autoCreate: 'boolean',
  deletes: 'boolean',
  evolution: ['add', 'drop', 'widen'],
  converters: ['avro', 'json-schema', 'protobuf', 'json-envelope', 'json-schemaless', 'string'],
  deadLetterQueue: 'boolean',
  exactlyOnce: 'boolean',
  observability: 'boolean',
  databendLoadPaths: DATABEND_LOAD_PATHS,
};
/** Keys of LISTS a capability file may leave out (false, or the default `SinkCapabilities` names): added after vendors wrote theirs. */
const OPTIONAL_LISTS: ReadonlySet<string> = new Set(['observability', 'databendLoadPaths']);
/** Optional keys with a value of their own kind. */
const OPTIONAL: Record<string, readonly string[] | 'config'> = { databendClient: DATABEND_CLIENTS, exactlyOnceConfig: 'config' };

/** Reads and checks a capability file; every problem is named with the file and key. */
export function loadCapabilities(file: string): SinkCapabilities {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`capability file ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseCapabilities(raw, file);
}

export function parseCapabilities(raw: unknown, source: string): SinkCapabilities {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`capability file ${source}: expected a JSON object`);
  const record = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(record)) {
    if (!(key in LISTS) && !(key in OPTIONAL) && key !== '$comment') problems.push(`unknown key "${key}" (allowed: ${[...Object.keys(LISTS), ...Object.keys(OPTIONAL)].join(', ')})`);
  }
  for (const [key, allowed] of Object.entries(OPTIONAL)) {
    if (allowed !== 'config' && key in record && !allowed.includes(record[key] as string)) problems.push(`"${key}" must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (or left out)`);
  }
  const eoConfig = record.exactlyOnceConfig;
  if (eoConfig !== undefined && (typeof eoConfig !== 'object' || eoConfig === null || Array.isArray(eoConfig) || Object.values(eoConfig).some((v) => typeof v !== 'string'))) {
    problems.push('"exactlyOnceConfig" must be an object of config keys to string values');
  } else if (record.exactlyOnce === true && eoConfig === undefined) {
    problems.push('"exactlyOnceConfig" must name the config keys that turn exactly-once on ({} if it is always on), since "exactlyOnce" is true');
  }
  for (const [key, allowed] of Object.entries(LISTS)) {
    const value = record[key];
    if (value === undefined && OPTIONAL_LISTS.has(key)) continue;
    if (allowed === 'boolean') {
      if (typeof value !== 'boolean') problems.push(`"${key}" must be true or false`);
    } else if (!Array.isArray(value) || value.some((v) => !allowed.includes(v as string))) {
      problems.push(`"${key}" must be an array of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
  }
  if (problems.length > 0) throw new Error(`capability file ${source}:\n  ${problems.join('\n  ')}`);
  return record as unknown as SinkCapabilities;
}
