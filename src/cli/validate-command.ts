import { CONNECTOR_CLASS } from '../config/config-definitions';
import { validateResponse } from '../config/config-projections';
import { loadConfig } from '../config/load-config';
import type { ConfigProblem } from '../config/validate-config';
import { SinkError } from '../errors';

/** What a CLI command produces; main.ts prints it and exits with `exitCode`. */
export interface CommandResult {
  /** JSON text (ends with a newline). */
  stdout: string;
  /** Human-readable lines for a terminal: problems and warnings (never a sensitive value). */
  stderr: string;
  exitCode: number;
}

export const EXIT_OK = 0;
/** The config file cannot be read or parsed, or the config has at least one problem. */
export const EXIT_CONFIG_INVALID = 2;

/**
 * `databend-sink validate --config <file>`: prints Kafka Connect's validate response
 * (`{name, error_count, groups, configs:[{definition, value:{name, value, recommended_values, errors, visible}}]}`,
 * `name` being the connector class as Connect reports it) plus a `warnings` array, sensitive
 * values shown as `[hidden]`.
 *
 * Exit codes: 0 — the config is valid (warnings allowed); 2 — the file cannot be read or parsed
 * (stdout is then `{"error_code": "CONFIG_INVALID", "message": …}`) or `error_count > 0`.
 * Never calls process.exit and never throws for a bad config.
 */
export function validateCommand(configPath: string): CommandResult {
  let loaded;
  try {
    loaded = loadConfig(configPath);
  } catch (err) {
    return loadFailure(err);
  }
  const response = validateResponse(loaded.raw, loaded.name !== undefined ? { name: loaded.name } : {});
  const warnings = [...response.warnings, ...duplicateWarnings(loaded.duplicateKeys)];
  const body = { ...response, warnings };
  const problems = response.configs.flatMap((c) => c.value.errors.map((message) => ({ key: c.value.name, value: c.value.value, message })));
  return {
    stdout: `${JSON.stringify(body, null, 2)}\n`,
    stderr: summary(configPath, problems, warnings),
    exitCode: response.error_count > 0 ? EXIT_CONFIG_INVALID : EXIT_OK,
  };
}

/** The result for a file that cannot be read or parsed (shared with the describe command). */
export function loadFailure(err: unknown): CommandResult {
  if (!(err instanceof SinkError) || err.code !== 'CONFIG_INVALID') throw err;
  return {
    stdout: `${JSON.stringify({ name: CONNECTOR_CLASS, error_code: err.code, message: err.message }, null, 2)}\n`,
    stderr: `error: ${err.message}\n`,
    exitCode: EXIT_CONFIG_INVALID,
  };
}

export function duplicateWarnings(keys: readonly string[]): ConfigProblem[] {
  return keys.map((key) => ({ key, value: null, message: 'is given more than once in the .properties file; the last value is used' }));
}

/** One line per problem and warning: `error: <key>=<shown value>: <message>`. */
export function summary(file: string, problems: readonly ConfigProblem[], warnings: readonly ConfigProblem[]): string {
  const line = (kind: string, p: ConfigProblem) => `${kind}: ${p.key}${p.value !== null ? `=${p.value}` : ''}: ${p.message}\n`;
  const head = problems.length > 0 ? `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` : `${file}: valid\n`;
  return head + problems.map((p) => line('error', p)).join('') + warnings.map((w) => line('warning', w)).join('');
}
