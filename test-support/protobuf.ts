/** Encoding Protobuf test data with protobufjs's writer, in Confluent's wire format. */
import * as protobuf from 'protobufjs';
import { encodeMessageIndexes } from '../src/converters/protobuf-wire-format';
import { encodeWireFormat } from '../src/converters/wire-format';

/**
 * The message type `name` of a .proto text (field names as written), with protobufjs's copies of
 * the google/protobuf files it imports and the texts of `others` (imported files) in the same root.
 */
export function protoType(text: string, name: string, others: string[] = []): protobuf.Type {
  const root = new protobuf.Root();
  const imports = new Set<string>();
  for (const source of [...others, text]) for (const file of protobuf.parse(source, root, { keepCase: true }).imports ?? []) imports.add(file);
  for (const file of imports) {
    const wellKnown = protobuf.common.get(file);
    if (wellKnown) root.addJSON(wellKnown.nested ?? {});
  }
  root.resolveAll();
  return root.lookupType(name);
}

/** `value` as protobufjs's `fromObject` takes it (64-bit integers as digit strings), in Confluent's wire format. */
export function encodeProtobuf(schemaId: number, type: protobuf.Type, value: Record<string, unknown>, indexes: number[] = [0]): Buffer {
  const payload = Buffer.from(type.encode(type.fromObject(value)).finish());
  return encodeWireFormat(schemaId, Buffer.concat([encodeMessageIndexes(indexes), payload]));
}
