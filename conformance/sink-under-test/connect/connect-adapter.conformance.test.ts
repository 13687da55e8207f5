import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ServiceStartError } from '../../environments/local/managed-process';
import { runEnvironment } from '../../jest/run-environment';
import { OWN_CAPABILITIES } from '../select-sink';
import { prepareConnectSink, probeConnectSink } from './connect-plugin';
import { connectRuntimePaths, installConnectRuntime } from './connect-runtime';
import { ConnectWorker } from './connect-worker';

/** How long the adapter may take to say what is wrong (a worker start included). */
const BOUND_MS = 150_000;

/** A sink connector that does nothing, compiled against the worker's connect-api: a plugin that loads. */
const NOOP_CONNECTOR = `package conformance.probe;
import java.util.*;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.*;
public class NoopSinkConnector extends SinkConnector {
  public void start(Map<String, String> props) {}
  public Class<? extends Task> taskClass() { return NoopTask.class; }
  public List<Map<String, String>> taskConfigs(int max) { return Collections.nCopies(max, Collections.emptyMap()); }
  public void stop() {}
  public ConfigDef config() { return new ConfigDef(); }
  public String version() { return "1.0"; }
  public static class NoopTask extends SinkTask {
    public String version() { return "1.0"; }
    public void start(Map<String, String> props) {}
    public void put(Collection<SinkRecord> records) {}
    public void stop() {}
  }
}
`;

/**
 * The `connect` adapter on bad input: a plugin that does not load, a connector class the plugin
 * does not have, a worker that does not start — each a clear error naming the plugin, the class or
 * the worker's log, in bounded time. Real workers on the run's Kafka.
 */
describe('connect adapter: bad input fails clearly and in bounded time', () => {
  const { endpoints } = runEnvironment();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'connect-adapter-'));
  const env = (plugin: string, extra: Record<string, string> = {}) => ({ CONFORMANCE_CONNECT_PLUGIN: plugin, CONFORMANCE_SINK_CAPABILITIES: OWN_CAPABILITIES, ...extra });
  const progress = () => undefined;
  jest.setTimeout(BOUND_MS + 60_000);

  beforeAll(async () => {
    await installConnectRuntime(progress);
  }, 10 * 60_000);
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('a plugin that does not load: the error names the plugin and the worker log', async () => {
    const plugin = path.join(scratch, 'broken-plugin');
    fs.mkdirSync(plugin);
    fs.writeFileSync(path.join(plugin, 'connector.jar'), 'not a jar');
    const t0 = Date.now();
    const spec = await prepareConnectSink(env(plugin), progress);
    await expect(probeConnectSink(spec, endpoints, progress)).rejects.toThrow(new RegExp(`the plugin ${plugin} did not load: the Kafka Connect worker found no connector in it\\. Its log: \\S+worker\\.log`));
    expect(Date.now() - t0).toBeLessThan(BOUND_MS);
  });

  test('a connector class the plugin does not have: the error names it and lists what the plugin has', async () => {
    const plugin = path.join(scratch, 'noop-plugin');
    const classes = path.join(scratch, 'classes');
    fs.mkdirSync(path.join(classes, 'src'), { recursive: true });
    const source = path.join(classes, 'src', 'NoopSinkConnector.java');
    fs.writeFileSync(source, NOOP_CONNECTOR);
    const libs = `${connectRuntimePaths().libsDir}${path.sep}*`;
    execFileSync('javac', ['-d', path.join(classes, 'out'), '-cp', libs, source]);
    fs.mkdirSync(plugin);
    execFileSync('jar', ['cf', path.join(plugin, 'noop.jar'), '-C', path.join(classes, 'out'), '.']);
    const t0 = Date.now();
    const spec = await prepareConnectSink(env(plugin, { CONFORMANCE_CONNECT_CLASS: 'com.example.MissingSinkConnector' }), progress);
    await expect(probeConnectSink(spec, endpoints, progress)).rejects.toThrow(
      `connector class com.example.MissingSinkConnector is not in the plugin ${plugin}; the worker found conformance.probe.NoopSinkConnector (sink)`,
    );
    expect(Date.now() - t0).toBeLessThan(BOUND_MS);
  });

  test('a worker that does not start: the error names the worker and its log, with the log\'s last lines', async () => {
    const empty = path.join(scratch, 'no-libs');
    fs.mkdirSync(empty);
    const t0 = Date.now();
    const attempt = ConnectWorker.start({
      runtime: { ...connectRuntimePaths(), libsDir: empty },
      pluginPath: [],
      kafka: endpoints.kafka,
      replicationFactor: 1,
      runDir: scratch,
      pidDir: path.join(scratch, 'pids'),
    });
    const err = await attempt.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceStartError);
    expect((err as ServiceStartError).message).toMatch(/^kafka-connect: exited during start \(exit code \d+\)\n {2}log: \S+worker\.log\n/);
    expect((err as ServiceStartError).message).toMatch(/ConnectDistributed/);
    expect(Date.now() - t0).toBeLessThan(BOUND_MS);
  });
});
