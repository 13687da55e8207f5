import type { SinkCapabilities } from './capabilities';

/**
 * How the suite launches a sink. Scenarios only see this interface, so the same scenario runs
 * against our packaged archive, our sink in-process, or a vendor's command.
 */
export interface SinkUnderTest {
  /** `archive`, `inprocess`, `source` or `command`. */
  readonly kind: SinkKind;
  /** What the report calls it, e.g. `bendsink-databend-kafka-sink-0.1.0.zip`. */
  readonly description: string;
  readonly capabilities: SinkCapabilities;
  /** True when the sink is its own OS process (hard kill and RSS are then possible). */
  readonly isProcess: boolean;
  /** Starts the sink with a connector config (the `{"name","config"}` shape). */
  start(config: ConnectorConfig): Promise<RunningSink>;
}

export type SinkKind = 'archive' | 'inprocess' | 'source' | 'command';

export interface ConnectorConfig {
  name: string;
  config: Record<string, string>;
}

export interface RunningSink {
  /** Graceful stop (SIGTERM or its in-process equivalent); resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number>;
  /** Hard kill (SIGKILL): nothing gets to finish. Only where `isProcess`. */
  kill(): Promise<void>;
  /** Resolves with the exit code when the sink exits by itself (or is stopped). */
  readonly exited: Promise<number>;
  /** Everything the sink logged so far (stdout and stderr). */
  logs(): string;
  /** OS process id, where `isProcess`. */
  readonly pid?: number;
}
