/**
 * The validated, typed connector config that the rest of the sink consumes. It composes the option
 * types each component owns (planner, converters, databend, kafka); no component imports it. Produced only by
 * `validateConfig` (validate-config.ts) from the raw string map; nothing else reads raw keys.
 */
import type { ConverterConfig } from '../converters/converter-config';
import type { DatabendConnectionConfig } from '../databend/connection-options';
import type { DatabendWriterOptions } from '../databend/write/databend-writer';
import type { ExactlyOnceOptions } from '../databend/write/exactly-once-writer';
import type { CompressionType } from '../kafka/kafkajs-dead-letter-queue';
import type { InsertMode, PkMode } from '../planner/planner-options';

export interface SinkConfig {
  name: string;
  topics: string[] | null;
  topicsRegex: RegExp | null;
  tasksMax: number;
  connection: DatabendConnectionConfig;
  insertMode: InsertMode;
  batchSize: number;
  /** How long a partial batch waits for more records before it is written. */
  lingerMs: number;
  deleteEnabled: boolean;
  /** `exactly.once.enabled=true` (insert mode): where the partition offsets are kept; null: at-least-once. */
  exactlyOnce: Pick<ExactlyOnceOptions, 'offsetsTable'> | null;
  tableNameFormat: string;
  pkMode: PkMode;
  pkFields: string[];
  fieldsWhitelist: string[];
  dbTimezone: string;
  autoCreate: boolean;
  autoEvolve: boolean;
  quoteIdentifiers: 'always' | 'never';
  maxRetries: number;
  retryBackoffMs: number;
  /** `task.shutdown.graceful.timeout.ms`: longest time from SIGTERM/SIGINT to exit. */
  shutdownGraceMs: number;
  /** The health and metrics listener (`metrics.port`, 0: none; `metrics.host`) and the progress line. */
  operations: { metricsPort: number; metricsHost: string; progressIntervalMs: number };
  keyConverter: ConverterConfig;
  valueConverter: ConverterConfig;
  errors: {
    tolerance: 'none' | 'all';
    dlqTopic: string | null;
    dlqContextHeaders: boolean;
    /** `producer.override.compression.type` of the dead-letter queue's producer. */
    dlqCompression: CompressionType;
    logEnable: boolean;
    logIncludeMessages: boolean;
  };
  kafka: {
    bootstrapServers: string[];
    groupId: string;
    /** Kafka-style client keys (security.protocol, sasl.*, ssl.*), for src/kafka/kafka-client-settings.ts. */
    clientSettings: Record<string, string>;
    /** `consumer.override.*` with the prefix removed. */
    consumerOverrides: Record<string, string>;
  };
}

/** The writer's options out of the connector config. */
export function databendWriterOptions(config: SinkConfig): DatabendWriterOptions {
  return {
    insertMode: config.insertMode,
    deleteEnabled: config.deleteEnabled,
    pkMode: config.pkMode,
    pkFields: config.pkFields,
    fieldsWhitelist: config.fieldsWhitelist,
    tableNameFormat: config.tableNameFormat,
    timezone: config.dbTimezone,
    autoCreate: config.autoCreate,
    autoEvolve: config.autoEvolve,
    quoteIdentifiers: config.quoteIdentifiers,
    database: config.connection.database,
  };
}

/** The exactly-once writer's options out of the connector config (null: at-least-once). */
export function exactlyOnceOptions(config: SinkConfig): ExactlyOnceOptions | null {
  if (!config.exactlyOnce) return null;
  return { offsetsTable: config.exactlyOnce.offsetsTable, groupId: config.kafka.groupId, database: config.connection.database, quoting: config.quoteIdentifiers };
}
