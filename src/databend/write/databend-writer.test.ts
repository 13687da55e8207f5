import { databendWriterOptions } from '../../config/sink-config';
import pino from 'pino';
import type { InsertMode } from '../../planner/planner-options';
import { validateConfig } from '../../config/validate-config';
import { SinkError } from '../../errors';
import type { SinkRecord } from '../../record/sink-record';
import { DatabendQueryError, type DatabendSession } from '../databend-connection';
import { DatabendWriter } from './databend-writer';
import { CURRENT_SERVER, LEGACY_SERVER, RecordingSession } from '../../../test-support/recording-session';

const COLUMNS = [
  ['id', 'BIGINT', 'NO', null],
  ['name', 'VARCHAR', 'YES', null],
];

function writer(session: DatabendSession | DatabendSession[], mode: InsertMode): DatabendWriter {
  const { config } = validateConfig({
    name: 'writer-test',
    'connection.url': 'jdbc:databend://localhost:8000',
    'bootstrap.servers': 'localhost:9092',
    topics: 't',
    'insert.mode': mode,
    'pk.mode': 'record_value',
    'pk.fields': 'id',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
  });
  if (!config) throw new Error('the test config must be valid');
  return new DatabendWriter(Array.isArray(session) ? session : [session], databendWriterOptions(config), pino({ level: 'silent' }));
}

const record = (offset: number, id: number, name: string): SinkRecord => ({
  topic: 't',
  partition: 0,
  offset: String(offset),
  timestamp: '0',
  key: null,
  value: {
    schema: { type: 'STRUCT', optional: false, fields: [{ name: 'id', schema: { type: 'INT64', optional: false } }, { name: 'name', schema: { type: 'STRING', optional: true } }] },
    value: { kind: 'struct', fields: { id: BigInt(id), name } },
  },
});
const batch = [record(0, 1, 'a'), record(1, 2, 'b'), record(2, 1, 'c')];
const scratchless = (statements: string[]) => statements.map((sql) => sql.replace(/__databend_sink_(upsert|update)_\d+_\d+_\d+/g, 'scratch'));

describe('write path per server (databend-driver loads by stage attachment up to 1.2.781, by INSERT … FROM @~ above)', () => {
  test('insert: one stage load of INSERT … VALUES on either server', async () => {
    for (const server of [CURRENT_SERVER, LEGACY_SERVER]) {
      const session = new RecordingSession(COLUMNS, server);
      expect(await writer(session, 'insert').write(batch)).toEqual([]);
      expect(session.statements).toEqual(['INSERT INTO "t" ("id", "name") VALUES <csv> "1","a"\n"2","b"\n"1","c"\n']);
    }
  });

  test('upsert on a current server: the rows are loaded into a scratch table, then REPLACE … SELECT (servers refuse REPLACE … FROM @stage)', async () => {
    const session = new RecordingSession(COLUMNS, CURRENT_SERVER);
    expect(await writer(session, 'upsert').write(batch)).toEqual([]);
    expect(scratchless(session.statements)).toEqual([
      'CREATE TABLE "scratch" AS SELECT "id", "name" FROM "t" WHERE 1 = 0',
      'INSERT INTO "scratch" ("id", "name") VALUES <csv> "2","b"\n"1","c"\n',
      'REPLACE INTO "t" ("id", "name") ON ("id") SELECT "id", "name" FROM "scratch"',
      'DROP TABLE IF EXISTS "scratch"',
    ]);
  });

  test('upsert on an old server: REPLACE … VALUES with the rows as a stage attachment', async () => {
    const session = new RecordingSession(COLUMNS, LEGACY_SERVER);
    expect(await writer(session, 'upsert').write(batch)).toEqual([]);
    expect(session.statements).toEqual(['REPLACE INTO "t" ("id", "name") ON ("id") VALUES <csv> "2","b"\n"1","c"\n']);
  });

  test('concurrent upserts of one process (tasks.max > 1) get scratch tables of their own', async () => {
    const sessions = [new RecordingSession(COLUMNS, CURRENT_SERVER), new RecordingSession(COLUMNS, CURRENT_SERVER)];
    const w = writer(sessions, 'upsert');
    await Promise.all([w.write(batch), w.write(batch)]);
    const created = sessions.flatMap((s) => s.statements.filter((sql) => sql.startsWith('CREATE TABLE')));
    expect(created).toHaveLength(2);
    expect(new Set(created).size).toBe(2);
  });

  test('the scratch table is dropped when the REPLACE fails', async () => {
    const session = new RecordingSession(COLUMNS, CURRENT_SERVER);
    session.rejectWhen = /^REPLACE/;
    session.rejection = new DatabendQueryError(1063, 'statement failed: [1063]Permission denied: privilege [Insert] is required');
    await expect(writer(session, 'upsert').write(batch)).rejects.toThrow(SinkError);
    expect(scratchless(session.statements).at(-1)).toBe('DROP TABLE IF EXISTS "scratch"');
  });
});

describe('rejections: a value Databend refuses is the record’s; a statement it refuses is not', () => {
  test('a value rejection ([1046] BadBytes) is isolated to its record; the others are written once', async () => {
    const session = new RecordingSession(COLUMNS, CURRENT_SERVER);
    session.rejectWhen = /"b"/;
    session.rejection = new DatabendQueryError(1046, "stage load failed: [1046]Invalid value 'b' for column 1 (name String NULL)");
    const failures = await writer(session, 'insert').write(batch);
    expect(failures.map((f) => [f.record.offset, f.error.code])).toEqual([['1', 'ROW_REJECTED']]);
    expect(session.statements).toEqual(['INSERT INTO "t" ("id", "name") VALUES <csv> "1","a"\n', 'INSERT INTO "t" ("id", "name") VALUES <csv> "1","c"\n']);
  });

  test('a statement rejection ([1002] Unimplemented) stops the sink naming the statement, the table and the server version; no record is rejected', async () => {
    const session = new RecordingSession(COLUMNS, LEGACY_SERVER);
    session.rejectWhen = /^REPLACE/;
    session.rejection = new DatabendQueryError(1002, 'stage load failed: [1002]Replace with streaming load not supported yet.');
    const err = await writer(session, 'upsert').write(batch).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SinkError);
    expect(err).toMatchObject({
      code: 'STATEMENT_REJECTED',
      message: 'Databend 1.2.780-nightly-ab12cd34 refused the REPLACE by stage load (stage attachment) into default.t: stage load failed: [1002]Replace with streaming load not supported yet.',
    });
    expect((err as SinkError).isRecordError).toBe(false);
    expect((err as SinkError).isRetriable).toBe(false);
  });

  test('an error without a Databend code is not blamed on a record either', async () => {
    const session = new RecordingSession(COLUMNS, CURRENT_SERVER);
    session.rejectWhen = /^INSERT/;
    session.rejection = new DatabendQueryError(null, 'stage load failed: Decode error: fail to decode JSON response');
    await expect(writer(session, 'insert').write(batch)).rejects.toMatchObject({ code: 'STATEMENT_REJECTED' });
  });
});
