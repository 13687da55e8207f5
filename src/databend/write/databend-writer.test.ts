import { databendWriterOptions } from '../../config/sink-config';
import pino from 'pino';
import type { InsertMode } from '../../planner/planner-options';
import { validateConfig } from '../../config/validate-config';
import { SinkError } from '../../errors';
import type { SinkRecord } from '../../record/sink-record';
import { DatabendQueryError, type DatabendSession } from '../databend-session';
import { DatabendWriter } from './databend-writer';
import { CURRENT_SERVER, LEGACY_SERVER, RecordingSession } from '../../../test-support/recording-session';
import type { Schema, Value } from '../../record/schema';
import { ConnectJsonConverter } from '../../converters/connect-json-converter';

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

describe('regression: an empty BINARY was refused', () => {
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
});

describe('regression: a NULL for a NOT NULL VARCHAR column was stored as backslash-N', () => {
/**
 * Regression: a NULL for a `VARCHAR NOT NULL` column of a user-made table reached the CSV stage load
 * as `\N` and was stored as that text. The writer now checks each operation against the columns it
 * read from system.columns and refuses the record (VALUE_OUT_OF_RANGE, pinned to topic/partition/
 * offset) before anything is loaded; under tolerance=none nothing from that record on is written.
 * See src/planner/null-into-not-null-varchar-stored-as-backslash-n.test.ts for the rules.
 */
const COLUMNS = [
  ['id', 'BIGINT', 'YES', ''],
  ['name', 'VARCHAR', 'NO', ''],
  ['qty', 'BIGINT', 'NO', ''],
];

function writer(session: DatabendSession): DatabendWriter {
  const { config } = validateConfig({
    name: 'not-null',
    'connection.url': 'jdbc:databend://localhost:8000',
    'bootstrap.servers': 'localhost:9092',
    topics: 'readings',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  });
  if (!config) throw new Error('the test config must be valid');
  return new DatabendWriter([session], databendWriterOptions(config), pino({ level: 'silent' }));
}

async function records(...values: string[]): Promise<SinkRecord[]> {
  const converter = new ConnectJsonConverter(false);
  const out: SinkRecord[] = [];
  for (const [offset, json] of values.entries()) {
    out.push({ topic: 'readings', partition: 0, offset: String(offset), timestamp: '0', key: null, value: await converter.toConnectData('readings', Buffer.from(json)) });
  }
  return out;
}

const batch = () => records('{"id":1,"name":"a","qty":1}', '{"id":2,"name":null,"qty":2}', '{"id":3,"name":"c","qty":3}');

test('the NULL is refused before loading, naming column and record; the other rows are loaded once', async () => {
  const session = new RecordingSession(COLUMNS);
  const failures = await writer(session).write(await batch());
  expect(failures.map((f) => [f.record.offset, f.error.code, f.error.message])).toEqual([
    ['1', 'VALUE_OUT_OF_RANGE', `table default.readings, column "name" is NOT NULL but the record's value is null (topic readings, partition 0, offset 1)`],
  ]);
  expect(session.statements).toEqual(['INSERT INTO "readings" ("id", "name", "qty") VALUES <csv> "1","a","1"\n"3","c","3"\n']);
});

test('tolerance=none: only the records before the refused one are written', async () => {
  const session = new RecordingSession(COLUMNS);
  const failures = await writer(session).write(await batch(), { stopAtFirstFailure: true });
  expect(failures.map((f) => f.record.offset)).toEqual(['1']);
  expect(session.statements).toEqual(['INSERT INTO "readings" ("id", "name", "qty") VALUES <csv> "1","a","1"\n']);
});
});

describe('regression: a record without a typed member was inserted with no columns', () => {
/**
 * Regression: schemaless `{}` and `{"a":null}` into an existing table became `INSERT INTO t () VALUES`,
 * which Databend rejects (each such record then went to the DLQ or stopped the sink). They are now
 * rows of NULLs in the table's nullable columns without a DEFAULT. See src/planner/record-without-typed-member-inserted-no-columns.test.ts.
 */
const COLUMNS = [
  ['id', 'BIGINT', 'YES', ''],
  ['a', 'VARCHAR', 'YES', ''],
  ['n', 'INT', 'YES', '7'],
];

test('{} and {"a":null} are written as rows of NULLs (DEFAULTs where the table has them)', async () => {
  const { config } = validateConfig({
    name: 'no-typed-member',
    'connection.url': 'jdbc:databend://localhost:8000',
    'bootstrap.servers': 'localhost:9092',
    topics: 'loose',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  });
  const converter = new ConnectJsonConverter(false);
  const records: SinkRecord[] = [];
  for (const [offset, json] of ['{}', '{"a":null}', '{"id":3}'].entries()) {
    records.push({ topic: 'loose', partition: 0, offset: String(offset), timestamp: '0', key: null, value: await converter.toConnectData('loose', Buffer.from(json)) });
  }
  const session = new RecordingSession(COLUMNS);
  expect(await new DatabendWriter([session], databendWriterOptions(config!), pino({ level: 'silent' })).write(records)).toEqual([]);
  expect(session.statements).toEqual(['INSERT INTO "loose" ("id", "a") VALUES (NULL, NULL), (NULL, NULL)', 'INSERT INTO "loose" ("id") VALUES <csv> "3"\n']);
});
});

describe('regression: errors.tolerance=none wrote past the failed record', () => {
/**
 * Regression: under errors.tolerance=none, a record that needed a column auto.evolve may not add
 * (or that an existing column could not hold) stopped the sink, yet the records after it in the
 * same batch had already been written. The committed offset stayed at the failed record, so a
 * restart wrote them again, and the table showed rows past the point where the sink stopped.
 */
class ExistingTableSession implements DatabendSession {
  readonly server = CURRENT_SERVER;
  loaded: string[] = [];
  async exec(): Promise<number> {
    return 0;
  }
  async query(): Promise<(string | null)[][]> {
    return [
      ['id', 'BIGINT', 'YES', null],
      ['name', 'VARCHAR', 'YES', null],
    ];
  }
  async loadCsv(_sql: string, csv: string): Promise<number> {
    this.loaded.push(csv);
    return 0;
  }
  abandon(): void {}
  async close(): Promise<void> {}
}

const { config } = validateConfig({
  name: 'no-evolve',
  'connection.url': 'jdbc:databend://localhost:8000',
  'bootstrap.servers': 'localhost:9092',
  topics: 't',
  'auto.evolve': 'false',
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
});

const field = (name: string, type: Schema['type']) => ({ name, schema: { type, optional: true } });
const V1: Schema = { type: 'STRUCT', optional: false, fields: [field('id', 'INT64'), field('name', 'STRING')] };
const WITH_UNIT: Schema = { ...V1, fields: [...(V1.fields ?? []), field('unit', 'STRING')] };

const record = (offset: number, schema: Schema): SinkRecord => {
  const fields: Record<string, Value> = { id: BigInt(offset), name: `n${offset}` };
  if (schema === WITH_UNIT) fields.unit = 'kg';
  return { topic: 't', partition: 0, offset: String(offset), timestamp: '0', key: null, value: { schema, value: { kind: 'struct', fields } } };
};
const batch = [record(0, V1), record(1, WITH_UNIT), record(2, V1)];

function writer(session: DatabendSession): DatabendWriter {
  if (!config) throw new Error('the test config must be valid');
  return new DatabendWriter([session], databendWriterOptions(config), pino({ level: 'silent' }));
}

test('stopAtFirstFailure: only the records before the one needing a new column are written', async () => {
  const session = new ExistingTableSession();
  const failures = await writer(session).write(batch, { stopAtFirstFailure: true });
  expect(failures.map((f) => [f.record.offset, f.error.code])).toEqual([['1', 'EVOLUTION_DISABLED']]);
  expect(session.loaded.join('')).toContain('"n0"');
  expect(session.loaded.join('')).not.toContain('"n2"');
});

test('without it (errors.tolerance=all) the other records are all written', async () => {
  const session = new ExistingTableSession();
  const failures = await writer(session).write(batch);
  expect(failures.map((f) => f.record.offset)).toEqual(['1']);
  expect(session.loaded.join('')).toContain('"n0"');
  expect(session.loaded.join('')).toContain('"n2"');
});
});

describe('regression: a tombstone before its table existed stopped the sink', () => {
/**
 * Regression: a tombstone whose table did not exist yet (the first record of a topic, or a batch of
 * tombstones only) made DELETE fail with "Unknown table", and the sink stopped with ROW_REJECTED.
 * A missing table holds nothing to delete.
 */
class NoTablesSession implements DatabendSession {
  readonly server = CURRENT_SERVER;
  statements: string[] = [];
  async exec(sql: string): Promise<number> {
    this.statements.push(sql);
    if (sql.startsWith('DELETE')) throw new DatabendQueryError(1025, 'statement failed: [1025]Unknown table "db"."t"');
    return 0;
  }
  async query(): Promise<(string | null)[][]> {
    return [];
  }
  async loadCsv(): Promise<number> {
    throw new Error('no rows expected');
  }
  abandon(): void {}
  async close(): Promise<void> {}
}

const { config } = validateConfig({
  name: 'tombstones',
  'connection.url': 'jdbc:databend://localhost:8000',
  'bootstrap.servers': 'localhost:9092',
  topics: 't',
  'insert.mode': 'upsert',
  'pk.mode': 'record_key',
  'pk.fields': 'id',
  'delete.enabled': 'true',
  'auto.create': 'true',
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
});

const tombstone = (offset: string): SinkRecord => ({
  topic: 't',
  partition: 0,
  offset,
  timestamp: '0',
  key: { schema: { type: 'STRING', optional: false }, value: `k${offset}` },
  value: null,
});

test('tombstones for a table that does not exist are written as nothing, not rejected', async () => {
  if (!config) throw new Error('the test config must be valid');
  const session = new NoTablesSession();
  const writer = new DatabendWriter([session], databendWriterOptions(config), pino({ level: 'silent' }));
  expect(await writer.write([tombstone('0'), tombstone('1')])).toEqual([]);
  expect(session.statements).toEqual([expect.stringMatching(/^DELETE FROM .* IN \('k0', 'k1'\)$/)]);
});

test('other statement errors of a delete still reject its records', async () => {
  if (!config) throw new Error('the test config must be valid');
  const session = new NoTablesSession();
  session.exec = async () => {
    throw new DatabendQueryError(1006, 'statement failed: [1006]bad key');
  };
  const writer = new DatabendWriter([session], databendWriterOptions(config), pino({ level: 'silent' }));
  expect((await writer.write([tombstone('0')])).map((f) => f.error.code)).toEqual(['ROW_REJECTED']);
});
});

describe('one load per table and batch (planner/load-grouping.ts)', () => {
  const schemaless = (...json: string[]): SinkRecord[] => {
    const converter = new ConnectJsonConverter(false);
    return json.map((text, offset) => ({ topic: 't', partition: 0, offset: String(offset), timestamp: '0', key: null, value: converter.tryConvert('t', Buffer.from(text)) ?? null }));
  };

  test('schemaless records whose null members differ: one INSERT, NULL where a record has no value', async () => {
    const session = new RecordingSession([...COLUMNS, ['score', 'DOUBLE', 'YES', null]]);
    expect(await writer(session, 'insert').write(schemaless('{"id":1,"name":"a","score":0.30000000000000004}', '{"id":2,"name":null,"score":2.5}', '{"id":3,"name":"c","score":null}'))).toEqual([]);
    expect(session.statements).toEqual(['INSERT INTO "t" ("id", "name", "score") VALUES <csv> "1","a","0.30000000000000004"\n"2",\\N,"2.5"\n"3","c",\\N\n']);
  });

  test('a record lacking a column with a DEFAULT is loaded apart, leaving the column out', async () => {
    const session = new RecordingSession([...COLUMNS, ['score', 'DOUBLE', 'YES', '7']]);
    expect(await writer(session, 'insert').write(schemaless('{"id":1,"name":"a","score":1.5}', '{"id":2,"name":null,"score":2.5}', '{"id":3,"name":"c"}'))).toEqual([]);
    expect(session.statements).toEqual(['INSERT INTO "t" ("id", "name", "score") VALUES <csv> "1","a","1.5"\n"2",\\N,"2.5"\n', 'INSERT INTO "t" ("id", "name") VALUES <csv> "3","c"\n']);
  });
});
