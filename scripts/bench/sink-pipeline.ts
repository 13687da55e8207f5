/**
 * The sink's own in-process stages, driven without Kafka, from the modules the sink runs: the
 * converters from the converter factory (StringConverter key, AvroConverter value with the schemas
 * served from memory), the plan stage of the write pipeline (planner/batch-plan.ts, which encodes
 * the rows) and its encode stage (dialect/encode-rows.ts: the CSV the writer loads). The
 * converter-CPU scenario times them; the direct-load ceiling uses them (untimed) to produce exactly
 * the CSV the sink would load, and loads it with the upsert stage's `upsertCsv`.
 */
import { createConverter } from '../../src/converters/converter-factory';
import type { Converter } from '../../src/ports/converter';
import type { RegisteredSchema, SchemaSource } from '../../src/converters/schema-registry-client';
import { BatchPlanner, type WriteOperation } from '../../src/planner/batch-plan';
import { encodeCsvBytes } from '../../src/dialect/encode-rows';
import type { SinkRecord } from '../../src/record/sink-record';
import { JsonOrderGenerator, type JsonDensity, ORDER_V1, ORDER_V2, OrderGenerator, wireFormat } from './data-generator';

/** Schema ids used in memory (the registry's own ids do not matter here). */
export const MEMORY_IDS = { v1: 1, v2: 2 } as const;

export function memorySchemaSource(): SchemaSource {
  const schemas = new Map<number, RegisteredSchema>([
    [MEMORY_IDS.v1, { id: MEMORY_IDS.v1, format: 'AVRO', schema: JSON.stringify(ORDER_V1), references: [] }],
    [MEMORY_IDS.v2, { id: MEMORY_IDS.v2, format: 'AVRO', schema: JSON.stringify(ORDER_V2), references: [] }],
  ]);
  return {
    getSchema: async (id: number) => {
      const found = schemas.get(id);
      if (!found) throw new Error(`no schema ${id}`);
      return found;
    },
  };
}

export interface RawMessage {
  key: Buffer;
  value: Buffer;
}

/** The messages of a topic produced with this seed and key cardinality (all v1), in order. */
export class MessageStream {
  private readonly generator: OrderGenerator;

  constructor(keyCardinality: number, seed: number) {
    this.generator = new OrderGenerator({ keyCardinality, seed });
  }

  take(count: number): RawMessage[] {
    const out: RawMessage[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const r = this.generator.next(1);
      out[i] = { key: Buffer.from(r.key), value: wireFormat(MEMORY_IDS.v1, r.avro) };
    }
    return out;
  }
}

/** The messages of a JSON topic (schemaless) produced with this seed, key cardinality and density, in order. */
export class JsonMessageStream {
  private readonly generator: JsonOrderGenerator;

  constructor(keyCardinality: number, seed: number, density: JsonDensity) {
    this.generator = new JsonOrderGenerator({ keyCardinality, seed }, density);
  }

  take(count: number): RawMessage[] {
    const out: RawMessage[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const r = this.generator.next();
      out[i] = { key: Buffer.from(r.key), value: r.json };
    }
    return out;
  }
}

/** Kafka Connect's JsonConverter schema of the JSON orders (`schemas.enable=true`). */
const CONNECT_JSON_SCHEMA = JSON.stringify({
  type: 'struct',
  name: 'bench.Order',
  optional: false,
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'customer', type: 'string', optional: false },
    { field: 'amount', type: 'double', optional: false },
    { field: 'qty', type: 'int64', optional: false },
    { field: 'price', type: 'double', optional: false },
    { field: 'paid', type: 'boolean', optional: false },
    { field: 'created_at', type: 'string', optional: false },
    { field: 'ship_date', type: 'string', optional: true },
    { field: 'status', type: 'string', optional: false },
    { field: 'note', type: 'string', optional: true },
    { field: 'score', type: 'double', optional: true },
  ],
});

/** A JSON order in Kafka Connect's envelope, `{"schema": …, "payload": …}`, as JsonConverter writes it. */
export function connectJsonEnvelope(payload: Buffer): Buffer {
  return Buffer.from(`{"schema":${CONNECT_JSON_SCHEMA},"payload":${payload.toString()}}`);
}

export class SinkPipeline {
  readonly key: Converter;
  readonly value: Converter;
  readonly planner: BatchPlanner;

  constructor(insertMode: 'insert' | 'upsert' = 'insert') {
    const registry = memorySchemaSource();
    this.key = createConverter({ kind: 'string', className: 'org.apache.kafka.connect.storage.StringConverter', schemasEnable: false }, true);
    this.value = createConverter({ kind: 'avro', className: 'io.confluent.connect.avro.AvroConverter', schemasEnable: false, schemaRegistryUrl: 'memory' }, false, registry);
    this.planner = new BatchPlanner({
      insertMode,
      deleteEnabled: false,
      pkMode: insertMode === 'upsert' ? 'record_value' : 'none',
      pkFields: insertMode === 'upsert' ? ['id'] : [],
      fieldsWhitelist: [],
      tableNameFormat: '${topic}',
      timezone: 'UTC',
    });
  }

  /** Converts messages as the sink task does: synchronously once the schema is known, else through the promise. */
  async convert(topic: string, messages: readonly RawMessage[], firstOffset = 0): Promise<SinkRecord[]> {
    const out: SinkRecord[] = new Array(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      let key = this.key.tryConvert ? this.key.tryConvert(topic, m.key) : undefined;
      if (key === undefined) key = await this.key.toConnectData(topic, m.key);
      let value = this.value.tryConvert ? this.value.tryConvert(topic, m.value) : undefined;
      if (value === undefined) value = await this.value.toConnectData(topic, m.value);
      out[i] = { topic, partition: 0, offset: String(firstOffset + i), timestamp: '0', key, value };
    }
    return out;
  }

  /** The write operations of one batch (rows encoded). */
  plan(records: readonly SinkRecord[]): WriteOperation[] {
    const plan = this.planner.plan(records);
    if (plan.failed.length > 0) throw plan.failed[0].error;
    return plan.operations.filter((op): op is WriteOperation => op.kind !== 'delete');
  }

  /** The CSV the writer loads (`encodeCsvBytes`). */
  static csv(ops: readonly WriteOperation[]): Buffer {
    return ops.length === 1 ? encodeCsvBytes(ops[0].rows) : Buffer.concat(ops.map((op) => encodeCsvBytes(op.rows) as Uint8Array));
  }
}
