/**
 * One error type with a closed list of codes: the CLI maps codes to exit codes, the DLQ headers
 * carry them, and callers switch on them instead of parsing messages.
 */
export const ERROR_CODES = [
  'CONFIG_INVALID',
  'RECORD_UNDECODABLE',
  'SCHEMA_NOT_FOUND',
  'SCHEMA_INCOMPATIBLE',
  'VALUE_OUT_OF_RANGE',
  'ROW_REJECTED',
  'TABLE_MISSING',
  'EVOLUTION_DISABLED',
  'STATEMENT_REJECTED',
  'DATABEND_UNAVAILABLE',
  'KAFKA_UNAVAILABLE',
  'SCHEMA_REGISTRY_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where a record came from; every record error names it. */
export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** Errors caused by one record: tolerated (DLQ) under `errors.tolerance=all`. */
const RECORD_CODES: ReadonlySet<ErrorCode> = new Set([
  'RECORD_UNDECODABLE',
  'SCHEMA_NOT_FOUND',
  'SCHEMA_INCOMPATIBLE',
  'VALUE_OUT_OF_RANGE',
  'ROW_REJECTED',
  'EVOLUTION_DISABLED',
]);

/** Errors of the infrastructure: retried with backoff, never skipped. */
const RETRIABLE_CODES: ReadonlySet<ErrorCode> = new Set(['DATABEND_UNAVAILABLE', 'KAFKA_UNAVAILABLE', 'SCHEMA_REGISTRY_UNAVAILABLE']);

export class SinkError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly position?: RecordPosition,
    options?: { cause?: unknown },
  ) {
    super(position ? `${message} (${describePosition(position)})` : message, options);
    this.name = 'SinkError';
  }

  get isRecordError(): boolean {
    return RECORD_CODES.has(this.code);
  }

  get isRetriable(): boolean {
    return RETRIABLE_CODES.has(this.code);
  }

  /** The same error, pinned to the record it concerns. */
  at(position: RecordPosition): SinkError {
    if (this.position) return this;
    return new SinkError(this.code, this.message, position, { cause: this.cause });
  }
}

export function describePosition(p: RecordPosition): string {
  return `topic ${p.topic}, partition ${p.partition}, offset ${p.offset}`;
}
