/**
 * The connector config as a Kafka Connect worker sees it, derived from the one declaration
 * (config/config-definitions.ts): the keys the plugin's ConfigDef declares, and the raw config its
 * task validates. Connect owns the rest: the Common keys (name, topics, tasks.max, transforms), the
 * converters (records reach the task already converted), error handling (errors.tolerance and the
 * dead-letter queue are the worker's) and the Kafka clients (the worker's consumer).
 */
import { CONFIG_KEYS, configKey, isSensitiveKey } from '../config/config-definitions';
import { configDefinitions, type ConfigKeyInfo } from '../config/config-projections';
import type { SinkConfig } from '../config/sink-config';
import { validateConfig, WORKER_OWNED_GROUPS } from '../config/validate-config';

const CONNECT_OWNED_GROUPS: readonly string[] = ['Common', 'Converters', 'Error Handling', 'Operations', ...WORKER_OWNED_GROUPS];

/** What the task reads of Connect's own keys: the connector's name and the topics (for table-name checks). */
const CONNECT_KEYS_READ = ['name', 'topics', 'topics.regex'] as const;

/** The format the plugin hands records over in (src/connect/record-handoff.ts): Connect's JsonConverter with schemas. */
const HANDOFF_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

/** A ConfigDef entry: Connect's definition fields plus what ConfigDef needs that its REST view does not show. */
export interface ConnectKeyDefinition extends ConfigKeyInfo {
  /** A PASSWORD key, listed as a sensitive property in the plugin manifest. */
  sensitive: boolean;
  /** Values offered for an enum key. */
  recommended_values: string[];
}

/** The keys the plugin's ConfigDef declares, in declaration order. */
export function connectConfigDefinitions(): ConnectKeyDefinition[] {
  const byName = new Map(configDefinitions().map((d) => [d.name, d]));
  const declared = CONFIG_KEYS.filter((def) => !CONNECT_OWNED_GROUPS.includes(def.group));
  const position = new Map(declared.map((def, i) => [def.name, i]));
  return declared.map((def, i) => ({
    ...(byName.get(def.name) as ConfigKeyInfo),
    // Connect's ConfigDef.validate follows dependents recursively and overflows its stack on a cycle
    // (delete.enabled ↔ pk.mode): only dependents declared after the key are kept, which makes none.
    dependents: def.dependents.filter((d) => (position.get(d) ?? -1) > i),
    sensitive: isSensitiveKey(def.name),
    recommended_values: def.validator?.kind === 'enum' ? [...def.validator.values] : def.type === 'BOOLEAN' ? ['true', 'false'] : [],
  }));
}

/**
 * The raw config the task validates (validateConfig with `inConnectWorker`) from the connector's
 * properties: the sink's own keys and `connection.*` driver options as given, Connect's name and
 * topics, the consumer group (`consumer.override.group.id`, else Connect's `connect-<name>`), and
 * the hand-off converter in place of the user's (whose work the worker already did).
 */
export function taskRawConfig(props: Readonly<Record<string, string>>): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) {
    const def = configKey(key);
    const ours = def ? !CONNECT_OWNED_GROUPS.includes(def.group) : key.startsWith('connection.');
    if (ours || (CONNECT_KEYS_READ as readonly string[]).includes(key)) raw[key] = value;
  }
  // The group the worker's consumer joins (Connect's `connect-<name>` unless overridden): the
  // exactly-once offsets are kept under it.
  const group = props['consumer.override.group.id'];
  if (group !== undefined) raw['group.id'] = group;
  for (const side of ['key', 'value']) {
    raw[`${side}.converter`] = HANDOFF_CONVERTER;
    raw[`${side}.converter.schemas.enable`] = 'true';
  }
  return raw;
}

/**
 * The task's config from the connector's properties, or the problems, each naming its key: the
 * sink's validation (exactly.once.enabled only with insert.mode=insert and without deletes, as
 * for the standalone sink).
 */
export function validateTaskConfig(props: Readonly<Record<string, string>>): { config?: SinkConfig; problems: { key: string; message: string }[] } {
  const { config, problems } = validateConfig(taskRawConfig(props), { inConnectWorker: true });
  return config ? { config, problems: [] } : { problems: problems.map(({ key, message }) => ({ key, message })) };
}
