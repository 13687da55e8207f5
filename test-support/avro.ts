/** Encoding Avro test data with plain avsc (no logical types: the tests write underlying values). */
import * as avro from 'avsc';
import { BIGINT_LONG } from '../src/converters/avro-types';
import { encodeWireFormat } from '../src/converters/wire-format';

/** A writer type whose `long` is bigint; unions are wrapped (`{ "string": "x" }`) when `wrap`. */
export function writerType(schema: object | string, wrap = false): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, { registry: { long: BIGINT_LONG }, typeHook: bigintLongs, wrapUnions: wrap ? 'always' : 'auto' });
}

function bigintLongs(schema: avro.Schema): avro.Type | undefined {
  return typeof schema === 'object' && schema !== null && !Array.isArray(schema) && (schema as { type?: unknown }).type === 'long' ? BIGINT_LONG : undefined;
}

export function encodeAvro(schemaId: number, schema: object | string, value: unknown, wrap = false): Buffer {
  return encodeWireFormat(schemaId, writerType(schema, wrap).toBuffer(value));
}
