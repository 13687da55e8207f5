import { SchemaType } from '@kafkajs/confluent-schema-registry';
import type { Message } from 'kafkajs';
import { scenario } from '../harness/scenario';
import type { ScenarioContext } from '../harness/scenario-context';
import { caughtUp } from '../support/caught-up';
import { jsonFixture, jsonFixtureLines } from '../support/json-fixture';

const fixture = (name: string) => jsonFixture('json.envelope', name);
const fixtureLines = (name: string) => jsonFixtureLines('json.envelope', name);

/**
 * The same three readings, once as Kafka Connect JSON envelopes and once as JSON Schema records:
 * both must become these columns (sink.md §2) and these rows.
 */
const COLUMNS = [
  ['amount', 'DECIMAL(10, 2)', 'YES'],
  ['at', 'TIMESTAMP', 'YES'],
  ['blob', 'BINARY', 'YES'],
  ['day', 'DATE', 'YES'],
  ['f32', 'FLOAT', 'YES'],
  ['f64', 'DOUBLE', 'YES'],
  ['flag', 'BOOLEAN', 'YES'],
  ['i16', 'SMALLINT', 'YES'],
  ['i32', 'INT', 'YES'],
  ['i64', 'BIGINT', 'YES'],
  ['i8', 'TINYINT', 'YES'],
  ['id', 'BIGINT', 'YES'],
  ['label', 'VARCHAR', 'YES'],
  ['level', 'INT', 'YES'],
  ['place', 'VARIANT', 'YES'],
  ['tod', 'VARCHAR', 'YES'],
];

const ROWS_SQL = (table: string) =>
  `SELECT id::String, i8::String, i16::String, i32::String, i64::String, f32::String, f64::String, flag::String, label, hex(blob), amount::String, day::String, at::String, tod, level::String, place::String FROM "${table}" ORDER BY id`;

const ROWS = [
  ['1', '-128', '32767', '-2147483648', '9223372036854775807', '3.25', '0.1', 'true', 'Zürich 😀', '00ff10', '-123.45', '2022-01-08', '2023-11-14 22:13:20.123000', '12:34:56.789000', '1', '{"city":"Zürich","zip":8001}'],
  // Optional fields null; `level` absent: its schema default.
  ['2', '127', '-32768', '2147483647', '-9223372036854775808', '-0.5', '123456.789', 'false', null, null, null, null, null, null, '7', null],
  // The empty string is not NULL; pre-1970 date and timestamp; int64 beyond 2^53; `level` null: its default.
  ['3', '0', '0', '0', '9007199254740993', '0', '-0.0025', 'true', '', '00', '0.00', '1969-12-31', '1969-12-31 23:59:59.999000', '00:00:00.000000', '7', '{"city":"Bern","zip":null}'],
];

/** Confluent's wire format around JSON text: magic byte 0, the schema id (4 bytes, big-endian), the text. */
function jsonSchemaWire(schemaId: number, text: string): Buffer {
  const message = Buffer.alloc(5 + Buffer.byteLength(text, 'utf8'));
  message.writeInt32BE(schemaId, 1);
  message.write(text, 5, 'utf8');
  return message;
}

/** Runs the sink in insert mode on `messages` until it has committed them all; checks columns and rows. */
async function expectReadings(s: ScenarioContext, topic: string, messages: Message[], valueConverter: Record<string, string>): Promise<void> {
  await s.produce(topic, messages);
  const config = s.config({
    topics: topic,
    'insert.mode': 'insert',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    ...valueConverter,
  });
  await caughtUp(s, await s.start(config), config, topic);
  expect(await s.columns(topic)).toEqual(COLUMNS);
  expect(await s.query(ROWS_SQL(topic))).toEqual(ROWS);
  // sink.md §2: a schema default becomes the column DEFAULT.
  const [[levelDefault]] = await s.query(`SELECT default_expression FROM system.columns WHERE database = '${s.database}' AND table = '${topic}' AND name = 'level'`);
  expect(levelDefault).toBe('7');
}

/**
 * Kafka Connect's JsonConverter with schemas.enable=true: every record carries its Connect schema
 * (int8…int64, float32/64, boolean, string, bytes, Decimal as base64 bytes, Date, Timestamp, Time,
 * a default, an optional nested struct) in a {"schema","payload"} envelope, and the table gets typed
 * columns and exact values. The same readings through Confluent's JsonSchemaConverter (schema in
 * the registry) give the same table, where the sink and the run offer that converter. A
 * Connect-JSON struct key drives a record_key upsert.
 */
scenario('json.envelope', (s) => {
  s.it('JsonConverter envelopes → typed columns and exact values', async () => {
    const topic = await s.createTopic('envelope');
    const schema = JSON.stringify(JSON.parse(fixture('connect-value-schema.json')));
    const messages = fixtureLines('connect-values.jsonl').map((payload, i) => ({ key: String(i + 1), value: `{"schema":${schema},"payload":${payload}}` }));
    await expectReadings(s, topic, messages, {
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'true',
    });
  });

  s.itRequiring(['converter:json-schema'], 'JSON Schema via the Schema Registry → typed columns', async () => {
    const topic = await s.createTopic('jsonschema');
    const { id } = await s.registry.register({ type: SchemaType.JSON, schema: fixture('json-schema.json') }, { subject: `${topic}-value` });
    const messages = fixtureLines('json-schema-values.jsonl').map((payload, i) => ({ key: String(i + 1), value: jsonSchemaWire(id, payload) }));
    await expectReadings(s, topic, messages, { 'value.converter': 'io.confluent.connect.json.JsonSchemaConverter' });
  });

  s.itRequiring(['mode:upsert', 'pk:record_key'], 'a JsonConverter struct key upserts by record_key: one row per key, last value wins', async () => {
    const topic = await s.createTopic('keyed');
    const keySchema = '{"type":"struct","optional":false,"fields":[{"field":"id","type":"int64","optional":false}]}';
    const valueSchema = '{"type":"struct","optional":false,"fields":[{"field":"name","type":"string","optional":true}]}';
    const record = (id: string, name: string) => ({
      key: `{"schema":${keySchema},"payload":{"id":${id}}}`,
      value: `{"schema":${valueSchema},"payload":{"name":"${name}"}}`,
    });
    await s.produce(topic, [record('9007199254740993', 'first'), record('1', 'one'), record('9007199254740993', 'last')]);
    await s.start(
      s.config({
        topics: topic,
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'pk.fields': 'id',
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'key.converter.schemas.enable': 'true',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'true',
      }),
    );
    await s.eventuallyRows(`SELECT id::String, name FROM "${topic}" ORDER BY id`, (rows) =>
      expect(rows).toEqual([
        ['1', 'one'],
        ['9007199254740993', 'last'],
      ]),
    );
    expect(await s.columns(topic)).toEqual([
      ['id', 'BIGINT', 'NO'],
      ['name', 'VARCHAR', 'YES'],
    ]);
  });
});
