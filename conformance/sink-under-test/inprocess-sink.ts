import { Writable } from 'node:stream';
import { runCommand } from '../../src/cli/run-command';
import type { SinkCapabilities } from './capabilities';
import { withDefaults, writeConfigFile } from './process-sink';
import type { ConnectorConfig, RunningSink, SinkUnderTest } from './sink-under-test';

/**
 * Our sink as a library inside the test process: the fastest way to iterate. It cannot be
 * SIGKILLed or measured on its own, so crash and load scenarios are not applicable here.
 */
export class InProcessSink implements SinkUnderTest {
  readonly kind = 'inprocess';
  readonly description = 'databend-kafka-sink from src/, in the test process';
  readonly isProcess = false;

  constructor(
    readonly capabilities: SinkCapabilities,
    private readonly configDefaults: Record<string, string> = {},
  ) {}

  start(config: ConnectorConfig): Promise<RunningSink> {
    let output = '';
    const log = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const stop = new AbortController();
    const exited = runCommand(writeConfigFile(withDefaults(config, this.configDefaults), 'json'), stop.signal, { log, stderr: (text) => (output += text) });
    return Promise.resolve({
      exited,
      logs: () => output,
      failureOutput: () => output,
      stop: () => {
        stop.abort('stop');
        return exited;
      },
      kill: () => Promise.reject(new Error('an in-process sink cannot be killed; scenarios that need it require the hard-kill capability')),
    });
  }
}
