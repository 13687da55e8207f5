/**
 * The internal record model: Kafka Connect's schema vocabulary (types, optionality, defaults,
 * logical types), produced by every converter and consumed by the table planner.
 */
export type PrimitiveType = 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FLOAT32' | 'FLOAT64' | 'BOOLEAN' | 'STRING' | 'BYTES';
export type SchemaType = PrimitiveType | 'ARRAY' | 'MAP' | 'STRUCT';

/**
 * Logical types refine a physical type:
 * - decimal on BYTES: value is a `Decimal`.
 * - date on INT32: days since 1970-01-01.
 * - time on INT32 (millis) / INT64 (micros): value is microseconds since midnight (bigint).
 * - timestamp on INT64: value is microseconds since the epoch (bigint), UTC; `local` marks Avro local-timestamp-*.
 * - uuid / enum on STRING.
 * - unsigned on INT64: value is a bigint from 0 to 2^64-1 (Protobuf uint64 / fixed64).
 * - variant on any type: a value that has no fixed type (Avro union of several non-null types, schemaless
 *   JSON nested values); the value is a `VariantValue` written as JSON.
 */
export type LogicalType =
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'date' }
  | { kind: 'time'; unit: 'millis' | 'micros' }
  | { kind: 'timestamp'; unit: 'millis' | 'micros'; local: boolean }
  | { kind: 'uuid' }
  | { kind: 'enum'; symbols: string[] }
  | { kind: 'unsigned' }
  | { kind: 'variant' };

export interface Field {
  name: string;
  schema: Schema;
}

export interface Schema {
  type: SchemaType;
  optional: boolean;
  /** Schema default, in the value model below (undefined = no default; null = default null). */
  defaultValue?: Value;
  /** Record / enum name, e.g. `com.example.Order`. */
  name?: string;
  /** Registry schema version or id, when known: lets the planner skip work for a schema it has seen. */
  version?: number;
  logical?: LogicalType;
  /** STRUCT only, in declaration order. */
  fields?: Field[];
  /** ARRAY element schema. */
  items?: Schema;
  /** MAP key and value schemas. */
  keys?: Schema;
  values?: Schema;
}

/**
 * The schema of a value whose type nobody knows, only that it is null (a JSON null member of a
 * schemaless record). Recognised by identity: the planner makes no column for such a field (a
 * STRING column would clash with the type the member has in other records) and leaves the column,
 * where it exists, to NULL.
 */
export const UNTYPED_NULL_SCHEMA: Schema = Object.freeze({ type: 'STRING', optional: true });

/** Exact decimal: `unscaled × 10^-scale`. */
export interface Decimal {
  unscaled: bigint;
  scale: number;
}

/** JSON-like value of a variant column; bigint keeps int64 exact. */
export type VariantValue = null | boolean | number | bigint | string | VariantValue[] | { [key: string]: VariantValue };

/**
 * Values by schema type: INT8/16/32 and FLOAT32/64 → number; INT64 → bigint; BOOLEAN → boolean;
 * STRING → string; BYTES → Buffer; STRUCT → StructValue; ARRAY → Value[]; MAP → [key, value] pairs;
 * logical types as documented on `LogicalType`; null when optional and absent.
 */
export type Value = null | number | bigint | boolean | string | Buffer | Decimal | VariantValue | StructValue | Value[] | MapValue;

export interface StructValue {
  readonly kind: 'struct';
  readonly fields: Record<string, Value>;
}

export interface MapValue {
  readonly kind: 'map';
  readonly entries: [Value, Value][];
}

/** A key or value after conversion: schema plus value. */
export interface SchemaAndValue {
  schema: Schema;
  value: Value;
}
