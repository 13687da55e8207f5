/**
 * Kafka Connect's schema JSON (the `"schema"` of a JsonConverter envelope) → `Schema`.
 *
 * Types: boolean, int8, int16, int32, int64, float / float32, double / float64, string, bytes,
 * array (`items`), map (`keys`, `values`), struct (`fields`, each with `field`). Attributes:
 * `optional`, `default`, `name`, `version`, `parameters`. Logical types by `name`:
 * - org.apache.kafka.connect.data.Decimal (bytes): scale from `parameters.scale`, precision from
 *   `parameters["connect.decimal.precision"]`, 38 when absent;
 * - org.apache.kafka.connect.data.Date (int32 days), .Time (int32 ms), .Timestamp (int64 ms);
 * - Debezium's io.debezium.time.Date, .Time (ms), .MicroTime (µs), .Timestamp (ms) and
 *   .MicroTimestamp (µs), the last two zone-less (local);
 * a logical name on the wrong physical type is ignored (the physical type stays).
 *
 * A struct named `io.confluent.connect.avro.Union` is Confluent's (and Apicurio's) AvroConverter
 * encoding of an Avro union of several non-null types: one optional field per branch (named after
 * the branch's type: `long`, `string`, a record's or enum's name), exactly one of them set, the
 * struct itself optional when null is a branch. It becomes what the standalone Avro path makes of
 * the union, a variant (optional when the struct is), and its branches are listed in the
 * `UnionBranches` that `readConnectSchema` returns, from which `json-value-conversion.ts` reads
 * the payload as the branch's value.
 */
import type { Field, LogicalType, Schema, SchemaType } from '../record/schema';
import { fieldPath, undecodable } from './converter-errors';
import { isJsonObject, type JsonObject, type JsonValue } from './json-text';
import { convertJsonDefault, type UnionBranches } from './json-value-conversion';

export const CONNECT_UNION_NAME = 'io.confluent.connect.avro.Union';

export const DEFAULT_DECIMAL_PRECISION = 38;

const TYPES: { [name: string]: SchemaType } = {
  boolean: 'BOOLEAN',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  float: 'FLOAT32',
  float32: 'FLOAT32',
  double: 'FLOAT64',
  float64: 'FLOAT64',
  string: 'STRING',
  bytes: 'BYTES',
  array: 'ARRAY',
  map: 'MAP',
  struct: 'STRUCT',
};

/** Logical name → [physical type it applies to, logical type]. */
const LOGICAL_NAMES: { [name: string]: [SchemaType, LogicalType] } = {
  'org.apache.kafka.connect.data.Date': ['INT32', { kind: 'date' }],
  'org.apache.kafka.connect.data.Time': ['INT32', { kind: 'time', unit: 'millis' }],
  'org.apache.kafka.connect.data.Timestamp': ['INT64', { kind: 'timestamp', unit: 'millis', local: false }],
  'io.debezium.time.Date': ['INT32', { kind: 'date' }],
  'io.debezium.time.Time': ['INT32', { kind: 'time', unit: 'millis' }],
  'io.debezium.time.MicroTime': ['INT64', { kind: 'time', unit: 'micros' }],
  'io.debezium.time.Timestamp': ['INT64', { kind: 'timestamp', unit: 'millis', local: true }],
  'io.debezium.time.MicroTimestamp': ['INT64', { kind: 'timestamp', unit: 'micros', local: true }],
};

export const DECIMAL_NAME = 'org.apache.kafka.connect.data.Decimal';

/** A Connect schema in the record model, with the Union structs it holds. */
export interface ConnectJsonSchema {
  schema: Schema;
  unions: UnionBranches;
}

export function readConnectSchema(json: JsonValue): ConnectJsonSchema {
  const unions = new Map<Schema, Field[]>();
  return { schema: schemaOf(json, '', unions), unions };
}

/** The record model's schema of a Connect schema (its Union structs are variants). */
export function connectSchemaFromJson(json: JsonValue): Schema {
  return readConnectSchema(json).schema;
}

function schemaOf(json: JsonValue, path: string, unions: Map<Schema, Field[]>): Schema {
  if (!isJsonObject(json)) throw invalid(path, 'is not an object');
  const typeName = json.type;
  const type = typeof typeName === 'string' ? TYPES[typeName] : undefined;
  if (type === undefined) throw invalid(path, 'has no valid "type"');
  if (type === 'STRUCT' && json.name === CONNECT_UNION_NAME) return union(json, path, unions);
  const schema: Schema = { type, optional: json.optional === true };
  if (typeof json.name === 'string') schema.name = json.name;
  const version = integerParameter(json.version);
  if (version !== undefined) schema.version = version;
  const logical = logicalOf(type, schema.name, json.parameters, path);
  if (logical) schema.logical = logical;
  switch (type) {
    case 'ARRAY':
      schema.items = schemaOf(json.items, `${path}[]`, unions);
      break;
    case 'MAP':
      schema.keys = schemaOf(json.keys, `${path} key`, unions);
      schema.values = schemaOf(json.values, `${path}[]`, unions);
      break;
    case 'STRUCT':
      schema.fields = fieldsOf(json, path, unions);
      break;
    default:
  }
  if (json.default !== undefined) schema.defaultValue = convertJsonDefault(schema, json.default, path, unions);
  return schema;
}

/** A Union struct: the variant the standalone Avro path makes of the union; its branches go to `unions`. */
function union(json: JsonObject, path: string, unions: Map<Schema, Field[]>): Schema {
  const schema: Schema = { type: 'STRING', optional: json.optional === true, logical: { kind: 'variant' } };
  const branches = fieldsOf(json, path, unions);
  if (branches.length === 0) throw invalid(path, `is a ${CONNECT_UNION_NAME} struct without branches`);
  unions.set(schema, branches);
  if (json.default !== undefined) schema.defaultValue = convertJsonDefault(schema, json.default, path, unions);
  return schema;
}

function fieldsOf(json: JsonObject, path: string, unions: Map<Schema, Field[]>): Field[] {
  const fields = json.fields ?? [];
  if (!Array.isArray(fields)) throw invalid(path, 'has "fields" that is not an array');
  return fields.map((f) => {
    const name = isJsonObject(f) ? f.field : undefined;
    if (typeof name !== 'string') throw invalid(path, 'has a field without a "field" name');
    return { name, schema: schemaOf(f, fieldPath(path, name), unions) };
  });
}

function logicalOf(type: SchemaType, name: string | undefined, parameters: JsonValue | undefined, path: string): LogicalType | undefined {
  if (name === undefined) return undefined;
  if (name === DECIMAL_NAME) {
    if (type !== 'BYTES') return undefined;
    const params = isJsonObject(parameters) ? parameters : {};
    const scale = integerParameter(params.scale);
    if (scale === undefined) throw invalid(path, 'is a Decimal without an integer "scale" parameter');
    const precision = integerParameter(params['connect.decimal.precision']) ?? DEFAULT_DECIMAL_PRECISION;
    return { kind: 'decimal', precision, scale };
  }
  const known = LOGICAL_NAMES[name];
  return known && known[0] === type ? known[1] : undefined;
}

function integerParameter(v: JsonValue | undefined): number | undefined {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : typeof v === 'bigint' || typeof v === 'number' ? Number(v) : undefined;
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

function invalid(path: string, problem: string) {
  return undecodable(`JsonConverter schema${path ? ` of ${path}` : ''} ${problem}`);
}
