/**
 * io.confluent.connect.protobuf.ProtobufConverter: Confluent wire format (magic 0, 4-byte schema
 * id, the message indexes of `protobuf-wire-format.ts`, then the Protobuf payload), decoded with
 * protobufjs against the schema fetched from the registry.
 *
 * Each schema id is fetched and parsed once (`protobuf-schema.ts`); each message type of it is
 * translated once, on the first record that names it (`protobuf-translation.ts`). A record then
 * costs the header, protobufjs's generated decoder and the compiled conversion.
 */
import type * as protobuf from 'protobufjs';
import type { SchemaAndValue } from '../record/schema';
import { SinkError } from '../errors';
import type { Converter } from '../ports/converter';
import { undecodable } from './converter-errors';
import { StrictProtobufReader } from './protobuf-reader';
import { parseProtobufSchema, type ProtobufFile } from './protobuf-schema';
import { ProtobufTranslator, type ProtobufTranslation } from './protobuf-translation';
import { readMessageIndexes } from './protobuf-wire-format';
import { SchemaIdCache } from './schema-id-cache';
import type { RegisteredSchema, SchemaSource } from './schema-registry-client';
import { readSchemaId, WIRE_HEADER_LENGTH } from './wire-format';

/** Longest protobufjs error text kept in a message (they name offsets and fields, never data). */
const MAX_REASON_LENGTH = 200;

interface CompiledMessage {
  type: protobuf.Type;
  name: string;
  schema: SchemaAndValue['schema'];
  convert: ProtobufTranslation['convert'];
}

/** Everything needed to decode records written with one schema id. */
class ProtobufSchemaDecoder {
  private readonly file: ProtobufFile;
  private readonly translator = new ProtobufTranslator();
  /** By message-index path (`0`, `1.0`, …). */
  private readonly messages = new Map<string, CompiledMessage>();

  constructor(private readonly registered: RegisteredSchema) {
    if (registered.format !== 'PROTOBUF') throw undecodable(`schema id ${registered.id} is a ${registered.format} schema, expected PROTOBUF`);
    try {
      this.file = parseProtobufSchema(registered);
    } catch (err) {
      throw undecodable(`schema id ${registered.id} is not a usable Protobuf schema: ${reason(err)}`);
    }
  }

  decode(bytes: Buffer, reader: StrictProtobufReader): SchemaAndValue {
    const { indexes, payloadStart } = readMessageIndexes(bytes, WIRE_HEADER_LENGTH);
    const message = this.message(indexes);
    reader.reset(bytes, payloadStart);
    try {
      const decoded = message.type.decode(reader);
      return { schema: message.schema, value: message.convert(decoded) };
    } catch (err) {
      if (err instanceof SinkError) throw err;
      throw undecodable(`Protobuf data does not parse as message ${message.name} of schema id ${this.registered.id}: ${reason(err)}`);
    } finally {
      reader.release();
    }
  }

  private message(indexes: readonly number[]): CompiledMessage {
    const key = indexes.join('.');
    const known = this.messages.get(key);
    if (known) return known;
    const type = this.file.messageAt(indexes);
    if (type === undefined) {
      const names = this.file.topLevelNames;
      throw undecodable(
        `Protobuf data names message indexes [${indexes.join(', ')}], which schema id ${this.registered.id} does not have (its top-level messages: ${names.length > 0 ? names.join(', ') : 'none'})`,
      );
    }
    let translation: ProtobufTranslation;
    try {
      translation = this.translator.message(type);
    } catch (err) {
      if (err instanceof SinkError) throw err;
      throw undecodable(`message ${type.fullName.slice(1)} of schema id ${this.registered.id} cannot be translated: ${reason(err)}`);
    }
    const compiled: CompiledMessage = { type, name: type.fullName.slice(1), schema: { ...translation.schema, version: this.registered.id }, convert: translation.convert };
    this.messages.set(key, compiled);
    return compiled;
  }
}

function reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH)}…` : text;
}

export class ProtobufConverter implements Converter {
  private readonly decoders: SchemaIdCache<ProtobufSchemaDecoder>;
  /** Decoding is synchronous, so one reader serves every record. */
  private readonly reader = new StrictProtobufReader();

  constructor(registry: SchemaSource) {
    this.decoders = new SchemaIdCache(registry, (registered) => new ProtobufSchemaDecoder(registered));
  }

  async toConnectData(_topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null> {
    if (bytes === null) return null;
    const id = readSchemaId(bytes, 'Protobuf');
    const decoder = this.decoders.get(id) ?? (await this.decoders.load(id));
    return decoder.decode(bytes, this.reader);
  }

  tryConvert(_topic: string, bytes: Buffer | null): SchemaAndValue | null | undefined {
    if (bytes === null) return null;
    const decoder = this.decoders.get(readSchemaId(bytes, 'Protobuf'));
    return decoder === undefined ? undefined : decoder.decode(bytes, this.reader);
  }
}
