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
 */
import type { Field, LogicalType, Schema, SchemaType } from '../record/schema';
import { fieldPath, undecodable } from './converter-errors';
import { isJsonObject, type JsonObject, type JsonValue } from './json-text';
import { convertJsonDefault } from './json-value-conversion';

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

export function connectSchemaFromJson(json: JsonValue, path = ''): Schema {
  if (!isJsonObject(json)) throw invalid(path, 'is not an object');
  const typeName = json.type;
  const type = typeof typeName === 'string' ? TYPES[typeName] : undefined;
  if (type === undefined) throw invalid(path, 'has no valid "type"');
  const schema: Schema = { type, optional: json.optional === true };
  if (typeof json.name === 'string') schema.name = json.name;
  const version = integerParameter(json.version);
  if (version !== undefined) schema.version = version;
  const logical = logicalOf(type, schema.name, json.parameters, path);
  if (logical) schema.logical = logical;
  switch (type) {
    case 'ARRAY':
      schema.items = connectSchemaFromJson(json.items, `${path}[]`);
      break;
    case 'MAP':
      schema.keys = connectSchemaFromJson(json.keys, `${path} key`);
      schema.values = connectSchemaFromJson(json.values, `${path}[]`);
      break;
    case 'STRUCT':
      schema.fields = fieldsOf(json, path);
      break;
    default:
  }
  if (json.default !== undefined) schema.defaultValue = convertJsonDefault(schema, json.default, path);
  return schema;
}

function fieldsOf(json: JsonObject, path: string): Field[] {
  const fields = json.fields ?? [];
  if (!Array.isArray(fields)) throw invalid(path, 'has "fields" that is not an array');
  return fields.map((f) => {
    const name = isJsonObject(f) ? f.field : undefined;
    if (typeof name !== 'string') throw invalid(path, 'has a field without a "field" name');
    return { name, schema: connectSchemaFromJson(f, fieldPath(path, name)) };
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
