import { databendWriterOptions } from '../../config/sink-config';
import pino from 'pino';
import type { InsertMode } from '../../planner/planner-options';
import { validateConfig } from '../../config/validate-config';
import type { Schema, Value } from '../../record/schema';
import type { SinkRecord } from '../../record/sink-record';
import type { DatabendSession } from '../databend-connection';
import { DatabendWriter } from './databend-writer';
import { LEGACY_SERVER, RecordingSession } from '../../../test-support/recording-session';

/**
 * Regression: an empty BYTES value (not null) was refused with VALUE_OUT_OF_RANGE, because the CSV
 * stage load reads `""` in a BINARY field as NULL. Rows holding one are now written as escaped SQL
 * literals in one `INSERT/REPLACE … VALUES (…)` statement per operation (update: into the scratch
 * table); the other rows still go through the stage load. See src/planner/empty-binary-was-refused.test.ts.
 */
const COLUMNS = [
  ['id', 'BIGINT', 'NO', null],
  ['blob', 'BINARY', 'YES', null],
];

function writer(session: DatabendSession, mode: InsertMode): DatabendWriter {
  const { config } = validateConfig({
    name: 'empty-binary',
    'connection.url': 'jdbc:databend://localhost:8000',
    'bootstrap.servers': 'localhost:9092',
    topics: 't',
    'insert.mode': mode,
    'pk.mode': 'record_key',
    'pk.fields': 'id',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  });
  if (!config) throw new Error('the test config must be valid');
  return new DatabendWriter([session], databendWriterOptions(config), pino({ level: 'silent' }));
}

const KEY: Schema = { type: 'INT64', optional: false };
const VALUE: Schema = { type: 'STRUCT', optional: false, fields: [{ name: 'blob', schema: { type: 'BYTES', optional: true } }] };
const record = (offset: number, id: bigint, blob: Buffer | null): SinkRecord => ({
  topic: 't',
  partition: 0,
  offset: String(offset),
  timestamp: '0',
  key: { schema: KEY, value: id },
  value: { schema: VALUE, value: { kind: 'struct', fields: { blob } as Record<string, Value> } },
});
const batch = [record(0, 1n, Buffer.alloc(0)), record(1, 2n, Buffer.from([0xab])), record(2, 3n, Buffer.alloc(0))];

test('insert: the rows with an empty binary as one INSERT … VALUES, the others through the stage load', async () => {
  const session = new RecordingSession(COLUMNS);
  expect(await writer(session, 'insert').write(batch)).toEqual([]);
  expect(session.statements).toEqual(['INSERT INTO "t" ("id", "blob") VALUES (1, FROM_HEX(\'\')), (3, FROM_HEX(\'\'))', 'INSERT INTO "t" ("id", "blob") VALUES <csv> "2","ab"\n']);
});

test('upsert: REPLACE … ON (keys) VALUES with literals; the CSV rows through a scratch table on a current server', async () => {
  const session = new RecordingSession(COLUMNS);
  expect(await writer(session, 'upsert').write(batch)).toEqual([]);
  expect(session.statements.map((sql) => sql.replace(/__databend_sink_upsert_\d+_\d+_\d+/g, 'scratch'))).toEqual([
    'REPLACE INTO "t" ("id", "blob") ON ("id") VALUES (1, FROM_HEX(\'\')), (3, FROM_HEX(\'\'))',
    'CREATE TABLE "scratch" AS SELECT "id", "blob" FROM "t" WHERE 1 = 0',
    'INSERT INTO "scratch" ("id", "blob") VALUES <csv> "2","ab"\n',
    'REPLACE INTO "t" ("id", "blob") ON ("id") SELECT "id", "blob" FROM "scratch"',
    'DROP TABLE IF EXISTS "scratch"',
  ]);
});

test('upsert on a server that takes stage attachments (≤ 1.2.781): REPLACE … VALUES loads straight into the table', async () => {
  const session = new RecordingSession(COLUMNS, LEGACY_SERVER);
  expect(await writer(session, 'upsert').write(batch)).toEqual([]);
  expect(session.statements).toEqual([
    'REPLACE INTO "t" ("id", "blob") ON ("id") VALUES (1, FROM_HEX(\'\')), (3, FROM_HEX(\'\'))',
    'REPLACE INTO "t" ("id", "blob") ON ("id") VALUES <csv> "2","ab"\n',
  ]);
});

test('update: the literals go into the scratch table, then MERGE', async () => {
  const session = new RecordingSession(COLUMNS);
  expect(await writer(session, 'update').write([batch[0]])).toEqual([]);
  expect(session.statements.map((sql) => sql.replace(/__databend_sink_update_\d+_\d+_\d+/g, 'scratch'))).toEqual([
    'CREATE TABLE "scratch" AS SELECT "id", "blob" FROM "t" WHERE 1 = 0',
    'INSERT INTO "scratch" ("id", "blob") VALUES (1, FROM_HEX(\'\'))',
    'MERGE INTO "t" AS t USING (SELECT * FROM "scratch") AS s ON t."id" = s."id" WHEN MATCHED THEN UPDATE SET "blob" = s."blob"',
    'DROP TABLE IF EXISTS "scratch"',
  ]);
});

test('a rejected VALUES statement is split until the rejected record is found; the others are written once', async () => {
  const session = new RecordingSession(COLUMNS);
  session.rejectWhen = /VALUES .*\(3, /;
  const failures = await writer(session, 'insert').write(batch);
  expect(failures.map((f) => [f.record.offset, f.error.code])).toEqual([['2', 'ROW_REJECTED']]);
  expect(session.statements.filter((sql) => sql.includes('FROM_HEX'))).toEqual(['INSERT INTO "t" ("id", "blob") VALUES (1, FROM_HEX(\'\'))']);
});
