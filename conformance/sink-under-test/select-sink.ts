import * as path from 'node:path';
import { sinkVersion } from '../../src/version';
import { runEnvironment } from '../jest/run-environment';
import { loadCapabilities } from './capabilities';
import { ConnectSink, type ConnectSpec } from './connect/connect-sink';
import { InProcessSink } from './inprocess-sink';
import { ProcessSink } from './process-sink';
import type { SinkKind, SinkUnderTest } from './sink-under-test';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const OWN_CAPABILITIES = path.join(__dirname, 'databend-kafka-sink.capabilities.json');

/**
 * How to launch the sink under test, decided once per run (jest global setup) and handed to the
 * test workers through one environment variable.
 */
export interface SinkSpec {
  kind: SinkKind;
  description: string;
  version: string;
  capabilitiesFile: string;
  /** For process kinds: the program and its arguments, `{config}` standing for the config file. */
  command?: string[];
  configFormat: 'json' | 'properties';
  /** For `archive` (and `connect` with a zip): the component archive under test and the folder it was unpacked into. */
  archive?: { zip: string; folder: string };
  /** For `connect`: the plugin, the worker runtime and what the setup offers. */
  connect?: ConnectSpec;
  /**
   * Keys the adapter adds to every config unless a scenario sets them: settings of our own sink
   * that make the suite faster (`linger.ms`), never sent to another sink.
   */
  configDefaults?: Record<string, string>;
}

export const SINK_SPEC_VARIABLE = 'CONFORMANCE_SINK_SPEC';

export const SINK_KINDS: readonly SinkKind[] = ['archive', 'inprocess', 'source', 'command', 'connect'];

/** Our sink waits at most this long for a Kafka fetch to fill a batch (its default is 1 s): scenarios produce little. */
export const OWN_SINK_DEFAULTS: Record<string, string> = { 'linger.ms': '100' };

/** `CONFORMANCE_SINK` (default `archive`), checked with every problem named. */
export function selectedSinkKind(env: NodeJS.ProcessEnv = process.env): SinkKind {
  const kind = (env.CONFORMANCE_SINK ?? 'archive') as SinkKind;
  if (!SINK_KINDS.includes(kind)) throw new Error(`CONFORMANCE_SINK="${env.CONFORMANCE_SINK}": allowed values are ${SINK_KINDS.join(', ')}`);
  return kind;
}

/** The spec for the kinds that need no preparation; `archive` and `connect` are prepared by `prepareArchiveSink` and `prepareConnectSink`. */
export function plainSinkSpec(kind: Exclude<SinkKind, 'archive' | 'connect'>, env: NodeJS.ProcessEnv = process.env): SinkSpec {
  switch (kind) {
    case 'inprocess':
      return {
        kind,
        description: 'databend-kafka-sink from src/, in the test process',
        version: sinkVersion(),
        capabilitiesFile: OWN_CAPABILITIES,
        configFormat: 'json',
        configDefaults: OWN_SINK_DEFAULTS,
      };
    case 'source':
      return {
        kind,
        description: 'databend-kafka-sink from src/ (node --import tsx src/cli/main.ts)',
        version: sinkVersion(),
        capabilitiesFile: OWN_CAPABILITIES,
        command: [process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'run', '--config', '{config}'],
        configFormat: 'json',
        configDefaults: OWN_SINK_DEFAULTS,
      };
    case 'command': {
      const missing = ['CONFORMANCE_SINK_CMD', 'CONFORMANCE_SINK_CAPABILITIES'].filter((v) => !env[v]);
      if (missing.length > 0) throw new Error(`CONFORMANCE_SINK=command needs ${missing.join(' and ')} (see the README's vendor guide)`);
      const format = env.CONFORMANCE_SINK_CONFIG_FORMAT ?? 'json';
      if (format !== 'json' && format !== 'properties') throw new Error(`CONFORMANCE_SINK_CONFIG_FORMAT="${format}": allowed values are json, properties`);
      const template = env.CONFORMANCE_SINK_CMD as string;
      // The path travels as a positional argument of sh, never pasted into the command text.
      const script = template.includes('{config}') ? template.replaceAll('{config}', '"$1"') : `${template} "$1"`;
      const capabilitiesFile = path.resolve(env.CONFORMANCE_SINK_CAPABILITIES as string);
      loadCapabilities(capabilitiesFile);
      return {
        kind,
        description: `command: ${template}`,
        version: env.CONFORMANCE_SINK_VERSION ?? 'not declared (CONFORMANCE_SINK_VERSION)',
        capabilitiesFile,
        command: ['/bin/sh', '-c', script, 'conformance-sink', '{config}'],
        configFormat: format,
      };
    }
  }
}

/** Builds the adapter a test worker uses, from the spec the global setup chose. */
export function sinkUnderTest(spec: SinkSpec = sinkSpec()): SinkUnderTest {
  const capabilities = loadCapabilities(spec.capabilitiesFile);
  if (spec.kind === 'connect') {
    if (!spec.connect) throw new Error('sink spec of kind connect has no plugin');
    return new ConnectSink(spec.connect, capabilities, spec.description, runEnvironment());
  }
  if (spec.kind === 'inprocess') return new InProcessSink(capabilities, spec.configDefaults);
  if (!spec.command) throw new Error(`sink spec of kind ${spec.kind} has no command`);
  return new ProcessSink({ kind: spec.kind, description: spec.description, capabilities, command: spec.command, configFormat: spec.configFormat, configDefaults: spec.configDefaults });
}

export function sinkSpec(): SinkSpec {
  const raw = process.env[SINK_SPEC_VARIABLE];
  if (!raw) throw new Error(`${SINK_SPEC_VARIABLE} is not set: run the conformance suite through jest's conformance project`);
  return JSON.parse(raw) as SinkSpec;
}
