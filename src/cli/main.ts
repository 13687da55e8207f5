#!/usr/bin/env node
import { parseArgs, type ParseArgsConfig } from 'node:util';
import pino from 'pino';
import { didYouMean } from '../config/key-suggestions';
import { sinkVersion } from '../version';
import { describeCommand } from './describe-command';
import { EXIT_CODES, exitCodeFor, runCommand } from './run-command';
import { validateCommand, type CommandResult } from './validate-command';
import { verifyArchiveCommand } from './verify-archive-command';

const USAGE = `databend-sink — stream Kafka topics into Databend

Usage:
  databend-sink run --config <file> [--metrics-port <port>]
                                           run the sink (JSON, {"name","config"} JSON, or .properties);
                                           --metrics-port serves /healthz, /readyz, /metrics, /status
  databend-sink validate --config <file> [--json]
                                           check a config: a summary, or Kafka Connect's validate JSON
  databend-sink describe [--config <file>] [--json]
                                           the config keys, or a config's values in force, as a
                                           table (or JSON)
  databend-sink verify-archive <zip>       check a Confluent Hub component archive (ours or a vendor's):
                                           layout, manifest, hostile entries; every finding listed
  databend-sink --version | --help

Exit codes:
  0  ok (run: stopped by SIGTERM/SIGINT after committing)
  1  unexpected failure
  2  invalid config (every problem is listed); verify-archive: the archive has errors
  3  a record or table could not be written (errors.tolerance=none, auto.create=false, …);
     offsets stay before the record
  4  Kafka, Databend or the Schema Registry stayed unavailable after the configured retries
`;

function print(result: CommandResult): number {
  process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  return result.exitCode;
}

/** Options each command takes (node:util parseArgs, strict: an unknown option is an error). */
const COMMANDS = {
  run: { options: { config: { type: 'string' }, 'metrics-port': { type: 'string' } }, positionals: 0 },
  validate: { options: { config: { type: 'string' }, json: { type: 'boolean' } }, positionals: 0 },
  describe: { options: { config: { type: 'string' }, json: { type: 'boolean' } }, positionals: 0 },
  'verify-archive': { options: {}, positionals: 1 },
} as const satisfies Record<string, { options: ParseArgsConfig['options']; positionals: number }>;
type Command = keyof typeof COMMANDS;

/** A usage mistake: the message (with "did you mean" where one is close), exit code 2. */
function usageError(message: string): number {
  process.stderr.write(`databend-sink: ${message}\nRun databend-sink --help for the usage.\n`);
  return EXIT_CODES.configInvalid;
}

type Parsed = { values: { config?: string; json?: boolean; 'metrics-port'?: string }; positionals: string[] };

function parseCommandArgs(command: Command, args: string[]): Parsed | string {
  const spec = COMMANDS[command];
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args, options: spec.options, allowPositionals: true, strict: true }) as Parsed;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const known = Object.keys(spec.options).map((o) => `--${o}`);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec((err as Error).message)?.[1] ?? '';
      const name = option.split('=')[0];
      return `${command}: unknown option ${name}${didYouMean(name, known) || (known.length > 0 ? `; ${command} takes ${known.join(', ')}` : `; ${command} takes no options`)}`;
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${command}: ${(err as Error).message.replace(/^Option '([^']+)'.*argument missing.*$/s, '$1 needs a value')}`;
    throw err;
  }
  if (parsed.positionals.length > spec.positionals) {
    return `${command}: unexpected argument ${JSON.stringify(parsed.positionals[spec.positionals])}${spec.positionals === 0 ? ' (give the config file as --config <file>)' : ''}`;
  }
  return parsed;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`${sinkVersion()}\n`);
    return EXIT_CODES.ok;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? EXIT_CODES.configInvalid : EXIT_CODES.ok;
  }
  if (!(command in COMMANDS)) {
    return usageError(`unknown command ${JSON.stringify(command)}${didYouMean(command, [...Object.keys(COMMANDS), 'help', 'version'])}`);
  }
  const parsed = parseCommandArgs(command as Command, rest);
  if (typeof parsed === 'string') return usageError(parsed);
  const { values, positionals } = parsed;
  const json = values.json === true;
  switch (command as Command) {
    case 'verify-archive':
      if (positionals[0] === undefined) return usageError('verify-archive needs <zip>');
      return print(await verifyArchiveCommand(positionals[0]));
    case 'describe':
      return print(describeCommand(values.config, { json }));
    case 'validate':
      if (values.config === undefined) return usageError('validate needs --config <file>');
      return print(validateCommand(values.config, { json }));
    case 'run': {
      if (values.config === undefined) return usageError('run needs --config <file>');
      const metricsPort = values['metrics-port'];
      if (metricsPort !== undefined && !/^\d{1,5}$/.test(metricsPort)) return usageError(`run: --metrics-port must be a port number (0–65535), not ${JSON.stringify(metricsPort)}`);
      const stop = new AbortController();
      process.once('SIGTERM', () => stop.abort('SIGTERM'));
      process.once('SIGINT', () => stop.abort('SIGINT'));
      return runCommand(values.config, stop.signal, { log: pino.destination(1), stderr: (text) => process.stderr.write(text) }, metricsPort === undefined ? {} : { metricsPort: Number(metricsPort) });
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`databend-sink: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(exitCodeFor(err));
  },
);
