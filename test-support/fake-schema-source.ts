/**
 * An in-process schema registry for tests: register schemas, look them up by id, switch it
 * "down", count lookups. Behaves like SchemaRegistryClient towards the converters.
 */
import { registryUnavailable, schemaNotFound } from '../src/converters/converter-errors';
import type { ReferencedSchema, RegisteredSchema, SchemaFormat, SchemaSource } from '../src/converters/schema-registry-client';

export class FakeSchemaSource implements SchemaSource {
  /** When true, every lookup fails as an unreachable registry does. */
  down = false;
  readonly lookups = new Map<number, number>();
  private readonly schemas = new Map<number, RegisteredSchema>();
  private nextId = 1;

  register(schema: string | object, format: SchemaFormat = 'AVRO', options: { id?: number; references?: ReferencedSchema[] } = {}): number {
    const id = options.id ?? this.nextId++;
    this.schemas.set(id, { id, format, schema: typeof schema === 'string' ? schema : JSON.stringify(schema), references: options.references ?? [] });
    return id;
  }

  async getSchema(id: number): Promise<RegisteredSchema> {
    this.lookups.set(id, (this.lookups.get(id) ?? 0) + 1);
    await Promise.resolve();
    if (this.down) throw registryUnavailable(`schema registry fake failed while fetching schema id ${id}: connect ECONNREFUSED`);
    const found = this.schemas.get(id);
    if (!found) throw schemaNotFound(id);
    return found;
  }

  lookupCount(id: number): number {
    return this.lookups.get(id) ?? 0;
  }
}
