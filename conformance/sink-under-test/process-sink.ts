import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectorConfig, RunningSink, SinkUnderTest } from './sink-under-test';

/** A sink started as a child process: `<command…> run --config <file>`. */
export class ProcessSink implements SinkUnderTest {
  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async start(config: ConnectorConfig): Promise<RunningSink> {
    const file = writeConfig(config);
    const child = spawn(this.command, [...this.args, 'run', '--config', file], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
    return {
      exited,
      logs: () => output,
      stop: async (timeoutMs = 30_000) => {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        const code = await exited;
        clearTimeout(timer);
        return code;
      },
      kill: async () => {
        child.kill('SIGKILL');
        await exited;
      },
    };
  }

  validate(config: ConnectorConfig): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const file = writeConfig(config);
    return new Promise((resolve) => {
      const child = spawn(this.command, [...this.args, 'validate', '--config', file], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('exit', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
    });
  }
}

function writeConfig(config: ConnectorConfig): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-sink-'));
  const file = path.join(dir, `${config.name}.json`);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Our sink from its TypeScript sources (through tsx), for fast iteration. */
export function sourceSink(): ProcessSink {
  return new ProcessSink('source', process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'main.ts')], { ...process.env, LOG_LEVEL: 'info' });
}
