import type { SinkError } from '../errors';
import type { RawRecord } from './record-source';

/** Where in the pipeline a record failed, with Kafka Connect's stage names. */
export type ErrorStage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'TASK_PUT';

/**
 * Kafka Connect's errant record reporter: the original key, value and headers, plus the
 * `__connect.errors.*` context headers when enabled. The exception message is the sink's own
 * message, which never carries record content or secrets.
 */
export interface DeadLetterQueue {
  report(record: RawRecord, error: SinkError, stage: ErrorStage): Promise<void>;
  close(): Promise<void>;
}
