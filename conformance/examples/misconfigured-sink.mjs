#!/usr/bin/env node
// A "vendor command" that runs a real sink with a deliberately wrong config, to show that the
// conformance suite catches a misbehaving sink (the README's "the suite can fail" runs):
//
//   CONFORMANCE_SINK=command CONFORMANCE_SINK_CAPABILITIES=conformance/sink-under-test/databend-kafka-sink.capabilities.json \
//   CONFORMANCE_SINK_CMD='node conformance/examples/misconfigured-sink.mjs --set insert.mode=insert -- <sink command> run --config' \
//   npx jest --selectProjects conformance conformance/scenarios/upsert.value-key.conformance.test.ts
//
// Options before `--`: `--set key=value` and `--unset key` rewrite the connector config; after `--`
// comes the sink's command, to which the rewritten config's path is appended.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const args = process.argv.slice(2);
const split = args.indexOf('--');
if (split < 0 || split === args.length - 2) {
  process.stderr.write('usage: misconfigured-sink.mjs [--set k=v] [--unset k] -- <sink command…> <config file>\n');
  process.exit(2);
}
const options = args.slice(0, split);
const command = args.slice(split + 1, -1);
const configFile = args[args.length - 1];

const doc = JSON.parse(fs.readFileSync(configFile, 'utf8'));
const config = doc.config ?? doc;
for (let i = 0; i < options.length; i += 2) {
  const [flag, value] = [options[i], options[i + 1]];
  if (flag === '--set') {
    const eq = value.indexOf('=');
    config[value.slice(0, eq)] = value.slice(eq + 1);
  } else if (flag === '--unset') delete config[value];
  else {
    process.stderr.write(`unknown option ${flag}\n`);
    process.exit(2);
  }
}
const rewritten = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'misconfigured-')), path.basename(configFile));
fs.writeFileSync(rewritten, JSON.stringify(doc, null, 2));

const child = spawn(command[0], [...command.slice(1), rewritten], { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + os.constants.signals[signal] : 1)));
