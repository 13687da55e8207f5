import { createConverter, probeSchemaRegistries } from '../converters/converter-factory';
import { connectDatabend } from '../databend/databend-connection';
import { DatabendWriter } from '../databend/databend-writer';
import type { DestinationStream } from 'pino';
import { loadConfig } from '../config/load-config';
import type { SinkConfig } from '../config/sink-config';
import { validateConfig } from '../config/validate-config';
import { SinkError } from '../errors';
import { KafkajsDeadLetterQueue } from '../kafka/kafkajs-dead-letter-queue';
import { consumerTuning, fetchSizes, kafkaSecurity } from '../kafka/kafka-client-settings';
import { KafkajsRecordSource } from '../kafka/kafkajs-record-source';
import { createLogger, type Logger } from '../logging/logger';
import { SinkTask } from '../task/sink-task';
import { sinkVersion } from '../version';
import { duplicateWarnings, problemLine, summary } from './validate-command';

/**
 * Of the shutdown grace period, what is kept for leaving the group and closing connections after
 * the batches in flight had their time: 2 s, or half of a period under 4 s.
 */
export function shutdownBudget(graceMs: number): { inFlightMs: number } {
  return { inFlightMs: graceMs - Math.min(2_000, graceMs / 2) };
}

/**
 * Runs the sink until `stop` fires (then: stop fetching, let the batches in flight finish and
 * commit within the grace period or give them up, leave the group, resolve) or until an error
 * stops it (reject). The CLI fires `stop` on SIGTERM/SIGINT; the conformance suite's in-process
 * adapter fires it directly.
 */
export async function runSink(config: SinkConfig, log: Logger, stop: AbortSignal): Promise<void> {
  // A wrong registry URL or credentials is a config error, found before anything is consumed.
  await probeSchemaRegistries(config.keyConverter, config.valueConverter);
  const security = kafkaSecurity({ ...config.kafka.clientSettings });
  const source = new KafkajsRecordSource({
    clientId: config.name,
    brokers: config.kafka.bootstrapServers,
    security,
    groupId: config.kafka.groupId,
    topics: config.topics,
    topicsRegex: config.topicsRegex,
    concurrency: config.tasksMax,
    maxWaitMs: config.lingerMs,
    fetch: fetchSizes(config.batchSize, config.tasksMax),
    tuning: consumerTuning(config.kafka.consumerOverrides).tuning,
    log,
  });
  const sessions = await Promise.all(
    Array.from({ length: config.tasksMax }, () =>
      connectDatabend(config.connection, (attempt, error) => log.warn({ attempt, err: error.message }, 'Databend not reachable yet, retrying')),
    ),
  );
  const server = sessions[0].server;
  log.info(
    {
      databend: `${config.connection.host}:${config.connection.port}`,
      version: server.version,
      loadPath: server.loadPath,
      upsert: server.loadPath === 'attachment' ? 'REPLACE … VALUES with the rows as a stage attachment' : 'rows loaded into a scratch table, then REPLACE … SELECT',
    },
    server.loadPath === 'attachment'
      ? 'Databend loads by stage attachment (server ≤ 1.2.781)'
      : 'Databend loads by upload, then INSERT … FROM @~ (server above 1.2.781)',
  );
  const writer = new DatabendWriter(sessions, config, log);
  const dlq =
    config.errors.tolerance === 'all' && config.errors.dlqTopic
      ? new KafkajsDeadLetterQueue({
          brokers: config.kafka.bootstrapServers,
          security,
          topic: config.errors.dlqTopic,
          connectorName: config.name,
          taskId: 0,
          contextHeaders: config.errors.dlqContextHeaders,
          compression: config.errors.dlqCompression,
        })
      : null;
  const task = new SinkTask(source, createConverter(config.keyConverter, true), createConverter(config.valueConverter, false), writer, dlq, log, {
    batchSize: config.batchSize,
    tolerance: config.errors.tolerance,
    logErrors: config.errors.logEnable,
    logMessages: config.errors.logIncludeMessages,
    retry: { maxRetries: config.maxRetries, backoffMs: config.retryBackoffMs },
    progressIntervalMs: 10_000,
    inFlightGraceMs: shutdownBudget(config.shutdownGraceMs).inFlightMs,
  });

  const shutdown = () => {
    log.info(
      { reason: String(stop.reason), gracePeriodMs: config.shutdownGraceMs },
      'stopping: fetching stopped; the batch in flight may finish and commit within the grace period (task.shutdown.graceful.timeout.ms), then the group is left',
    );
    void task.stop();
  };
  if (stop.aborted) shutdown();
  else stop.addEventListener('abort', shutdown, { once: true });
  log.info({ topics: config.topics ?? String(config.topicsRegex), groupId: config.kafka.groupId, insertMode: config.insertMode }, 'sink started');
  try {
    await task.run();
  } finally {
    await dlq?.close().catch(() => undefined);
    await Promise.all(sessions.map((s) => s.close()));
  }
  log.info('sink stopped');
}

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

/** `databend-sink run --config <file>`: load, validate, run until `stop`; resolves with the exit code. */
export async function runCommand(configPath: string, stop: AbortSignal, out: RunOutput): Promise<number> {
  let log: Logger | undefined;
  try {
    const loaded = loadConfig(configPath);
    const { config, problems, warnings, notes } = validateConfig(loaded.raw, loaded.name !== undefined ? { name: loaded.name } : {});
    if (!config) {
      out.stderr(summary(configPath, problems, warnings, notes));
      return EXIT_CODES.configInvalid;
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
