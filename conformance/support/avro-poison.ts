import type { ScenarioContext } from '../harness/scenario-context';
import { avroFixture } from './avro-fixture';

/** An id no registry hands out (ids are small counters), so a lookup must answer "not found". */
const UNKNOWN_SCHEMA_ID = 2_000_000_000;

export interface Reading {
  id: number;
  name: string;
  qty: number | null;
  day: number | null;
  /** Absent: null. */
  note?: string | null;
}

/**
 * The Avro topic of the errors.* scenarios: `fixtures/avro/errors/reading.avsc` registered for a
 * topic's values, good readings in Confluent's wire format, and records no Avro converter can read.
 */
export class PoisonedAvroTopic {
  private constructor(
    private readonly s: ScenarioContext,
    readonly schemaId: number,
  ) {}

  static async register(s: ScenarioContext, topic: string): Promise<PoisonedAvroTopic> {
    return new PoisonedAvroTopic(s, await s.registerAvro(`${topic}-value`, avroFixture('errors', 'reading')));
  }

  /** A fresh buffer on every call, so the spoilers below may change it in place. */
  reading(value: Reading): Promise<Buffer> {
    return this.s.encode(this.schemaId, { ...value, note: value.note ?? null });
  }

  /** A valid record whose first byte is 1 instead of the magic byte 0. */
  async badMagicByte(id: number): Promise<Buffer> {
    const bytes = await this.reading({ id, name: 'bad magic byte', qty: 1, day: null });
    bytes[0] = 1;
    return bytes;
  }

  /** A valid Avro body behind a schema id the registry does not know. */
  async unknownSchemaId(id: number): Promise<Buffer> {
    const bytes = await this.reading({ id, name: 'unknown schema id', qty: 1, day: null });
    bytes.writeUInt32BE(UNKNOWN_SCHEMA_ID, 1);
    return bytes;
  }

  /** A record cut short inside its `name` string. */
  async truncatedBody(id: number): Promise<Buffer> {
    const bytes = await this.reading({ id, name: 'truncated inside this name', qty: null, day: null });
    return bytes.subarray(0, bytes.length - 8);
  }
}
