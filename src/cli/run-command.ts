import { createConverter } from '../converters/converter';
import { connectDatabend } from '../databend/databend-connection';
import { DatabendWriter } from '../databend/databend-writer';
import type { DestinationStream } from 'pino';
import { loadConfig } from '../config/load-config';
import type { SinkConfig } from '../config/sink-config';
import { validateConfig } from '../config/validate-config';
import { SinkError } from '../errors';
import { KafkajsDeadLetterQueue } from '../kafka/dead-letter-queue';
import { consumerTuning, fetchSizes, kafkaSecurity } from '../kafka/kafka-client-settings';
import { KafkajsRecordSource } from '../kafka/kafkajs-record-source';
import { createLogger, type Logger } from '../logging/logger';
import { SinkTask } from '../task/sink-task';
import { sinkVersion } from '../version';
import { duplicateWarnings, problemLine, summary } from './validate-command';

/**
 * Runs the sink until `stop` fires (then: finish the current batch, commit, leave the group,
 * resolve) or until an error stops it (reject). The CLI fires `stop` on SIGTERM/SIGINT; the
 * conformance suite's in-process adapter fires it directly.
 */
export async function runSink(config: SinkConfig, log: Logger, stop: AbortSignal): Promise<void> {
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
        })
      : null;
  const task = new SinkTask(source, createConverter(config.keyConverter, true), createConverter(config.valueConverter, false), writer, dlq, log, {
    batchSize: config.batchSize,
    tolerance: config.errors.tolerance,
    logErrors: config.errors.logEnable,
    logMessages: config.errors.logIncludeMessages,
    retry: { maxRetries: config.maxRetries, backoffMs: config.retryBackoffMs },
    progressIntervalMs: 10_000,
  });

  const shutdown = () => {
    log.info({ reason: String(stop.reason) }, 'stopping: finishing the current batch, committing, leaving the group');
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
    await runSink(config, log, stop);
    return EXIT_CODES.ok;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log?.error({ err: message }, 'sink failed');
    log?.flush();
    out.stderr(`databend-sink: ${message}\n`);
    return exitCodeFor(err);
  }
}
