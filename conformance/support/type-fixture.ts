import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScenarioContext } from '../harness/scenario-context';
import { AvroFixtureEncoder, type AvroSchema } from './avro-fixture-encoder';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'avro');

/**
 * A type fixture, `fixtures/avro/<name>/`: the Avro value schema (`value.avsc`) and `cases.json`:
 * - `columns`: every column the sink must create, `name → [data_type, is_nullable]` exactly as
 *   Databend's `system.columns` reports them;
 * - `records`: `{ what, value, expected }` — `value` in the fixture conventions of
 *   `avro-fixture-encoder.ts`, `expected` each column's text as Databend renders it (a column
 *   left out is NULL). Texts are `::String`, except BINARY as lower-case `hex()` and ARRAY as its
 *   JSON (`::VARIANT::String`), since Databend casts neither to a string directly.
 * Every record needs an `id` field: rows are matched to records by it.
 */
export interface TypeFixture {
  schema: AvroSchema;
  columns: Record<string, [string, string]>;
  records: FixtureRecord[];
}

export interface FixtureRecord {
  what: string;
  value: { id: number | string; [field: string]: unknown };
  expected: Record<string, string | null>;
}

export type Row = Record<string, string | null>;

function loadTypeFixture(name: string): TypeFixture {
  const dir = path.join(FIXTURES, name);
  const schema = JSON.parse(fs.readFileSync(path.join(dir, 'value.avsc'), 'utf8')) as AvroSchema;
  const cases = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8')) as Omit<TypeFixture, 'schema'>;
  for (const record of cases.records) {
    const unknown = Object.keys(record.expected).filter((column) => !(column in cases.columns));
    if (unknown.length > 0) throw new Error(`${name}/cases.json "${record.what}": expected values for undeclared columns ${unknown.join(', ')}`);
  }
  return { schema, ...cases };
}

/**
 * Declares a scenario's tests for a type fixture: one for the created columns, one per record for
 * its exact values. The records land once, on the first test that needs them.
 */
export function typeFixtureTests(s: ScenarioContext, name: string): void {
  const fixture = loadTypeFixture(name);
  let landed: Promise<LandedFixture> | undefined;
  const land = (): Promise<LandedFixture> => (landed ??= landTypeFixture(s, fixture));
  s.it('creates every column with its mapped type and nullability', async () => {
    expect((await land()).columns).toEqual(fixture.columns);
  });
  for (const record of fixture.records) {
    s.it(`${record.what}: exact values`, async () => {
      expect((await land()).rows.get(String(record.value.id))).toEqual(expectedRow(fixture, record));
    });
  }
}

/** The row a record must become: every declared column, NULL where `expected` leaves it out. */
function expectedRow(fixture: TypeFixture, record: FixtureRecord): Row {
  return Object.fromEntries(Object.keys(fixture.columns).map((column) => [column, record.expected[column] ?? null]));
}

interface LandedFixture {
  columns: Record<string, [string, string]>;
  /** Rows by their `id` text. */
  rows: Map<string, Row>;
}

/**
 * Produces the fixture's records to a new topic (value schema registered under `<topic>-value`),
 * runs the sink in insert mode with auto-create until every record is a row, and reads back the
 * table's columns and rows.
 */
async function landTypeFixture(s: ScenarioContext, fixture: TypeFixture): Promise<LandedFixture> {
  const topic = await s.createTopic('values');
  const schemaId = await s.registerAvro(`${topic}-value`, fixture.schema as object);
  const encoder = new AvroFixtureEncoder(fixture.schema);
  await s.produce(
    topic,
    fixture.records.map((r) => ({ key: String(r.value.id), value: encoder.wire(schemaId, r.value) })),
  );
  await s.start(
    s.config({
      topics: topic,
      'auto.create': 'true',
      'insert.mode': 'insert',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
    }),
  );
  await s.eventuallyRows(`SELECT count(*)::String FROM "${topic}"`, (rows) => expect(rows).toEqual([[String(fixture.records.length)]]));
  const columns = await s.columns(topic);
  const names = columns.map(([name]) => name as string);
  const texts = columns.map(([name, type]) => renderColumn(name as string, type as string));
  const rows = await s.query(`SELECT ${texts.join(', ')} FROM "${topic}"`);
  return {
    columns: Object.fromEntries(columns.map(([name, type, nullable]) => [name, [type, nullable]])),
    rows: new Map(rows.map((row) => [String(row[names.indexOf('id')]), Object.fromEntries(names.map((n, i) => [n, row[i]]))])),
  };
}

/** Chosen by the type the sink created, so a wrong type still shows its values. */
function renderColumn(name: string, type: string): string {
  const column = `"${name.replace(/"/g, '""')}"`;
  if (type.startsWith('BINARY')) return `hex(${column})`;
  if (type.startsWith('ARRAY')) return `${column}::VARIANT::String`;
  return `${column}::String`;
}
