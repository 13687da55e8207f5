/**
 * org.apache.kafka.connect.json.JsonConverter.
 *
 * schemas.enable=true: the data is an envelope `{"schema": {...}, "payload": ...}` (exactly these
 * two members, as Connect requires). The schema part is looked up by its text, so a schema is
 * translated once however many records carry it; the payload is converted under it
 * (`json-value-conversion.ts`). A null schema means schemaless payload.
 * schemas.enable=false: the schema is inferred per record (`json-inference.ts`).
 * A null result (JSON `null`, or a null payload) is returned as no value, as Connect does.
 */
import type { Schema, SchemaAndValue } from '../record/schema';
import { readConnectSchema } from './connect-json-schema';
import type { Converter } from '../ports/converter';
import { undecodable } from './converter-errors';
import { JsonSchemaInference } from './json-inference';
import { decodeJsonText, isJsonObject, lastParse, parseJsonText, scanObjectMembers, type JsonValue, type ParsedJson } from './json-text';
import { compileJsonConverter, type JsonValueConverter, readsNumberLiterals } from './json-value-conversion';

interface CompiledSchema {
  schema: Schema;
  convert: JsonValueConverter;
  /** The payload may hold a Decimal's number: parse keeping number literals (json-text.ts). */
  numberLiterals: boolean;
}

const MAX_CACHED_SCHEMAS = 256;
const ENVELOPE_PROBLEM = 'JsonConverter with schemas.enable requires exactly "schema" and "payload" members';

export class ConnectJsonConverter implements Converter {
  private readonly inference = new JsonSchemaInference();
  /** Schema JSON text → compiled schema (null for `"schema": null`). */
  private readonly schemas = new Map<string, CompiledSchema | null>();
  /**
   * The text of the last envelope up to its payload (`{"schema":…,"payload":`) and its schema:
   * consecutive records of one producer start with the same bytes, so a prefix comparison finds
   * the schema without scanning or hashing it.
   */
  private lastPrefix: string | null = null;
  private lastPrefixSchema: CompiledSchema | null = null;

  /**
   * `decimalNumbers`: whether a payload may hold a Decimal as a JSON number (JsonConverter's
   * `decimal.format=NUMERIC`); then a schema with a Decimal has its payloads parsed keeping number
   * literals. The Kafka Connect plugin's hand-off writes Decimals as base64 text (Connect's default,
   * `BASE64`), so no number there is a Decimal's: its payloads take the native parse whenever the
   * doubles it reads are the same (in the interpreter the exact parser cost about 30 µs per record).
   */
  constructor(
    private readonly schemasEnable: boolean,
    private readonly decimalNumbers = true,
  ) {}

  async toConnectData(topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null> {
    return this.tryConvert(topic, bytes);
  }

  tryConvert(_topic: string, bytes: Buffer | null): SchemaAndValue | null {
    if (bytes === null) return null;
    return this.convertText(decodeJsonText(bytes, 0, 'JSON data'));
  }

  /**
   * The conversion of the record's JSON text (already decoded): the Kafka Connect plugin hands the
   * text over as Connect's JsonConverter wrote it (src/connect/record-handoff.ts).
   */
  convertText(text: string): SchemaAndValue | null {
    if (!this.schemasEnable) {
      // An inferred schema has no Decimal: numbers are read as integers or doubles.
      const parsed = parseJsonText(text, 'JSON data', false);
      return this.inference.infer(parsed.value, parsed);
    }
    return this.envelope(text);
  }

  private envelope(text: string): SchemaAndValue | null {
    const prefix = this.lastPrefix;
    if (prefix !== null && text.startsWith(prefix)) {
      let end = text.length - 1;
      while (end > prefix.length && isWhitespace(text.charCodeAt(end))) end--;
      if (text.charCodeAt(end) === 125 /* } */) {
        // Whatever lies between the prefix and the final brace must parse as one JSON value.
        const compiled = this.lastPrefixSchema;
        const parsed = parseJsonText(text.slice(prefix.length, end), 'JSON payload', compiled?.numberLiterals ?? false);
        return this.convertPayload(compiled, parsed.value, parsed);
      }
    }
    const members = scanObjectMembers(text);
    if (members === undefined) {
      // Not a plain object: parse to report the syntax error, or say what is wrong with the shape.
      const { value } = parseJsonText(text, 'JSON data');
      if (!isJsonObject(value)) throw undecodable(ENVELOPE_PROBLEM);
      return this.fromParsedEnvelope(value);
    }
    const keys = Object.keys(members);
    const schemaAt = members.schema;
    const payloadAt = members.payload;
    if (keys.length !== 2 || schemaAt === undefined || payloadAt === undefined) throw undecodable(ENVELOPE_PROBLEM);
    const compiled = this.compiled(text.slice(schemaAt.start, schemaAt.end));
    if (schemaAt.start < payloadAt.start) {
      this.lastPrefix = text.slice(0, payloadAt.start);
      this.lastPrefixSchema = compiled;
    }
    const parsed = parseJsonText(text.slice(payloadAt.start, payloadAt.end), 'JSON payload', compiled?.numberLiterals ?? false);
    return this.convertPayload(compiled, parsed.value, parsed);
  }

  /** Slow path for envelopes the scanner gave up on (still valid JSON). */
  private fromParsedEnvelope(envelope: { [key: string]: JsonValue }): SchemaAndValue | null {
    const keys = Object.keys(envelope);
    if (keys.length !== 2 || !('schema' in envelope) || !('payload' in envelope)) throw undecodable(ENVELOPE_PROBLEM);
    const parsed = lastParse();
    const compiled = envelope.schema === null ? null : compile(envelope.schema, this.decimalNumbers);
    return this.convertPayload(compiled, envelope.payload, parsed);
  }

  private convertPayload(compiled: CompiledSchema | null, payload: JsonValue, parsed: ParsedJson): SchemaAndValue | null {
    if (compiled === null) return this.inference.infer(payload, parsed);
    const value = compiled.convert(payload);
    return value === null ? null : { schema: compiled.schema, value };
  }

  private compiled(schemaText: string): CompiledSchema | null {
    const cached = this.schemas.get(schemaText);
    if (cached !== undefined) return cached;
    const { value } = parseJsonText(schemaText, 'JsonConverter schema');
    const compiled = value === null ? null : compile(value, this.decimalNumbers);
    if (this.schemas.size >= MAX_CACHED_SCHEMAS) this.schemas.clear();
    this.schemas.set(schemaText, compiled);
    return compiled;
  }
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function compile(json: JsonValue, decimalNumbers: boolean): CompiledSchema {
  const { schema, unions } = readConnectSchema(json);
  return { schema, convert: compileJsonConverter(schema, '', unions), numberLiterals: decimalNumbers && readsNumberLiterals(schema, unions) };
}
