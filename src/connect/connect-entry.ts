/**
 * The Kafka Connect plugin's JavaScript side: bundled into the plugin's jar and run by the Java
 * task in GraalJS (connect-plugin/). It exposes `globalThis.databendSink`:
 *
 * - `configDefinitions()`: the ConfigDef's keys (connect-config.ts), read at build time into a JSON
 *   resource, so that the Java side declares exactly what config-definitions.ts declares;
 * - `validate(props)`: the sink's validation of the connector's properties;
 * - `createWriter(props, host, log)`: our Databend writer over the host's session (connect-writer.ts):
 *   `writeNow(batch, …)` takes one hand-off text (record-handoff.ts) and answers the records
 *   refused, by index, and under exactly-once the offsets stored in Databend; `storedOffsetsNow`
 *   the offsets Databend holds for partitions that opened; `rowProgram(keySchema, valueSchema)`
 *   tells the Java side how to encode rows itself (row-programs.ts).
 *
 * Everything crosses the boundary as strings (JSON): one call per batch, not per record.
 */
import './graal-shims';
import './graal-url-shim';
import { databendWriterOptions, exactlyOnceOptions, type SinkConfig } from '../config/sink-config';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../databend/connection-options';
import { DatabendWriter } from '../databend/write/databend-writer';
import { EXACTLY_ONCE_SESSION_SETTINGS, ExactlyOnceWriter } from '../databend/write/exactly-once-writer';
import { createForwardingLogger } from '../logging/logger';
import { connectConfigDefinitions, validateTaskConfig } from './connect-config';
import { ConnectWriter } from './connect-writer';
import { type DatabendHost, HostSession } from './host-session';
import { loginStatements } from '../dialect/session-settings';

/** The validated config of a task; throws the problems, each naming its key. */
function taskConfig(propsJson: string): SinkConfig {
  const { config, problems } = validateTaskConfig(JSON.parse(propsJson) as Record<string, string>);
  if (!config) throw new Error(problems.map((p) => `${p.key}: ${p.message}`).join('; '));
  return config;
}

const api = {
  configDefinitions: (): string => JSON.stringify(connectConfigDefinitions()),
  validate: (propsJson: string): string => JSON.stringify(validateTaskConfig(JSON.parse(propsJson) as Record<string, string>).problems),
  /**
   * What the Java task needs before the writer: the Databend connection (with the statements its
   * session runs at login, the exactly-once writer's settings among them), the retry policy, how records are batched,
   * and whether it writes exactly once (then it seeks to the offsets in Databend when partitions open).
   */
  taskSettings(propsJson: string): string {
    const { connection, maxRetries, retryBackoffMs, batchSize, lingerMs, exactlyOnce } = taskConfig(propsJson);
    const { host, port, user, password, database, ssl, requestTimeoutMs } = connection;
    const loginSql = loginStatements(exactlyOnce ? EXACTLY_ONCE_SESSION_SETTINGS : {});
    return JSON.stringify({ connection: { host, port, user, password, database, ssl, requestTimeoutMs: requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, loginStatements: loginSql }, maxRetries, retryBackoffMs, batchSize, lingerMs, exactlyOnce: exactlyOnce !== null });
  },
  createWriter(propsJson: string, host: DatabendHost, logLevel: string, log: { write(line: string): void }): ConnectWriter {
    const config = taskConfig(propsJson);
    const logger = createForwardingLogger(config.name, logLevel, (record) => log.write(JSON.stringify(record)));
    const writer = new DatabendWriter([new HostSession(host)], databendWriterOptions(config), logger);
    const exactlyOnce = exactlyOnceOptions(config);
    return new ConnectWriter(writer, exactlyOnce ? new ExactlyOnceWriter(writer, exactlyOnce, logger) : null);
  },
};

(globalThis as unknown as { databendSink: typeof api }).databendSink = api;
