/**
 * Fills benchmark topics: registers the Order schemas, creates the topic and produces generated
 * records (Confluent wire format, string keys, Kafka's default key partitioner) as fast as the
 * producer allows; the JSON topics the same way (JSON orders, no registry). Each topic is produced once and read by every run (each run uses its own
 * consumer group and table).
 */
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { CompressionTypes, type Kafka, type Message } from 'kafkajs';
import { kafkaClient } from '../../conformance/clients/kafka';
import { schemaRegistryClient } from '../../conformance/clients/schema-registry';
import type { Endpoints } from '../../conformance/environments/environment';
import { JsonOrderGenerator, type JsonDensity, ORDER_V1, ORDER_V2, OrderGenerator, wireFormat } from './data-generator';
import { connectJsonEnvelope } from './sink-pipeline';
import { createTopicAndWait } from '../../conformance/support/create-topic';

export interface TopicSpec {
  topic: string;
  count: number;
  partitions: number;
  keyCardinality: number;
  seed: number;
  /** Records from this index on use the v2 schema (one schema-evolution event); omitted: all v1. */
  evolveAt?: number;
}

export interface ProducedTopic extends TopicSpec {
  schemaIds: { v1: number; v2: number };
  /** Distinct ids (keys) produced: the rows an upsert leaves. */
  distinctKeys: number;
  bytes: number;
  produceMs: number;
}

export interface SchemaIds {
  v1: number;
  v2: number;
}

/** Registers v1 then v2 under `<topic>-value` (v2 is a BACKWARD-compatible successor). */
export async function registerSchemas(endpoints: Endpoints, topic: string): Promise<SchemaIds> {
  const registry = schemaRegistryClient(endpoints.schemaRegistry);
  const subject = `${topic}-value`;
  const v1 = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(ORDER_V1) }, { subject });
  const v2 = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(ORDER_V2) }, { subject });
  return { v1: v1.id, v2: v2.id };
}

export async function createTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicAndWait(admin, { topic, numPartitions: partitions });
  } finally {
    await admin.disconnect();
  }
}

const SEND_BATCH = 2_000;
const IN_FLIGHT = 4;

export async function produceTopic(endpoints: Endpoints, spec: TopicSpec): Promise<ProducedTopic> {
  const schemaIds = await registerSchemas(endpoints, spec.topic);
  const generator = new OrderGenerator({ keyCardinality: spec.keyCardinality, seed: spec.seed });
  const produced = await produceMessages(endpoints, spec, (index) => {
    const version = spec.evolveAt !== undefined && index >= spec.evolveAt ? 2 : 1;
    const record = generator.next(version);
    return { id: record.id, key: record.key, value: wireFormat(version === 1 ? schemaIds.v1 : schemaIds.v2, record.avro) };
  });
  return { ...spec, schemaIds, ...produced };
}

/** The JSON orders: schemaless (`dense` or `sparse`), or `connect`: the dense ones in Kafka Connect's schema + payload envelope. */
export type JsonShape = JsonDensity | 'connect';

export interface JsonTopicSpec extends Omit<TopicSpec, 'evolveAt'> {
  shape: JsonShape;
}

export interface ProducedJsonTopic extends JsonTopicSpec {
  distinctKeys: number;
  bytes: number;
  produceMs: number;
}

export async function produceJsonTopic(endpoints: Endpoints, spec: JsonTopicSpec): Promise<ProducedJsonTopic> {
  const generator = new JsonOrderGenerator({ keyCardinality: spec.keyCardinality, seed: spec.seed }, spec.shape === 'sparse' ? 'sparse' : 'dense');
  const produced = await produceMessages(endpoints, spec, () => {
    const record = generator.next();
    return { id: record.id, key: record.key, value: spec.shape === 'connect' ? connectJsonEnvelope(record.json) : record.json };
  });
  return { ...spec, ...produced };
}

/** Creates the topic and produces `spec.count` messages from `next(index)` as fast as the producer allows. */
async function produceMessages(endpoints: Endpoints, spec: { topic: string; count: number; partitions: number }, next: (index: number) => { id: number; key: string; value: Buffer }) {
  const kafka = kafkaClient(endpoints.kafka, 'bench-producer');
  await createTopic(kafka, spec.topic, spec.partitions);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const t0 = Date.now();
  let bytes = 0;
  let produced = 0;
  const ids = new Set<number>();
  const inFlight = new Set<Promise<unknown>>();
  try {
    while (produced < spec.count) {
      const n = Math.min(SEND_BATCH, spec.count - produced);
      const messages: Message[] = new Array(n);
      for (let j = 0; j < n; j++) {
        const { id, key, value } = next(produced + j);
        bytes += value.length;
        ids.add(id);
        messages[j] = { key, value };
      }
      produced += n;
      const sent = producer.send({ topic: spec.topic, messages, acks: 1, compression: CompressionTypes.None });
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent)).catch(() => undefined);
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
  return { distinctKeys: ids.size, bytes, produceMs: Date.now() - t0 };
}
