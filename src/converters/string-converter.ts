/** org.apache.kafka.connect.storage.StringConverter: the bytes as a STRING, strict UTF-8. */
import type { Schema, SchemaAndValue } from '../record/schema';
import type { Converter } from '../ports/converter';
import { decodeUtf8 } from './strict-utf8';

const STRING_SCHEMA: Schema = Object.freeze({ type: 'STRING', optional: false }) as Schema;

export class StringConverter implements Converter {
  async toConnectData(topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null> {
    return this.tryConvert(topic, bytes);
  }

  tryConvert(_topic: string, bytes: Buffer | null): SchemaAndValue | null {
    if (bytes === null) return null;
    return { schema: STRING_SCHEMA, value: decodeUtf8(bytes, 0, bytes.length, 'string data') };
  }
}
