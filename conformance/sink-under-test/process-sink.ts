import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SinkCapabilities } from './capabilities';
import type { ConnectorConfig, RunningSink, SinkKind, SinkUnderTest } from './sink-under-test';

export interface ProcessSinkOptions {
  kind: SinkKind;
  description: string;
  capabilities: SinkCapabilities;
  /** The program and its arguments; `{config}` is replaced by the config file's path, else the path is appended. */
  command: string[];
  configFormat: 'json' | 'properties';
  /** Keys added to every config a scenario does not set (`SinkSpec.configDefaults`). */
  configDefaults?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

/** A sink started as a child process with a config file path. */
export class ProcessSink implements SinkUnderTest {
  readonly isProcess = true;
  readonly kind: SinkKind;
  readonly description: string;
  readonly capabilities: SinkCapabilities;

  constructor(private readonly options: ProcessSinkOptions) {
    this.kind = options.kind;
    this.description = options.description;
    this.capabilities = options.capabilities;
  }

  start(config: ConnectorConfig): Promise<RunningSink> {
    const file = writeConfigFile(withDefaults(config, this.options.configDefaults), this.options.configFormat);
    const [program, ...args] = substituteConfig(this.options.command, file);
    return Promise.resolve(spawnSink(program, args, { env: this.options.env ?? process.env }));
  }
}

/**
 * Starts a sink process in a process group of its own, so that a hard kill also reaches anything a
 * vendor's launcher forks, and keeps everything it writes. The benchmark starts its sinks this way too.
 */
export function spawnSink(program: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): RunningSink {
  const child = spawn(program, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number>((resolve) => {
    child.once('error', (err) => {
      output += `\n[conformance] cannot start ${program}: ${err.message}\n`;
      resolve(127);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  return {
    exited,
    pid: child.pid,
    logs: () => output,
    // A process has one output: whatever it says about a failure is in it.
    failureOutput: () => output,
    stop: async (timeoutMs = 30_000) => {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill: async () => {
      signalGroup('SIGKILL');
      await exited;
    },
  };
}

/** The config with `defaults` under the keys it does not set. */
export function withDefaults(config: ConnectorConfig, defaults: Record<string, string> = {}): ConnectorConfig {
  return { name: config.name, config: { ...defaults, ...config.config } };
}

function substituteConfig(command: string[], file: string): string[] {
  return command.some((part) => part.includes('{config}')) ? command.map((part) => part.replaceAll('{config}', file)) : [...command, file];
}

/** Writes the config where the sink can read it; `.properties` for sinks that only take that form. */
export function writeConfigFile(config: ConnectorConfig, format: 'json' | 'properties'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-sink-'));
  if (format === 'json') {
    const file = path.join(dir, `${safeFileName(config.name)}.json`);
    fs.writeFileSync(file, JSON.stringify(config, null, 2));
    return file;
  }
  const file = path.join(dir, `${safeFileName(config.name)}.properties`);
  const lines = Object.entries({ name: config.name, ...config.config }).map(([k, v]) => `${escapeProperty(k, true)}=${escapeProperty(v, false)}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

function escapeProperty(text: string, isKey: boolean): string {
  let out = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  out = isKey ? out.replace(/([=: #!])/g, '\\$1') : out.replace(/^([ #!])/, '\\$1');
  return out.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
