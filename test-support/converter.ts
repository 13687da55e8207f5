/** Helpers the converter and registry tests share for reading results and failures. */
import { SinkError } from '../src/errors';
import type { Schema, SchemaAndValue, StructValue } from '../src/record/schema';

/** The error `promise` rejects with; fails the test when it resolves or rejects with anything but a SinkError. */
export async function rejection(promise: Promise<unknown>): Promise<SinkError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SinkError);
    return err as SinkError;
  }
  throw new Error('expected a rejection');
}

/** The field values of a converted STRUCT. */
export function structFields(result: SchemaAndValue | null): Record<string, unknown> {
  return (result!.value as StructValue).fields;
}

/** The schema of the converted STRUCT's field `name`. */
export function fieldSchema(result: SchemaAndValue | null, name: string): Schema {
  return result!.schema.fields!.find((f) => f.name === name)!.schema;
}
