/**
 * The validated, typed connector config that the rest of the sink consumes. Produced only by
 * `validateConfig` (validate-config.ts) from the raw string map; nothing else reads raw keys.
 */
import type { DatabendDsn } from './connection-url';

export type InsertMode = 'insert' | 'upsert' | 'update';
export type PkMode = 'none' | 'kafka' | 'record_key' | 'record_value';
export type ConverterKind = 'avro' | 'json-schema' | 'protobuf' | 'json' | 'string' | 'bytearray';

export interface ConverterConfig {
  kind: ConverterKind;
  /** The class name as configured, for messages. */
  className: string;
  /** JsonConverter: `schemas.enable` (default true, as in Kafka Connect). */
  schemasEnable: boolean;
  /** Avro / JSON Schema / Protobuf: the registry. */
  schemaRegistryUrl?: string;
  /** `user:password` from `basic.auth.user.info` / `schema.registry.basic.auth.user.info` (source USER_INFO). */
  basicAuthUserInfo?: string;
}

/** The DSN parts (built from connection.* keys by connection-url.ts) plus the connect retry policy. */
export interface DatabendConnectionConfig extends DatabendDsn {
  attempts: number;
  backoffMs: number;
  /** `databend.request.timeout.ms`: longest wait for one Databend call; absent: DEFAULT_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
}

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
  keyConverter: ConverterConfig;
  valueConverter: ConverterConfig;
  errors: {
    tolerance: 'none' | 'all';
    dlqTopic: string | null;
    dlqContextHeaders: boolean;
    /** `producer.override.compression.type` of the dead-letter queue's producer. */
    dlqCompression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
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
