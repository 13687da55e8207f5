import type { SinkCapabilities } from './capabilities';

/**
 * How the suite launches a sink. Scenarios only see this interface, so the same scenario runs
 * against our packaged archive, our sink in-process, a vendor's command, or a Kafka Connect plugin
 * in a real worker.
 */
export interface SinkUnderTest {
  /** `archive`, `inprocess`, `source`, `command` or `connect`. */
  readonly kind: SinkKind;
  /** What the report calls it, e.g. `bendsink-databend-kafka-sink-0.1.0.zip`. */
  readonly description: string;
  readonly capabilities: SinkCapabilities;
  /** True when the sink is its own OS process (hard kill and RSS are then possible). */
  readonly isProcess: boolean;
  /** Starts the sink with a connector config (the `{"name","config"}` shape). */
  start(config: ConnectorConfig): Promise<RunningSink>;
  /** Frees what the adapter keeps between starts (idle Kafka Connect workers); called when a scenario ends. */
  close?(): Promise<void>;
}

export type SinkKind = 'archive' | 'inprocess' | 'source' | 'command' | 'connect';

export interface ConnectorConfig {
  name: string;
  config: Record<string, string>;
}

/**
 * A started sink, judged on behaviour only. Its outcome is a number with one meaning for every
 * adapter: 0 when it stopped cleanly because it was asked to, anything else when it failed or
 * refused its config — a process's own exit code, or under Kafka Connect 1 for a connector or task
 * in state FAILED or a connector Connect refused to create. No scenario looks at which non-zero
 * number it is.
 */
export interface RunningSink {
  /** Graceful stop (SIGTERM, or deleting the connector); resolves with the outcome. */
  stop(timeoutMs?: number): Promise<number>;
  /** Hard kill (SIGKILL of the process or worker): nothing gets to finish. Only where `isProcess`. */
  kill(): Promise<void>;
  /** Resolves with the outcome when the sink stops by itself (or is stopped). */
  readonly exited: Promise<number>;
  /** Everything the sink logged so far (stdout and stderr; under Kafka Connect the worker's log and the REST answers). */
  logs(): string;
  /**
   * What the sink said about a failure: where scenarios look for the names an error must give
   * (keys, table, record position). A process's whole output; under Kafka Connect the refused
   * configuration's errors, the FAILED traces and the worker's WARN and ERROR records — not the
   * INFO records, which list every config key whatever happened.
   */
  failureOutput(): string;
  /** OS process id, where `isProcess`. */
  readonly pid?: number;
}
