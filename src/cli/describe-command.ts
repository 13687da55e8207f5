import { CONFIG_KEYS, CONNECTOR_CLASS, HIDDEN, displayValue, isSensitiveKey, redactUrlSecrets } from '../config/config-definitions';
import { loadConfig } from '../config/load-config';
import type { SinkConfig } from '../config/sink-config';
import { validateConfig } from '../config/validate-config';
import { duplicateWarnings, EXIT_CONFIG_INVALID, EXIT_OK, loadFailure, summary, type CommandResult } from './validate-command';

/**
 * `databend-sink describe --config <file>`: what the sink would run with — the typed config after
 * defaults and cross-key resolution (DSN, group id, table database, converters), and every
 * declared key's effective value — with secrets shown as `[hidden]`.
 *
 * stdout: `{name, connector_class, valid: true, config, effective, warnings}` when the config is
 * valid, else `{name, connector_class, valid: false, problems, warnings}`.
 * Exit codes: 0 — valid; 2 — the file cannot be read or parsed, or the config has problems.
 * Never calls process.exit.
 */
export function describeCommand(configPath: string): CommandResult {
  let loaded;
  try {
    loaded = loadConfig(configPath);
  } catch (err) {
    return loadFailure(err);
  }
  const { config, problems, warnings: found } = validateConfig(loaded.raw, loaded.name !== undefined ? { name: loaded.name } : {});
  const warnings = [...found, ...duplicateWarnings(loaded.duplicateKeys)];
  const name = loaded.name ?? loaded.raw.name ?? null;
  const body = config
    ? { name, connector_class: CONNECTOR_CLASS, valid: true, config: maskedSinkConfig(config), effective: effectiveValues(loaded.raw, config), warnings }
    : { name, connector_class: CONNECTOR_CLASS, valid: false, problems, warnings };
  return {
    stdout: `${JSON.stringify(body, null, 2)}\n`,
    stderr: summary(configPath, problems, warnings),
    exitCode: config ? EXIT_OK : EXIT_CONFIG_INVALID,
  };
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
