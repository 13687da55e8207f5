/** org.apache.kafka.connect.converters.ByteArrayConverter: the bytes as BYTES, untouched. */
import type { Schema, SchemaAndValue } from '../record/schema';
import type { Converter } from '../ports/converter';

const BYTES_SCHEMA: Schema = Object.freeze({ type: 'BYTES', optional: false }) as Schema;

export class ByteArrayConverter implements Converter {
  async toConnectData(topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null> {
    return this.tryConvert(topic, bytes);
  }

  tryConvert(_topic: string, bytes: Buffer | null): SchemaAndValue | null {
    if (bytes === null) return null;
    return { schema: BYTES_SCHEMA, value: bytes };
  }
}
