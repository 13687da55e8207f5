import type { RecordPosition } from '../errors';
import type { SchemaAndValue } from './schema';

/** A Kafka record after its key and value went through the converters. */
export interface SinkRecord extends RecordPosition {
  /** Kafka record timestamp, ms since the epoch. */
  timestamp: string;
  /** null when the record has no key. */
  key: SchemaAndValue | null;
  /** null for a tombstone. */
  value: SchemaAndValue | null;
  /**
   * The record's row, already encoded by the host for the table shape `shape`: the Kafka Connect
   * plugin's Java side encodes the common column types itself (src/connect/row-programs.ts), and
   * the planner takes these field texts instead of encoding the value, once it has checked that they
   * were encoded for the very shape it planned the record with.
   */
  encoded?: { shape: object; fields: (string | null)[] };
}
