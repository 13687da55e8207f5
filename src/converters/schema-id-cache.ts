/**
 * What a registry converter keeps per schema id: the decoder built from the registered schema,
 * fetched and built once. Concurrent first records of one id share the fetch; a failure (registry
 * down, unusable schema) is not kept, so a later record of that id tries again.
 */
import type { RegisteredSchema, SchemaSource } from './schema-registry-client';

export class SchemaIdCache<T> {
  private readonly ready = new Map<number, T>();
  private readonly loading = new Map<number, Promise<T>>();

  /** `build` throws for a schema it cannot use (wrong format, does not parse). */
  constructor(
    private readonly registry: SchemaSource,
    private readonly build: (registered: RegisteredSchema) => T,
  ) {}

  /** The decoder of a schema id already loaded, without a promise (the hot path). */
  get(id: number): T | undefined {
    return this.ready.get(id);
  }

  load(id: number): Promise<T> {
    const ready = this.ready.get(id);
    if (ready !== undefined) return Promise.resolve(ready);
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.registry.getSchema(id).then((registered) => {
        const built = this.build(registered);
        this.ready.set(id, built);
        return built;
      });
      this.loading.set(id, pending);
      pending.then(
        () => this.loading.delete(id),
        () => this.loading.delete(id),
      );
    }
    return pending;
  }
}
