import { CONNECTOR_CLASS } from '../config/config-definitions';
import { validateResponse } from '../config/config-projections';
import { loadConfig } from '../config/load-config';
import { validateConfig, type ConfigProblem } from '../config/validate-config';
import { SinkError } from '../errors';

/** What a CLI command produces; main.ts prints it and exits with `exitCode`. */
export interface CommandResult {
  /** What the command answers: text for a person, or JSON with --json (ends with a newline). */
  stdout: string;
  /** Human-readable lines for a terminal: problems and warnings (never a sensitive value). */
  stderr: string;
  exitCode: number;
}

export const EXIT_OK = 0;
/** The config file cannot be read or parsed, or the config has at least one problem. */
export const EXIT_CONFIG_INVALID = 2;

/**
 * `databend-sink validate --config <file> [--json]`. By default a short summary for a person on
 * stdout: `<file>: valid` or `<file>: N problems`, then one line per problem, warning and note
 * (the same lines `run` prints or logs for the same config). With `--json`, Kafka Connect's
 * validate response on stdout (`{name, error_count, groups, configs:[{definition, value:{name,
 * value, recommended_values, errors, visible}}]}`, `name` being the connector class as Connect
 * reports it) plus `warnings` and `notes` arrays, and the summary on stderr. Sensitive values are
 * shown as `[hidden]`.
 *
 * Exit codes: 0 — the config is valid (warnings allowed); 2 — the file cannot be read or parsed
 * (with `--json`, stdout is then `{"error_code": "CONFIG_INVALID", "message": …}`) or it has problems.
 * Never calls process.exit and never throws for a bad config.
 */
export function validateCommand(configPath: string, options: { json?: boolean } = {}): CommandResult {
  let loaded;
  try {
    loaded = loadConfig(configPath);
  } catch (err) {
    return loadFailure(err, options.json === true);
  }
  const validateOptions = loaded.name !== undefined ? { name: loaded.name } : {};
  const response = validateResponse(loaded.raw, validateOptions);
  const warnings = [...response.warnings, ...duplicateWarnings(loaded.duplicateKeys)];
  const body = { ...response, warnings };
  // The summary lists the problems in the order `run` does, from the same validation.
  const text = summary(configPath, validateConfig(loaded.raw, validateOptions).problems, warnings, response.notes);
  return {
    stdout: options.json ? `${JSON.stringify(body, null, 2)}\n` : text,
    stderr: options.json ? text : '',
    exitCode: response.error_count > 0 ? EXIT_CONFIG_INVALID : EXIT_OK,
  };
}

/** The result for a file that cannot be read or parsed (shared with the describe command). */
export function loadFailure(err: unknown, json: boolean): CommandResult {
  if (!(err instanceof SinkError) || err.code !== 'CONFIG_INVALID') throw err;
  const line = `error: ${err.message}\n`;
  return {
    stdout: json ? `${JSON.stringify({ name: CONNECTOR_CLASS, error_code: err.code, message: err.message }, null, 2)}\n` : '',
    stderr: line,
    exitCode: EXIT_CONFIG_INVALID,
  };
}

export function duplicateWarnings(keys: readonly string[]): ConfigProblem[] {
  return keys.map((key) => ({ key, value: null, message: 'is given more than once in the .properties file; the last value is used' }));
}

/** How one problem, warning or note reads, wherever it is shown: `<key>[=<shown value>]: <message>`. */
export function problemLine(p: ConfigProblem): string {
  return `${p.key}${p.value !== null ? `=${p.value}` : ''}: ${p.message}`;
}

/** The summary: `<file>: valid` or `<file>: N problems`, then `error: …`, `warning: …` and `note: …` lines. */
export function summary(file: string, problems: readonly ConfigProblem[], warnings: readonly ConfigProblem[], notes: readonly ConfigProblem[] = []): string {
  const line = (kind: string, p: ConfigProblem) => `${kind}: ${problemLine(p)}\n`;
  const head = problems.length > 0 ? `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` : `${file}: valid\n`;
  return head + problems.map((p) => line('error', p)).join('') + warnings.map((w) => line('warning', w)).join('') + notes.map((n) => line('note', n)).join('');
}
