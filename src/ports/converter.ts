/**
 * Converters turn a Kafka key or value into the record model (`record/schema.ts`), as Kafka
 * Connect's converters do. One is created per side (key, value) from the validated config.
 *
 * Errors are SinkErrors without a position (the caller pins topic/partition/offset with `.at()`):
 * RECORD_UNDECODABLE (bad bytes, wrong magic byte, invalid UTF-8, value not matching its schema),
 * VALUE_OUT_OF_RANGE (a number too large for its type), SCHEMA_NOT_FOUND (unknown schema id,
 * named in the message), SCHEMA_REGISTRY_UNAVAILABLE (network, timeouts, 5xx: retriable), CONFIG_INVALID
 * (the registry URL is not a registry API, or credentials are missing or rejected).
 * Messages never include record content.
 */
import type { SchemaAndValue } from '../record/schema';

export interface Converter {
  /** null bytes (a tombstone value, or no key) → null. */
  toConnectData(topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null>;
  /**
   * The same conversion without a promise, for the hot loop: `undefined` when it needs I/O first
   * (a schema id not fetched yet) — then call `toConnectData`. Throws what `toConnectData` rejects with.
   */
  tryConvert?(topic: string, bytes: Buffer | null): SchemaAndValue | null | undefined;
}
