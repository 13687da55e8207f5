import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScenarioContext } from '../harness/scenario-context';
import { caughtUp } from './caught-up';
import { avroFieldFeatures, fieldsRefused } from './avro-features';
import { avroFixture } from './avro-fixture';
import type { AvroSchema } from './avro-fixture-encoder';
import { registerAvroSchema } from './registered-avro-fixture';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');

/**
 * A type fixture, `fixtures/<format>/<name>/`: the value schema (Avro: `value.avsc`) and `cases.json`:
 * - `columns`: every column the sink must create, `name → [data_type, is_nullable]` exactly as
 *   Databend's `system.columns` reports them;
 * - `records`: `{ what, value, expected }` — `value` in the fixture conventions of
 *   `avro-fixture-encoder.ts`, `expected` each column's text as Databend renders it (a column
 *   left out is NULL). Texts are `::String`, except BINARY as lower-case `hex()`, and ARRAY and
 *   VARIANT as their JSON text (Databend orders object keys).
 * Every record needs an `id` field: rows are matched to records by it.
 */
export interface TypeFixture {
  name: string;
  columns: Record<string, [string, string]>;
  records: FixtureRecord[];
}

interface FixtureRecord {
  what: string;
  value: { id: number | string; [field: string]: unknown };
  expected: Record<string, string | null>;
}

type Row = Record<string, string | null>;

export function loadTypeFixture(name: string, format: 'avro' | 'protobuf' = 'avro'): TypeFixture {
  const cases = JSON.parse(fs.readFileSync(path.join(FIXTURES, format, name, 'cases.json'), 'utf8')) as Omit<TypeFixture, 'name'>;
  for (const record of cases.records) {
    const unknown = Object.keys(record.expected).filter((column) => !(column in cases.columns));
    if (unknown.length > 0) throw new Error(`${name}/cases.json "${record.what}": expected values for undeclared columns ${unknown.join(', ')}`);
  }
  return { name, ...cases };
}

/**
 * How an Avro type fixture lands instead of the default (insert mode, topic `values`): `overrides`
 * of the config (asked for when it lands: the endpoints are known then), the topic's name part,
 * `label` starting its tests' names, `landing` called before the records are produced and `landed`
 * with the topic once the sink has caught up. The created columns are not judged then: the
 * fixture's are insert mode's, and a keyed mode may make its key columns NOT NULL.
 */
export interface AvroLanding {
  label: string;
  overrides: () => Record<string, string>;
  topicPart: string;
  landing?: () => void;
  landed?: (topic: string) => void;
}

/**
 * Declares a scenario's tests for a type fixture: one for the created columns, one per record for
 * its exact values (an Avro fixture by name, or one loaded). The records land once, on the first
 * test that needs them: with the Avro fixture's schema by default (or as `landWith` says, an
 * `AvroLanding`), or as a `landWith` function produces them.
 *
 * A column whose Avro field uses a feature a converter may not carry (`avroFieldFeatures`: a
 * `fixed` decimal, a microsecond or local timestamp) is judged by a test of its own, type and every
 * record's value, which requires those features of the run: where the run's converter does not
 * carry one, that test is not applicable with the converter's reason, and a field whose records the
 * converter would refuse is left out of what is produced, so the other columns are still judged.
 */
export function typeFixtureTests(s: ScenarioContext, nameOrFixture: string | TypeFixture, landWith?: ((fixture: TypeFixture) => Promise<LandedFixture>) | AvroLanding): void {
  const fixture = typeof nameOrFixture === 'string' ? loadTypeFixture(nameOrFixture) : nameOrFixture;
  const produce = typeof landWith === 'function' ? landWith : undefined;
  const avro: AvroLanding = typeof landWith === 'object' ? landWith : { label: '', overrides: () => ({}), topicPart: 'values' };
  const featured = produce ? {} : avroFieldFeatures(avroFixture(fixture.name, 'value') as AvroSchema);
  const refused = fieldsRefused(featured, s.facts.avroLimits);
  const plain = (columns: Record<string, unknown>) => Object.fromEntries(Object.entries(columns).filter(([column]) => !(column in featured)));
  let landed: Promise<LandedFixture> | undefined;
  const landAvro = async (): Promise<LandedFixture> => {
    avro.landing?.();
    const result = await landTypeFixture(s, fixture, avro.overrides(), avro.topicPart, refused);
    avro.landed?.(result.topic);
    return result;
  };
  const land = (): Promise<LandedFixture> => (landed ??= produce ? produce(fixture) : landAvro());
  if (typeof landWith !== 'object') {
    s.it('creates every column with its mapped type and nullability', async () => {
      expect(plain((await land()).columns)).toEqual(plain(fixture.columns));
    });
  }
  for (const record of fixture.records) {
    s.it(`${avro.label}${record.what}: exact values`, async () => {
      const row = (await land()).rows.get(String(record.value.id));
      if (!row) throw new Error(`no row has id ${record.value.id}: the sink did not write this record (its log tail says why)`);
      expect(plain(row)).toEqual(plain(expectedRow(fixture, record)));
    });
  }
  for (const [column, features] of Object.entries(featured)) {
    s.itRequiring(features.map((f) => `avro:${f}` as const), `${avro.label}column ${column} (Avro ${features.join(', ')}): its mapped type and every record's value`, async () => {
      const { columns, rows } = await land();
      expect(columns[column]).toEqual(fixture.columns[column]);
      const values = (of: (record: FixtureRecord) => Row | undefined) => fixture.records.map((record) => [record.what, of(record)?.[column]]);
      expect(values((record) => rows.get(String(record.value.id)))).toEqual(values((record) => expectedRow(fixture, record)));
    });
  }
}

/** The row a record must become: every declared column, NULL where `expected` leaves it out. */
export function expectedRow(fixture: TypeFixture, record: FixtureRecord): Row {
  return Object.fromEntries(Object.keys(fixture.columns).map((column) => [column, record.expected[column] ?? null]));
}

export interface LandedFixture {
  columns: Record<string, [string, string]>;
  /** Rows by their `id` text. */
  rows: Map<string, Row>;
}

/**
 * Produces the fixture's records to a new topic (value schema registered under `<topic>-value`),
 * runs the sink in insert mode with auto-create until it has committed every record, and reads
 * back the table's columns and rows. `errors.tolerance=all` keeps one record the sink cannot write
 * from hiding all the others: its own test then fails, with the sink's logged reason. `overrides`
 * change the config (another write mode, another connection URL); `topicPart` names the topic;
 * `leftOut` names fields left out of the schema and the records (those the run's converter refuses).
 */
export async function landTypeFixture(s: ScenarioContext, fixture: TypeFixture, overrides: Record<string, string> = {}, topicPart = 'values', leftOut: readonly string[] = []): Promise<LandedFixture & { topic: string }> {
  const topic = await s.createTopic(topicPart);
  const schema = avroFixture(fixture.name, 'value') as { fields: { name: string }[] };
  const encode = await registerAvroSchema(s, `${topic}-value`, { ...schema, fields: schema.fields.filter((f) => !leftOut.includes(f.name)) });
  const messages = fixture.records.map((r) => ({ key: String(r.value.id), value: encode(Object.fromEntries(Object.entries(r.value).filter(([field]) => !leftOut.includes(field)))) }));
  return { topic, ...(await landMessages(s, topic, messages, { 'value.converter': 'io.confluent.connect.avro.AvroConverter', ...overrides })) };
}

/**
 * Produces `messages` (keyed by the record's `id` text) to `topic`, runs the sink on it as
 * `landTypeFixture` does (the value converter and anything else from `overrides`) and reads the
 * table back.
 */
export async function landMessages(s: ScenarioContext, topic: string, messages: { key: string; value: Buffer }[], overrides: Record<string, string>): Promise<LandedFixture> {
  await s.produce(topic, messages);
  const config = s.config({
    topics: topic,
    'auto.create': 'true',
    'insert.mode': 'insert',
    'errors.tolerance': 'all',
    'errors.log.enable': 'true',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    ...overrides,
  });
  await caughtUp(s, await s.start(config), config, topic);
  const columns = await s.columns(topic);
  if (columns.length === 0) throw new Error(`no table ${topic} in ${s.database}: the sink committed all ${messages.length} records and wrote none (its log tail says why)`);
  const names = columns.map(([name]) => name as string);
  const renderings = columns.map(([name, type]) => renderColumn(name as string, type as string));
  const rows = (await s.query(`SELECT ${renderings.map((r) => r.sql).join(', ')} FROM "${topic}"`)).map((row) => row.map((raw, i) => renderings[i].text(raw)));
  return {
    columns: Object.fromEntries(columns.map(([name, type, nullable]) => [name, [type, nullable]])),
    rows: new Map(rows.map((row) => [String(row[names.indexOf('id')]), Object.fromEntries(names.map((n, i) => [n, row[i]]))])),
  };
}

interface Rendering {
  sql: string;
  text: (raw: string | null) => string | null;
}

/**
 * Chosen by the type the sink created, so a wrong type still shows its values. A VARIANT is read
 * as its JSON text: `::String` alone would drop the quotes of a JSON string.
 */
function renderColumn(name: string, type: string): Rendering {
  const column = `"${name.replace(/"/g, '""')}"`;
  const same = (raw: string | null) => raw;
  if (type.startsWith('BINARY')) return { sql: `hex(${column})`, text: same };
  if (type.startsWith('ARRAY')) return { sql: `${column}::VARIANT::String`, text: same };
  if (type.startsWith('VARIANT')) {
    return { sql: `CASE WHEN ${column} IS NULL THEN NULL ELSE json_array(${column})::String END`, text: (raw) => (raw === null ? null : raw.slice(1, -1)) };
  }
  return { sql: `${column}::String`, text: same };
}
