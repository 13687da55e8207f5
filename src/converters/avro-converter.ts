/**
 * io.confluent.connect.avro.AvroConverter: Confluent wire format (magic 0, 4-byte schema id, Avro
 * binary), decoded with the writer schema fetched from the registry. Each schema id is fetched,
 * parsed and translated once; a record then costs one avsc read and the compiled conversion.
 */
import type * as avro from 'avsc';
import type { SchemaAndValue } from '../record/schema';
import { SinkError } from '../errors';
import { parseAvroSchema, readAvro, StrictTap } from './avro-types';
import { translateAvro, type AvroTranslation } from './avro-translation';
import type { Converter } from '../ports/converter';
import { undecodable } from './converter-errors';
import { SchemaIdCache } from './schema-id-cache';
import type { RegisteredSchema, SchemaSource } from './schema-registry-client';
import { readSchemaId, WIRE_HEADER_LENGTH } from './wire-format';

const EMPTY = Buffer.alloc(0);

/** Everything needed to decode records written with one schema id. */
class AvroSchemaDecoder {
  private readonly type: avro.Type;
  private readonly translation: AvroTranslation;

  constructor(private readonly registered: RegisteredSchema) {
    if (registered.format !== 'AVRO') throw undecodable(`schema id ${registered.id} is a ${registered.format} schema, expected AVRO`);
    try {
      this.type = parseAvroSchema(
        registered.schema,
        registered.references.map((r) => r.schema),
      );
      const { schema, convert, read } = translateAvro(this.type);
      this.translation = { schema: { ...schema, version: registered.id }, convert, ...(read ? { read } : {}) };
    } catch (err) {
      if (err instanceof SinkError) throw err;
      throw undecodable(`schema id ${registered.id} is not a usable Avro schema: ${(err as Error).message}`);
    }
  }

  decode(bytes: Buffer, tap: StrictTap): SchemaAndValue {
    const { schema, convert, read } = this.translation;
    tap.buf = bytes;
    tap.pos = WIRE_HEADER_LENGTH;
    try {
      let value: SchemaAndValue['value'];
      if (read) value = read(tap);
      else {
        const raw = readAvro(this.type, tap);
        value = convert === null ? (raw as SchemaAndValue['value']) : convert(raw);
      }
      if (tap.pos !== bytes.length) throw undecodable(`Avro data has ${bytes.length - tap.pos} bytes after the value of schema id ${this.registered.id}`);
      return { schema, value };
    } catch (err) {
      if (err instanceof SinkError) throw err;
      // avsc fails on corrupt data with TypeErrors and the like; their text never reaches the message.
      throw undecodable(`Avro data does not match its writer schema id ${this.registered.id}`);
    } finally {
      tap.buf = EMPTY;
    }
  }
}

export class AvroConverter implements Converter {
  private readonly decoders: SchemaIdCache<AvroSchemaDecoder>;
  /** Decoding is synchronous, so one cursor serves every record. */
  private readonly tap = new StrictTap(EMPTY);

  constructor(registry: SchemaSource) {
    this.decoders = new SchemaIdCache(registry, (registered) => new AvroSchemaDecoder(registered));
  }

  async toConnectData(_topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null> {
    if (bytes === null) return null;
    const id = readSchemaId(bytes, 'Avro');
    const decoder = this.decoders.get(id) ?? (await this.decoders.load(id));
    return decoder.decode(bytes, this.tap);
  }

  tryConvert(_topic: string, bytes: Buffer | null): SchemaAndValue | null | undefined {
    if (bytes === null) return null;
    const decoder = this.decoders.get(readSchemaId(bytes, 'Avro'));
    return decoder === undefined ? undefined : decoder.decode(bytes, this.tap);
  }
}
