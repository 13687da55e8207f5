import { CompressionTypes, Kafka, KafkaConfig, logLevel, Producer } from 'kafkajs';
import { SinkError } from '../errors';
import './kafkajs-runtime';
import { kafkaAuthenticationError } from './kafka-authentication-error';
import type { DeadLetterQueue, ErrorStage } from '../ports/dead-letter-queue';
import type { RawRecord } from '../ports/record-source';

export interface DeadLetterQueueOptions {
  brokers: string[];
  security: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  topic: string;
  connectorName: string;
  taskId: number;
  contextHeaders: boolean;
  /** `producer.override.compression.type`. */
  compression: CompressionType;
}

/** Kafka's `compression.type` names. */
export type CompressionType = keyof typeof COMPRESSION;

/** Kafka's compression.type names → kafkajs codecs (all registered by kafkajs-runtime.ts). */
const COMPRESSION = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
} as const;

export function contextHeaders(record: RawRecord, error: SinkError, stage: ErrorStage, connectorName: string, taskId: number): Record<string, string> {
  return {
    '__connect.errors.topic': record.topic,
    '__connect.errors.partition': String(record.partition),
    '__connect.errors.offset': record.offset,
    '__connect.errors.connector.name': connectorName,
    '__connect.errors.task.id': String(taskId),
    '__connect.errors.stage': stage,
    '__connect.errors.class.name': 'com.databend.kafka.connect.DatabendSinkTask',
    '__connect.errors.exception.class.name': `SinkError.${error.code}`,
    '__connect.errors.exception.message': error.message,
    '__connect.errors.exception.stacktrace': error.stack ?? error.message,
  };
}

/** kafkajs's retries of one dead-letter send, under the sink's own. */
const DLQ_PROTOCOL_RETRIES = 2;

export class KafkajsDeadLetterQueue implements DeadLetterQueue {
  private readonly kafka: Kafka;
  private producer: Producer | null = null;

  constructor(private readonly options: DeadLetterQueueOptions) {
    this.kafka = new Kafka({ clientId: `${options.connectorName}-dlq`, brokers: options.brokers, logLevel: logLevel.NOTHING, ...options.security });
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = await admin.listTopics();
      if (!existing.includes(this.options.topic)) {
        await admin.createTopics({ topics: [{ topic: this.options.topic, numPartitions: 1 }], waitForLeaders: true });
      }
    } finally {
      await admin.disconnect();
    }
    // The sink retries a failed report (retry/retry.ts); kafkajs's own retries are bounded under it
    // (an idempotent producer otherwise retries without end, and it needs at least one).
    const producer = this.kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1, retry: { retries: DLQ_PROTOCOL_RETRIES } });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  async report(record: RawRecord, error: SinkError, stage: ErrorStage): Promise<void> {
    const headers: Record<string, Buffer | string> = {};
    for (const h of record.headers) if (h.value !== null) headers[h.key] = h.value;
    if (this.options.contextHeaders) Object.assign(headers, contextHeaders(record, error, stage, this.options.connectorName, this.options.taskId));
    try {
      const producer = await this.connected();
      await producer.send({ topic: this.options.topic, acks: -1, compression: COMPRESSION[this.options.compression], messages: [{ key: record.key, value: record.value, headers }] });
    } catch (err) {
      const refused = kafkaAuthenticationError(err, this.options.brokers, this.options.security);
      if (refused) throw refused;
      throw new SinkError('KAFKA_UNAVAILABLE', `writing to the dead-letter topic ${this.options.topic} failed: ${(err as Error).message}`, undefined, { cause: err });
    }
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = null;
  }
}
