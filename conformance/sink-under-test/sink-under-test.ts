/**
 * How the suite launches a sink. Scenarios only see this interface, so the same scenario runs
 * against our sink from its sources, from the packaged archive, or a vendor's command.
 */
export interface SinkUnderTest {
  readonly name: string;
  /** Starts the sink with a connector config (the `{"name","config"}` JSON shape). */
  start(config: ConnectorConfig): Promise<RunningSink>;
  /** Runs `validate` on a config; resolves with exit code and output. */
  validate(config: ConnectorConfig): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

export interface ConnectorConfig {
  name: string;
  config: Record<string, string>;
}

export interface RunningSink {
  /** Graceful stop (SIGTERM); resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number>;
  /** Hard kill (SIGKILL). */
  kill(): Promise<void>;
  /** Resolves with the exit code when the sink exits by itself. */
  readonly exited: Promise<number>;
  /** Everything the sink wrote to stdout and stderr so far. */
  logs(): string;
}
