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
}
