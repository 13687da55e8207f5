/**
 * The SinkErrors a converter throws. None carries a record position (the caller pins topic,
 * partition and offset with `.at()`), and no message ever quotes record content: only schema ids,
 * field paths and the kind of defect.
 */
import { SinkError } from '../errors';

/** Bytes that cannot be read as the configured format, or a value that does not fit its schema. */
export function undecodable(message: string): SinkError {
  return new SinkError('RECORD_UNDECODABLE', message);
}

/** A number that does not fit the schema's type (e.g. 300 for INT8, 2^64 for INT64). */
export function outOfRange(message: string): SinkError {
  return new SinkError('VALUE_OUT_OF_RANGE', message);
}

export function schemaNotFound(schemaId: number): SinkError {
  return new SinkError('SCHEMA_NOT_FOUND', `schema id ${schemaId} not found in the schema registry`);
}

export function registryUnavailable(message: string): SinkError {
  return new SinkError('SCHEMA_REGISTRY_UNAVAILABLE', message);
}

/** `$.a.b[]`-style path of a field inside a value, for messages. */
export function fieldPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}
