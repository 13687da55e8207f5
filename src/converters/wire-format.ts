/**
 * Confluent's schema-registry wire format: magic byte 0, a 4-byte big-endian schema id, then the
 * payload (Avro binary, JSON text, …).
 */
import { undecodable } from './converter-errors';

export const WIRE_HEADER_LENGTH = 5;
const MAGIC_BYTE = 0;

/** The schema id of a wire-format message; throws RECORD_UNDECODABLE for anything else. */
export function readSchemaId(bytes: Buffer, format: string): number {
  if (bytes.length < WIRE_HEADER_LENGTH) {
    throw undecodable(`${format} data is ${bytes.length} bytes, shorter than the ${WIRE_HEADER_LENGTH}-byte schema registry header`);
  }
  if (bytes[0] !== MAGIC_BYTE) {
    throw undecodable(`${format} data starts with magic byte ${bytes[0]}, expected ${MAGIC_BYTE} (not schema registry wire format)`);
  }
  return bytes.readUInt32BE(1);
}

/** Builds a wire-format message (tests and tools). */
export function encodeWireFormat(schemaId: number, payload: Buffer): Buffer {
  const message = Buffer.alloc(WIRE_HEADER_LENGTH + payload.length);
  message[0] = MAGIC_BYTE;
  message.writeUInt32BE(schemaId, 1);
  message.set(payload as unknown as Uint8Array, WIRE_HEADER_LENGTH);
  return message;
}
