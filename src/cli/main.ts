#!/usr/bin/env node
import { configDefinitions } from '../config/config-projections';
import pino from 'pino';
import { sinkVersion } from '../version';
import { describeCommand } from './describe-command';
import { EXIT_CODES, exitCodeFor, runCommand } from './run-command';
import { validateCommand, type CommandResult } from './validate-command';
import { verifyArchiveCommand } from './verify-archive-command';

const USAGE = `databend-sink — stream Kafka topics into Databend

Usage:
  databend-sink run --config <file>        run the sink (JSON, {"name","config"} JSON, or .properties)
  databend-sink validate --config <file>   check a config; prints Kafka Connect's validate JSON
  databend-sink describe [--config <file>] the config key definitions, or a config's effective values
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

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at >= 0) return args[at + 1];
  const inline = args.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
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
  const configPath = option(rest, '--config');
  if (command === 'describe' && configPath === undefined) {
    process.stdout.write(`${JSON.stringify(configDefinitions(), null, 2)}\n`);
    return EXIT_CODES.ok;
  }
  if (command === 'verify-archive') {
    const zipPath = rest.find((a) => !a.startsWith('-'));
    if (zipPath === undefined) {
      process.stderr.write('verify-archive needs <zip>\n');
      return EXIT_CODES.configInvalid;
    }
    return print(await verifyArchiveCommand(zipPath));
  }
  if (!['run', 'validate', 'describe'].includes(command)) {
    process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
    return EXIT_CODES.configInvalid;
  }
  if (configPath === undefined) {
    process.stderr.write(`${command} needs --config <file>\n`);
    return EXIT_CODES.configInvalid;
  }
  if (command === 'validate') return print(validateCommand(configPath));
  if (command === 'describe') return print(describeCommand(configPath));

  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort('SIGTERM'));
  process.once('SIGINT', () => stop.abort('SIGINT'));
  return runCommand(configPath, stop.signal, { log: pino.destination(1), stderr: (text) => process.stderr.write(text) });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`databend-sink: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(exitCodeFor(err));
  },
);
