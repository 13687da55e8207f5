import type { SinkError } from '../errors';
import type { Schema, SchemaType } from '../record/schema';
import type { ExistingColumn } from '../dialect/ddl';
import { evolutionPlan } from './evolution';
import { tableShape } from './table-shape';

const s = (type: SchemaType, extra: Partial<Schema> = {}): Schema => ({ type, optional: true, ...extra });
const struct = (fields: Record<string, Schema>): Schema => ({ type: 'STRUCT', optional: false, fields: Object.entries(fields).map(([name, schema]) => ({ name, schema })) });
const table = { database: 'db', table: 'orders.v1' };
const evolve = { quoting: 'always' as const, autoEvolve: true };

function errorOf(f: () => unknown): SinkError {
  try {
    f();
  } catch (err) {
    return err as SinkError;
  }
  throw new Error('expected an error');
}

describe('evolutionPlan (docs/evolution.md)', () => {
  const v1 = struct({ id: s('INT64', { optional: false }), qty: s('INT32'), price: s('FLOAT32'), note: s('STRING') });
  const existing: ExistingColumn[] = [
    { name: 'id', type: 'BIGINT', nullable: false },
    { name: 'qty', type: 'INT', nullable: true, defaultExpression: '5' },
    { name: 'price', type: 'FLOAT' },
    { name: 'note', type: 'VARCHAR' },
  ];
  const shapeOf = (value: Schema) => tableShape(null, value, { pkMode: 'record_value', pkFields: ['id'], fieldsWhitelist: [] });

  it('does nothing when the table already matches', () => {
    expect(evolutionPlan(table, existing, shapeOf(v1), evolve)).toEqual({ statements: [], added: [], widened: [] });
  });

  it('adds every new field with one statement each, nullable, with its default', () => {
    const v2 = struct({ ...Object.fromEntries(v1.fields!.map((f) => [f.name, f.schema])), added: s('STRING', { defaultValue: 'x' }), 'Req "Field"': s('INT16', { optional: false }) });
    const plan = evolutionPlan(table, existing, shapeOf(v2), evolve);
    expect(plan.statements).toEqual([
      `ALTER TABLE "db"."orders.v1" ADD COLUMN IF NOT EXISTS "added" STRING NULL DEFAULT 'x'`,
      'ALTER TABLE "db"."orders.v1" ADD COLUMN IF NOT EXISTS "Req ""Field""" SMALLINT NULL',
    ]);
    expect(plan.added).toEqual(['added', 'Req "Field"']);
  });

  it('leaves removed fields alone', () => {
    expect(evolutionPlan(table, existing, shapeOf(struct({ id: s('INT64') })), evolve).statements).toEqual([]);
  });

  it('ignores optional ↔ required changes', () => {
    expect(evolutionPlan(table, existing, shapeOf(struct({ id: s('INT64'), qty: s('INT32', { optional: false }) })), evolve).statements).toEqual([]);
    expect(evolutionPlan(table, [{ name: 'id', type: 'BIGINT' }, { name: 'qty', type: 'INT', nullable: false }], shapeOf(struct({ id: s('INT64'), qty: s('INT32') })), evolve).statements).toEqual([]);
  });

  it('widens in place, restating nullability and the default (MODIFY COLUMN drops it otherwise)', () => {
    const plan = evolutionPlan(table, existing, shapeOf(struct({ id: s('INT64'), qty: s('INT64'), price: s('FLOAT64') })), evolve);
    expect(plan.statements).toEqual([
      'ALTER TABLE "db"."orders.v1" MODIFY COLUMN "qty" BIGINT NULL DEFAULT 5',
      'ALTER TABLE "db"."orders.v1" MODIFY COLUMN "price" DOUBLE NULL',
    ]);
    expect(plan.widened).toEqual([
      { column: 'qty', from: 'INT', to: 'BIGINT' },
      { column: 'price', from: 'FLOAT', to: 'DOUBLE' },
    ]);
  });

  it('prefers the schema default over the existing one when widening', () => {
    const plan = evolutionPlan(table, existing, shapeOf(struct({ id: s('INT64'), qty: s('INT64', { defaultValue: 9n }) })), evolve);
    expect(plan.statements).toEqual(['ALTER TABLE "db"."orders.v1" MODIFY COLUMN "qty" BIGINT NULL DEFAULT 9']);
  });

  it('widens int → double, decimal precision up, and key columns (keeping NOT NULL)', () => {
    const ex: ExistingColumn[] = [
      { name: 'id', type: 'INT', nullable: false },
      { name: 'q', type: 'SMALLINT' },
      { name: 'd', type: 'DECIMAL(10, 2)' },
    ];
    const shape = shapeOf(struct({ id: s('INT64'), q: s('FLOAT64'), d: s('BYTES', { logical: { kind: 'decimal', precision: 20, scale: 2 } }) }));
    expect(evolutionPlan(table, ex, shape, evolve).statements).toEqual([
      'ALTER TABLE "db"."orders.v1" MODIFY COLUMN "id" BIGINT NOT NULL',
      'ALTER TABLE "db"."orders.v1" MODIFY COLUMN "q" DOUBLE NULL',
      'ALTER TABLE "db"."orders.v1" MODIFY COLUMN "d" DECIMAL(20, 2) NULL',
    ]);
  });

  it('accepts a narrower incoming type without change (int32 into BIGINT)', () => {
    expect(evolutionPlan(table, [{ name: 'id', type: 'BIGINT' }, { name: 'qty', type: 'BIGINT' }], shapeOf(struct({ id: s('INT64'), qty: s('INT32') })), evolve).statements).toEqual([]);
  });

  it('reports an incompatible change naming table, column, existing and new type, before planning anything', () => {
    const err = errorOf(() => evolutionPlan(table, existing, shapeOf(struct({ id: s('INT64'), added: s('STRING'), note: s('INT32') })), evolve));
    expect(err.code).toBe('SCHEMA_INCOMPATIBLE');
    expect(err.message).toBe('table db.orders.v1, column "note": existing type STRING cannot hold the record\'s INT');
  });

  it('reports a key column the existing table lacks', () => {
    const err = errorOf(() => evolutionPlan(table, [{ name: 'other', type: 'INT' }], shapeOf(v1), evolve));
    expect(err.code).toBe('SCHEMA_INCOMPATIBLE');
    expect(err.message).toMatch(/no key column "id"/);
  });

  it('with auto.evolve=false names the table and ALL missing columns', () => {
    const err = errorOf(() =>
      evolutionPlan(table, existing, shapeOf(struct({ id: s('INT64'), a: s('STRING'), b: s('INT32') })), { quoting: 'always', autoEvolve: false }),
    );
    expect(err.code).toBe('EVOLUTION_DISABLED');
    expect(err.message).toBe('table db.orders.v1 needs missing columns "a" STRING, "b" INT, and auto.evolve is false');
    expect(err.isRecordError).toBe(true);
  });

  it('with auto.evolve=false also refuses a needed widening', () => {
    const err = errorOf(() => evolutionPlan(table, existing, shapeOf(struct({ id: s('INT64'), qty: s('INT64') })), { quoting: 'always', autoEvolve: false }));
    expect(err.code).toBe('EVOLUTION_DISABLED');
    expect(err.message).toMatch(/too narrow: "qty" INT → BIGINT/);
  });

  it('matches columns as Databend stores them: exact case when quoted, folded when bare', () => {
    const shape = shapeOf(struct({ id: s('INT64'), OrderId: s('INT64') }));
    expect(evolutionPlan(table, [{ name: 'id', type: 'BIGINT' }, { name: 'orderid', type: 'BIGINT' }], shape, { quoting: 'never', autoEvolve: true }).statements).toEqual([]);
    expect(evolutionPlan(table, [{ name: 'id', type: 'BIGINT' }, { name: 'orderid', type: 'BIGINT' }], shape, evolve).added).toEqual(['OrderId']);
  });

  it('accepts already parsed types and information_schema spellings', () => {
    const ex: ExistingColumn[] = [
      { name: 'id', type: { kind: 'BIGINT' } },
      { name: 'tags', type: 'array(string)' },
      { name: 'd', type: 'Nullable(Decimal(10, 2))' },
    ];
    const shape = shapeOf(struct({ id: s('INT64'), tags: s('ARRAY', { items: s('STRING') }), d: s('BYTES', { logical: { kind: 'decimal', precision: 10, scale: 2 } }) }));
    expect(evolutionPlan(table, ex, shape, evolve).statements).toEqual([]);
  });
});

describe('regression: with quote.sql.identifiers=never, fields Id and id stopped the sink on every restart (issue 13, point 4)', () => {
  const shape = tableShape(null, struct({ Id: s('INT64'), id: s('INT64'), name: s('STRING') }), { pkMode: 'none', pkFields: [], fieldsWhitelist: [] });

  it('evolving an existing table for them', () => {
    const existing: ExistingColumn[] = [{ name: 'id', type: 'BIGINT' }, { name: 'name', type: 'VARCHAR' }];
    expect(errorOf(() => evolutionPlan(table, existing, shape, { quoting: 'never', autoEvolve: true })).code).toBe('SCHEMA_INCOMPATIBLE');
  });

});
