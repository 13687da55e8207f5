/**
 * io.confluent.connect.json.JsonSchemaConverter: Confluent wire format (magic 0, 4-byte schema id,
 * JSON text). The registered JSON Schema is translated once per schema id
 * (`json-schema-translation.ts`); each record's JSON is converted under it
 * (`json-value-conversion.ts`). The payload is not validated against the JSON Schema beyond what
 * the conversion needs (Confluent's converter does not validate by default either).
 */
import type { Schema, SchemaAndValue } from '../record/schema';
import { SinkError } from '../errors';
import type { Converter } from '../ports/converter';
import { undecodable } from './converter-errors';
import { decodeJsonText, parseJsonText, type JsonValue } from './json-text';
import { compileJsonConverter, type JsonValueConverter, readsNumberLiterals } from './json-value-conversion';
import { translateJsonSchema } from './json-schema-translation';
import { SchemaIdCache } from './schema-id-cache';
import type { RegisteredSchema, SchemaSource } from './schema-registry-client';
import { readSchemaId, WIRE_HEADER_LENGTH } from './wire-format';

interface CompiledSchema {
  schema: Schema;
  convert: JsonValueConverter;
  /** Records may hold a Decimal's number: parse keeping number literals (json-text.ts). */
  numberLiterals: boolean;
}

function compile(registered: RegisteredSchema): CompiledSchema {
  if (registered.format !== 'JSON') throw undecodable(`schema id ${registered.id} is a ${registered.format} schema, expected JSON`);
  try {
    const references = new Map<string, JsonValue>();
    for (const ref of registered.references) references.set(ref.name, parseJsonText(ref.schema, `referenced schema ${ref.name}`).value);
    const root = parseJsonText(registered.schema, `schema id ${registered.id}`).value;
    const translated = translateJsonSchema(root, references);
    const schema: Schema = { ...translated, version: registered.id };
    return { schema, convert: compileJsonConverter(schema), numberLiterals: readsNumberLiterals(schema) };
  } catch (err) {
    if (err instanceof SinkError) throw undecodable(`schema id ${registered.id}: ${err.message}`);
    throw err;
  }
}

export class JsonSchemaConverter implements Converter {
  private readonly compiled: SchemaIdCache<CompiledSchema>;

  constructor(registry: SchemaSource) {
    this.compiled = new SchemaIdCache(registry, compile);
  }

  async toConnectData(topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null> {
    if (bytes === null) return null;
    const id = readSchemaId(bytes, 'JSON Schema');
    if (this.compiled.get(id) === undefined) await this.compiled.load(id);
    return this.tryConvert(topic, bytes) as SchemaAndValue | null;
  }

  tryConvert(_topic: string, bytes: Buffer | null): SchemaAndValue | null | undefined {
    if (bytes === null) return null;
    const compiled = this.compiled.get(readSchemaId(bytes, 'JSON Schema'));
    if (compiled === undefined) return undefined;
    const text = decodeJsonText(bytes, WIRE_HEADER_LENGTH, 'JSON data');
    const json = parseJsonText(text, 'JSON data', compiled.numberLiterals).value;
    // A JSON null is no value, whatever the schema says (as null bytes would be).
    const value = json === null ? null : compiled.convert(json);
    return value === null ? null : { schema: compiled.schema, value };
  }
}
