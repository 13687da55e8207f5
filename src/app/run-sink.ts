/**
 * The composition root: builds the sink's parts from the validated config (record source,
 * converters, writer, dead-letter queue, consumer loop) and runs them. The CLI (cli/run-command.ts)
 * and the conformance suite's in-process adapter call it; nothing below it knows the others.
 */
import { createConverter, probeSchemaRegistries } from '../converters/converter-factory';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../databend/connection-options';
import { connectDatabend } from '../databend/databend-connection';
import { DatabendWriter } from '../databend/write/databend-writer';
import { EXACTLY_ONCE_SESSION_SETTINGS, ExactlyOnceWriter } from '../databend/write/exactly-once-writer';
import { databendWriterOptions, exactlyOnceOptions, type SinkConfig } from '../config/sink-config';
import { KafkajsDeadLetterQueue } from '../kafka/kafkajs-dead-letter-queue';
import { consumerTuning, kafkaSecurity } from '../kafka/kafka-client-settings';
import { KafkajsRecordSource } from '../kafka/kafkajs-record-source';
import type { Logger } from '../logging/logger';
import { SinkEventPublisher } from '../events/sink-events';
import { SinkObserver } from '../observability/sink-observer';
import { StatusServer } from '../observability/status-server';
import { SinkTask } from '../task/sink-task';
import { sinkVersion } from '../version';

/**
 * Of the shutdown grace period, what is kept for leaving the group and closing connections after
 * the batches in flight had their time: 2 s, or half of a period under 4 s.
 */
export function shutdownBudget(graceMs: number): { inFlightMs: number } {
  return { inFlightMs: graceMs - Math.min(2_000, graceMs / 2) };
}

/**
 * The time budget of one call's retries (retry/retry.ts): what max.retries retries take when every
 * attempt uses its whole databend.request.timeout.ms. It bounds the calls that have no timeout of
 * the sink's own too (an offset commit, a dead-letter send through kafkajs).
 */
export function retryBudgetMs(config: Pick<SinkConfig, 'maxRetries' | 'retryBackoffMs' | 'connection'>): number {
  return (config.maxRetries + 1) * (config.connection.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) + config.maxRetries * config.retryBackoffMs;
}

/**
 * Runs the sink until `stop` fires (then: stop fetching, let the batches in flight finish and
 * commit within the grace period or give them up, leave the group, resolve) or until an error
 * stops it (reject). The CLI fires `stop` on SIGTERM/SIGINT; the conformance suite's in-process
 * adapter fires it directly.
 */
export async function runSink(config: SinkConfig, log: Logger, stop: AbortSignal): Promise<void> {
  const events = new SinkEventPublisher(`${config.name}#${++instances}`);
  const observed = await observe(config, events, log);
  try {
    await runObserved(config, log, stop, events);
  } finally {
    await observed?.close();
  }
}

let instances = 0;

/**
 * The health and metrics listener when `metrics.port` (or `--metrics-port`) asks for one: it follows
 * the sink's events from before it joins its group.
 */
async function observe(config: SinkConfig, events: SinkEventPublisher, log: Logger): Promise<{ close(): Promise<void> } | null> {
  const { metricsPort, metricsHost } = config.operations;
  if (metricsPort === 0) return null;
  const observer = new SinkObserver({ instance: events.instance, connector: config.name, version: sinkVersion(), groupId: config.kafka.groupId });
  let server: StatusServer;
  try {
    server = await StatusServer.start(observer, { port: metricsPort, host: metricsHost });
  } catch (err) {
    observer.close();
    throw err;
  }
  log.info({ url: server.url, endpoints: ['/healthz', '/readyz', '/metrics', '/status'] }, `health and metrics on ${server.url}`);
  return {
    close: async () => {
      await server.close();
      observer.close();
    },
  };
}

async function runObserved(config: SinkConfig, log: Logger, stop: AbortSignal, events: SinkEventPublisher): Promise<void> {
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
    batchSize: config.batchSize,
    tuning: consumerTuning(config.kafka.consumerOverrides).tuning,
    log,
    events,
  });
  const sessions = await Promise.all(
    Array.from({ length: config.tasksMax }, () =>
      connectDatabend(config.connection, (attempt, error) => log.warn({ attempt, err: error.message }, 'Databend not reachable yet, retrying'), events, config.exactlyOnce ? EXACTLY_ONCE_SESSION_SETTINGS : {}),
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
  const databendWriter = new DatabendWriter(sessions, databendWriterOptions(config), log, events);
  const exactlyOnce = exactlyOnceOptions(config);
  const writer = exactlyOnce ? new ExactlyOnceWriter(databendWriter, exactlyOnce, log) : databendWriter;
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
    retry: { maxRetries: config.maxRetries, backoffMs: config.retryBackoffMs, budgetMs: retryBudgetMs(config) },
    progressIntervalMs: config.operations.progressIntervalMs,
    inFlightGraceMs: shutdownBudget(config.shutdownGraceMs).inFlightMs,
    events,
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
