/**
 * Protobuf records as a producer writes them with Confluent's serializer: the schema registered
 * through the registry client (`@kafkajs/confluent-schema-registry`, `SchemaType.PROTOBUF`), the
 * payload encoded with protobufjs, framed as magic byte 0, schema id, message indexes, payload.
 *
 * The registry client's own Protobuf path differs from Confluent's serializer in three ways, so it
 * is used where it can be and corrected where it must be (docs/local-environment.md):
 * - `encode()` writes no message indexes: its bytes go magic, id, payload. `clientRecord` inserts
 *   the `[0]` index byte Confluent writes (the client always encodes the file's first message).
 * - it parses .proto text with protobufjs's default camelCase field names: values given to it name
 *   fields in camelCase.
 * - it cannot encode a schema that imports a well-known type (`no such Type or Enum
 *   'google.protobuf.Timestamp'`): such records are encoded with protobufjs directly
 *   (`ProtobufFixtureEncoder`), which knows the google/protobuf files, and
 *   `fixtures/protobuf/google/type/date.proto`.
 */
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import type { ScenarioContext } from '../harness/scenario-context';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'protobuf');

/**
 * Message indexes as Confluent's `MessageIndexes` writes them: `[0]` as the single byte 0, any
 * other path as a zig-zag varint count and zig-zag varint indexes. Spelled out here rather than
 * taken from the sink, so that a shared mistake cannot pass.
 */
export const MESSAGE_INDEXES = {
  first: Buffer.from([0x00]),
  /** [1]: count 1 → 0x02, index 1 → 0x02. */
  second: Buffer.from([0x02, 0x02]),
  /** [5]: count 1 → 0x02, index 5 → 0x0a. */
  sixth: Buffer.from([0x02, 0x0a]),
};

/** The text of `fixtures/protobuf/<dir>/<name>.proto`. */
export function protobufFixture(dir: string, name: string): string {
  return fs.readFileSync(path.join(FIXTURES, dir, `${name}.proto`), 'utf8');
}

/** Registers a .proto text under `subject` through the registry client; returns the schema id. */
export async function registerProtobuf(s: ScenarioContext, subject: string, schema: string): Promise<number> {
  const { id } = await s.registry.register({ type: SchemaType.PROTOBUF, schema }, { subject });
  return id;
}

/** Magic byte 0, the schema id (4 bytes, big-endian), the message indexes, the payload. */
export function confluentRecord(schemaId: number, indexes: Buffer, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, indexes, payload]);
}

/**
 * A value encoded by the registry client (`registry.encode`, fields named in the .proto's
 * spelling here and camelCased for the client), with the message-index byte Confluent's
 * serializer writes for the file's first message inserted after the header.
 */
export async function clientRecord(s: ScenarioContext, schemaId: number, value: Record<string, unknown>): Promise<Buffer> {
  const bytes = await s.registry.encode(schemaId, camelCased(value));
  return Buffer.concat([bytes.subarray(0, 5), MESSAGE_INDEXES.first, bytes.subarray(5)]);
}

function camelCased(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCased);
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [protobuf.util.camelCase(k), camelCased(v)]));
}

/**
 * Encodes fixture values as one message type of a .proto text with protobufjs (field names as
 * written in the .proto). Fixture values are JSON, read by the field's type:
 * - 64-bit integers: a JSON number within 2^53, else a string of digits; enums: the symbol name;
 * - bytes: hex; messages (the well-known Timestamp, Date and wrappers included): objects of their
 *   fields, `{}` for a message that is present with every field at its default;
 * - google.protobuf.Struct, Value, ListValue: the JSON they stand for (`null` is a Value set to
 *   null_value);
 * - a field left out is not written.
 */
export class ProtobufFixtureEncoder {
  private readonly type: protobuf.Type;

  constructor(schema: string, messageName: string) {
    const root = new protobuf.Root();
    const imports = protobuf.parse(schema, root, { keepCase: true }).imports ?? [];
    for (const file of imports) {
      const wellKnown = protobuf.common.get(file);
      if (wellKnown) root.addJSON(wellKnown.nested ?? {});
      else protobuf.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'), root, { keepCase: true });
    }
    root.resolveAll();
    this.type = root.lookupType(messageName);
  }

  payload(value: Record<string, unknown>): Buffer {
    return Buffer.from(this.type.encode(this.type.fromObject(messageObject(this.type, value))).finish());
  }
}

function messageObject(type: protobuf.Type, value: Record<string, unknown>): Record<string, unknown> {
  switch (type.fullName) {
    case '.google.protobuf.Struct':
      return structObject(value);
    case '.google.protobuf.ListValue':
      return { values: (value as unknown as unknown[]).map(valueObject) };
    case '.google.protobuf.Value':
      return valueObject(value);
  }
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    const field = type.fields[name];
    if (!field) throw new Error(`fixture value names field ${name}, which ${type.fullName.slice(1)} does not have`);
    if (field.map) out[name] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, e]) => [k, element(field, e)]));
    else if (field.repeated) out[name] = (v as unknown[]).map((e) => element(field, e));
    else out[name] = element(field, v);
  }
  return out;
}

function element(field: protobuf.Field, value: unknown): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return messageObject(resolved, value as Record<string, unknown>);
  if (field.type === 'bytes') return Buffer.from(value as string, 'hex');
  return value;
}

function structObject(json: Record<string, unknown>): Record<string, unknown> {
  return { fields: Object.fromEntries(Object.entries(json).map(([k, v]) => [k, valueObject(v)])) };
}

/** JSON → google.protobuf.Value as protobufjs's `fromObject` takes it (its copy of struct.proto names fields in camelCase). */
function valueObject(json: unknown): Record<string, unknown> {
  if (json === null) return { nullValue: 'NULL_VALUE' };
  if (typeof json === 'number') return { numberValue: json };
  if (typeof json === 'string') return { stringValue: json };
  if (typeof json === 'boolean') return { boolValue: json };
  if (Array.isArray(json)) return { listValue: { values: json.map(valueObject) } };
  return { structValue: structObject(json as Record<string, unknown>) };
}
