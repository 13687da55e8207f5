import type { DestinationStream } from 'pino';
import { runSink } from '../app/run-sink';
import { loadConfig } from '../config/load-config';
import { validateConfig } from '../config/validate-config';
import { SinkError } from '../errors';
import { createLogger, type Logger } from '../logging/logger';
import { sinkVersion } from '../version';
import { duplicateWarnings, problemLine, summary } from './validate-command';

/**
 * Resolves when the grace period after `stop` ran out while the sink was still stopping (Kafka or
 * Databend not answering while the group is left or connections close): the process then exits
 * anyway, with nothing committed that is not durable. Never settles when `stop` does not fire.
 */
function graceExpired(stop: AbortSignal, graceMs: number, log: Logger): Promise<void> {
  return new Promise((resolve) => {
    const start = () => {
      const timer = setTimeout(() => {
        log.warn({ gracePeriodMs: graceMs }, 'shutdown grace period over before the sink stopped: exiting without waiting further (nothing uncommitted is lost; it is consumed again after a restart)');
        resolve();
      }, graceMs);
      timer.unref();
    };
    if (stop.aborted) start();
    else stop.addEventListener('abort', start, { once: true });
  });
}

/** Exit codes of `databend-sink run`, documented in the README. */
export const EXIT_CODES = { ok: 0, failed: 1, configInvalid: 2, recordError: 3, unavailable: 4 } as const;

export function exitCodeFor(err: unknown): number {
  if (!(err instanceof SinkError)) return EXIT_CODES.failed;
  if (err.code === 'CONFIG_INVALID') return EXIT_CODES.configInvalid;
  if (err.isRecordError || err.code === 'TABLE_MISSING') return EXIT_CODES.recordError;
  if (err.isRetriable) return EXIT_CODES.unavailable;
  return EXIT_CODES.failed;
}

export interface RunOutput {
  /** Where the structured logs go. */
  log: DestinationStream;
  /** Plain-text messages for the person at the terminal (config problems, the final error). */
  stderr: (text: string) => void;
}

/** Options of `run` that override the config (`--metrics-port`). */
export interface RunOverrides {
  metricsPort?: number;
}

/** `databend-sink run --config <file>`: load, validate, run until `stop`; resolves with the exit code. */
export async function runCommand(configPath: string, stop: AbortSignal, out: RunOutput, overrides: RunOverrides = {}): Promise<number> {
  let log: Logger | undefined;
  try {
    const loaded = loadConfig(configPath);
    const { config, problems, warnings, notes } = validateConfig(loaded.raw, loaded.name !== undefined ? { name: loaded.name } : {});
    if (!config) {
      out.stderr(summary(configPath, problems, warnings, notes));
      return EXIT_CODES.configInvalid;
    }
    if (overrides.metricsPort !== undefined) {
      if (overrides.metricsPort > 65_535) {
        out.stderr(`databend-sink: --metrics-port must be a port number (0–65535), not ${overrides.metricsPort}\n`);
        return EXIT_CODES.configInvalid;
      }
      config.operations.metricsPort = overrides.metricsPort;
    }
    log = createLogger(config.name, undefined, out.log);
    // The same lines `validate` prints for this config.
    for (const w of [...warnings, ...duplicateWarnings(loaded.duplicateKeys)]) log.warn({ key: w.key }, problemLine(w));
    for (const n of notes) log.info({ key: n.key }, problemLine(n));
    log.info({ version: sinkVersion() }, 'databend-sink starting');
    await Promise.race([runSink(config, log, stop), graceExpired(stop, config.shutdownGraceMs, log)]);
    return EXIT_CODES.ok;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log?.error({ err: message }, 'sink failed');
    log?.flush();
    out.stderr(`databend-sink: ${message}\n`);
    return exitCodeFor(err);
  }
}
