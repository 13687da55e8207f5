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

/** Facts about the run rather than the sink's features: how it is launched, where services come from. */
export interface RunFacts {
  /** The sink runs as its own OS process that the suite can SIGKILL and measure. */
  hardKill: boolean;
  /** A component archive is under test (package.archive inspects it). */
  archive: boolean;
  /** The environment can stop and restart services. */
  environmentFaults: boolean;
  /** The environment offers an authenticated Kafka listener and Schema Registry (`Endpoints.kafkaSecured`: SASL_SSL with known users; `Endpoints.schemaRegistrySecured`: basic auth). */
  environmentAuth: boolean;
  /** The path databend-driver takes against the run's Databend, from its version (`databendLoadPath`). */
  databendLoadPath: DatabendLoadPath;
  /** The environment records the requests its Databend served (`DatabendEndpoint.requestLog`: the local front). */
  databendRequestLog: boolean;
  /** The environment offers Kafka's own Java command-line tools (`KafkaEndpoint.tools`). */
  kafkaTools: boolean;
}

/**
 * How databend-driver 0.33 loads data into a server of that version: `current` above 1.2.781
 * (upload to the user stage, then `<sql> FROM @~/… FILE_FORMAT = (…)` as a query), `legacy` up to it
 * (the SQL with a stage attachment). Every Databend server released since mid-2025 is `current`.
 */
export type DatabendLoadPath = 'current' | 'legacy';

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
  | 'environment-request-log'
  | 'kafka-tools';

/** A requirement the run (launch mode, environment) meets or not, rather than the sink's declaration. */
export function isRunRequirement(r: Requirement): boolean {
  return r === 'hard-kill' || r === 'archive' || r.startsWith('environment-') || r.startsWith('databend-path:') || r === 'kafka-tools';
}

/** The requirements a sink and run do not meet; empty when the scenario applies. */
export function unmetRequirements(requires: readonly Requirement[], caps: SinkCapabilities, facts: RunFacts): Requirement[] {
  const offered = new Set<string>([
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
    ...(facts.kafkaTools ? ['kafka-tools'] : []),
  ]);
  return requires.filter((r) => !offered.has(r));
}

const LISTS: Record<Exclude<keyof SinkCapabilities, 'exactlyOnceConfig'>, readonly string[] | 'boolean'> = {
  insertModes: ['insert', 'upsert', 'update'],
  pkModes: ['record_value', 'record_key', 'kafka'],
  autoCreate: 'boolean',
  deletes: 'boolean',
  evolution: ['add', 'drop', 'widen'],
  converters: ['avro', 'json-schema', 'protobuf', 'json-envelope', 'json-schemaless', 'string'],
  deadLetterQueue: 'boolean',
  exactlyOnce: 'boolean',
  observability: 'boolean',
};

/** Keys a capability file may leave out (false): added after vendors wrote theirs. */
const OPTIONAL: ReadonlySet<keyof SinkCapabilities> = new Set(['observability']);

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
    if (!(key in LISTS) && key !== '$comment' && key !== 'exactlyOnceConfig') problems.push(`unknown key "${key}" (allowed: ${[...Object.keys(LISTS), 'exactlyOnceConfig'].join(', ')})`);
  }
  const eoConfig = record.exactlyOnceConfig;
  if (eoConfig !== undefined && (typeof eoConfig !== 'object' || eoConfig === null || Array.isArray(eoConfig) || Object.values(eoConfig).some((v) => typeof v !== 'string'))) {
    problems.push('"exactlyOnceConfig" must be an object of config keys to string values');
  } else if (record.exactlyOnce === true && eoConfig === undefined) {
    problems.push('"exactlyOnceConfig" must name the config keys that turn exactly-once on ({} if it is always on), since "exactlyOnce" is true');
  }
  for (const [key, allowed] of Object.entries(LISTS)) {
    const value = record[key];
    if (value === undefined && OPTIONAL.has(key as keyof SinkCapabilities)) continue;
    if (allowed === 'boolean') {
      if (typeof value !== 'boolean') problems.push(`"${key}" must be true or false`);
    } else if (!Array.isArray(value) || value.some((v) => !allowed.includes(v as string))) {
      problems.push(`"${key}" must be an array of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
  }
  if (problems.length > 0) throw new Error(`capability file ${source}:\n  ${problems.join('\n  ')}`);
  return record as unknown as SinkCapabilities;
}
