import { CONFIG_KEYS, CONNECTOR_CLASS, HIDDEN, configKey, displayValue, isSensitiveKey, redactUrlSecrets } from '../config/config-definitions';
import { configDefinitions } from '../config/config-projections';
import { loadConfig } from '../config/load-config';
import type { SinkConfig } from '../config/sink-config';
import { validateConfig } from '../config/validate-config';
import { textTable } from './text-table';
import { duplicateWarnings, EXIT_CONFIG_INVALID, EXIT_OK, loadFailure, summary, type CommandResult } from './validate-command';

/**
 * `databend-sink describe [--config <file>] [--json]`: without a config, every key the sink reads
 * (key, type, default, group); with one, what the sink would run with — every declared key's
 * value in force and where it comes from (set, default, computed), then the problems, warnings and
 * notes — as a table for a person. Secrets are shown as `[hidden]`.
 *
 * With `--json`: the key definitions as Kafka Connect lists them, or for a config
 * `{name, connector_class, valid: true, config, effective, warnings, notes}` (the typed config after
 * defaults and cross-key resolution: DSN, group id, converters) when it is valid, else
 * `{name, connector_class, valid: false, problems, warnings, notes}`.
 * Exit codes: 0 — valid (or no config); 2 — the file cannot be read or parsed, or the config has problems.
 * Never calls process.exit.
 */
export function describeCommand(configPath: string | undefined, options: { json?: boolean } = {}): CommandResult {
  const json = options.json === true;
  if (configPath === undefined) {
    return { stdout: json ? `${JSON.stringify(configDefinitions(), null, 2)}\n` : definitionsTable(), stderr: '', exitCode: EXIT_OK };
  }
  let loaded;
  try {
    loaded = loadConfig(configPath);
  } catch (err) {
    return loadFailure(err, json);
  }
  const { config, problems, warnings: found, notes } = validateConfig(loaded.raw, loaded.name !== undefined ? { name: loaded.name } : {});
  const warnings = [...found, ...duplicateWarnings(loaded.duplicateKeys)];
  const name = loaded.name ?? loaded.raw.name ?? null;
  const text = summary(configPath, problems, warnings, notes);
  if (!json) {
    return { stdout: config ? `${effectiveTable(loaded.raw, config)}\n${text}` : text, stderr: '', exitCode: config ? EXIT_OK : EXIT_CONFIG_INVALID };
  }
  const body = config
    ? { name, connector_class: CONNECTOR_CLASS, valid: true, config: maskedSinkConfig(config), effective: effectiveValues(loaded.raw, config), warnings, notes }
    : { name, connector_class: CONNECTOR_CLASS, valid: false, problems, warnings, notes };
  return {
    stdout: `${JSON.stringify(body, null, 2)}\n`,
    stderr: text,
    exitCode: config ? EXIT_OK : EXIT_CONFIG_INVALID,
  };
}

function definitionsTable(): string {
  const rows = CONFIG_KEYS.map((k) => [k.name, k.type, k.required ? '(required)' : (k.defaultDescription ?? (k.defaultValue === null ? '' : k.defaultValue === '' ? '""' : k.defaultValue)), k.group]);
  return `${textTable([['key', 'type', 'default', 'group'], ...rows])}\nEvery key is explained in CONFIG.md; \`describe --json\` prints these definitions as Kafka Connect lists them.\n`;
}

/** Every declared key the config sets or whose default differs from unset, with where its value comes from. */
function effectiveTable(raw: Record<string, string>, config: SinkConfig): string {
  const values = effectiveValues(raw, config);
  const rows = Object.entries(values)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => [k, v as string, raw[k] !== undefined ? 'set' : configKey(k)?.defaultValue === v ? 'default' : 'computed']);
  return textTable([['key', 'value', 'from'], ...rows]);
}

/** The typed config as it may be printed or logged: passwords, DSN credentials and user info hidden. */
export function maskedSinkConfig(config: SinkConfig): unknown {
  const maskMap = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, displayValue(k, v)]));
  const converter = (c: SinkConfig['keyConverter']) => ({
    ...c,
    ...(c.schemaRegistryUrl !== undefined ? { schemaRegistryUrl: redactUrlSecrets(c.schemaRegistryUrl) } : {}),
    ...(c.basicAuthUserInfo !== undefined ? { basicAuthUserInfo: HIDDEN } : {}),
  });
  return {
    ...config,
    topicsRegex: config.topicsRegex?.source ?? null,
    connection: {
      ...config.connection,
      dsn: redactUrlSecrets(config.connection.dsn),
      password: HIDDEN,
      params: maskMap(config.connection.params),
    },
    keyConverter: converter(config.keyConverter),
    valueConverter: converter(config.valueConverter),
    kafka: {
      ...config.kafka,
      clientSettings: maskMap(config.kafka.clientSettings),
      consumerOverrides: Object.fromEntries(Object.entries(config.kafka.consumerOverrides).map(([k, v]) => [k, isSensitiveKey(k) || isSensitiveKey(`consumer.override.${k}`) ? HIDDEN : redactUrlSecrets(v)])),
    },
  };
}

/** Every declared key with the value in force (configured, or the default), masked. */
function effectiveValues(raw: Record<string, string>, config: SinkConfig): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const def of CONFIG_KEYS) {
    const computed = def.name === 'group.id' ? config.kafka.groupId : def.name === 'connection.database' ? config.connection.database : def.name === 'name' ? config.name : undefined;
    out[def.name] = displayValue(def.name, raw[def.name] ?? computed ?? def.defaultValue);
  }
  for (const [k, v] of Object.entries(raw)) if (!(k in out)) out[k] = displayValue(k, v);
  return out;
}
