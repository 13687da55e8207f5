import pino from 'pino';
import { databendWriterOptions, exactlyOnceOptions } from '../../config/sink-config';
import { validateConfig } from '../../config/validate-config';
import { SinkError } from '../../errors';
import type { OffsetCommit, RecordFailure } from '../../ports/record-writer';
import type { Schema, Value } from '../../record/schema';
import type { SinkRecord } from '../../record/sink-record';
import { CURRENT_SERVER, LEGACY_SERVER, RecordingSession } from '../../../test-support/recording-session';
import { DatabendQueryError } from '../databend-session';
import { DatabendWriter } from './databend-writer';
import { ExactlyOnceWriter } from './exactly-once-writer';

const TARGET_COLUMNS = [
  ['id', 'BIGINT', 'NO', null],
  ['blob', 'BINARY', 'YES', null],
];
const OFFSETS_COLUMNS = [['group_id'], ['topic'], ['kafka_partition'], ['next_offset'], ['updated_at']];

const VALUE: Schema = {
  type: 'STRUCT',
  optional: false,
  fields: [
    { name: 'id', schema: { type: 'INT64', optional: false } },
    { name: 'blob', schema: { type: 'BYTES', optional: true } },
  ],
};
const record = (offset: number, blob: Buffer | null = Buffer.from([offset])): SinkRecord => ({
  topic: 'orders',
  partition: 3,
  offset: String(offset),
  timestamp: '0',
  key: null,
  value: { schema: VALUE, value: { kind: 'struct', fields: { id: BigInt(offset), blob } as Record<string, Value> } },
});
const batch = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => record(from + i));

const OFFSETS = '"db"."_databend_sink_offsets"';
const KEY = `group_id = 'connect-eo' AND topic = 'orders' AND kafka_partition = 3`;
const READ = `SELECT max(next_offset)::String, count(*)::String FROM ${OFFSETS} WHERE ${KEY}`;
const advance = (from: number, to: number) => `UPDATE ${OFFSETS} SET next_offset = ${to}, updated_at = now() WHERE ${KEY} AND next_offset = ${from}`;
const load = (...offsets: number[]) => `INSERT INTO "orders" ("id", "blob") VALUES <csv> ${offsets.map((o) => `"${o}","${o.toString(16).padStart(2, '0')}"\n`).join('')}`;

/**
 * A session whose offsets table answers `reads` in turn (the stored offset each transaction finds;
 * the last one repeats) and whose target table has TARGET_COLUMNS.
 */
function session(reads: number[], server = CURRENT_SERVER): RecordingSession {
  const s = new RecordingSession(TARGET_COLUMNS, server);
  let read = 0;
  s.answer = (sql) => {
    if (sql.startsWith('SELECT max(next_offset)')) return [[String(reads[Math.min(read++, reads.length - 1)]), '1']];
    if (sql.includes("table = '_databend_sink_offsets'")) return OFFSETS_COLUMNS;
    return undefined;
  };
  s.affected = (sql) => (sql.startsWith('UPDATE') ? 1 : undefined);
  return s;
}

function writers(s: RecordingSession, overrides: Record<string, string> = {}): { writer: ExactlyOnceWriter; conflictsWaited: number[] } {
  const { config, problems } = validateConfig({
    name: 'eo',
    'connection.url': 'jdbc:databend://localhost:8000',
    'connection.database': 'db',
    'bootstrap.servers': 'localhost:9092',
    topics: 'orders',
    'exactly.once.enabled': 'true',
    'auto.create': 'true',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    ...overrides,
  });
  if (!config) throw new Error(`the test config must be valid: ${JSON.stringify(problems)}`);
  const log = pino({ level: 'silent' });
  const conflictsWaited: number[] = [];
  const options = exactlyOnceOptions(config);
  if (!options) throw new Error('exactly-once must be on');
  const writer = new ExactlyOnceWriter(new DatabendWriter([s], databendWriterOptions(config), log), options, log, async (ms) => void conflictsWaited.push(ms));
  return { writer, conflictsWaited };
}

/** An OffsetCommit that records what `beforeCommit` was told. */
function commit(next: number): OffsetCommit & { told: [string, string[]][] } {
  const told: [string, string[]][] = [];
  return {
    topic: 'orders',
    partition: 3,
    next: String(next),
    told,
    beforeCommit: async (from: string, failed: RecordFailure[]) => void told.push([from, failed.map((f) => f.record.offset)]),
  };
}

describe('exactly-once: one transaction per partition batch, the offset moved with the rows', () => {
  test('the statement sequence of a first batch: offsets table and row outside the transaction; BEGIN, read, advance, load, COMMIT', async () => {
    const s = session([-1]);
    const { writer } = writers(s);
    const c = commit(3);
    expect(await writer.writeWithOffset(batch(0, 3), c)).toEqual({ from: '-1', next: '3', failed: [] });
    expect(s.sent).toEqual([
      'CREATE TABLE IF NOT EXISTS "_databend_sink_offsets" (group_id VARCHAR NOT NULL, topic VARCHAR NOT NULL, kafka_partition INT NOT NULL, next_offset BIGINT NOT NULL, updated_at TIMESTAMP NOT NULL) ROW_PER_BLOCK = 1 BLOCK_PER_SEGMENT = 1',
      "SELECT name, data_type, is_nullable, default_expression FROM system.columns WHERE database = 'db' AND table = '_databend_sink_offsets'",
      `INSERT INTO "_databend_sink_offsets" (group_id, topic, kafka_partition, next_offset, updated_at) SELECT 'connect-eo', 'orders', 3, -1, now() FROM (SELECT count(*) AS n FROM "_databend_sink_offsets" WHERE ${KEY}) AS existing WHERE n = 0`,
      "SELECT name, data_type, is_nullable, default_expression FROM system.columns WHERE database = 'db' AND table = 'orders'",
      'BEGIN',
      READ.replace(OFFSETS, '"_databend_sink_offsets"'),
      advance(-1, 3).replace(OFFSETS, '"_databend_sink_offsets"'),
      load(0, 1, 2),
      'COMMIT',
    ]);
    expect(s.committed).toHaveLength(1);
    expect(c.told).toEqual([['-1', []]]);
  });

  test('records of two shapes (a schema without blob) are one load in the transaction, as in a plain write', async () => {
    const s = session([-1]);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    const idOnly: Schema = { ...VALUE, fields: (VALUE.fields ?? []).filter((f) => f.name === 'id') };
    const older: SinkRecord = { ...record(1), value: { schema: idOnly, value: { kind: 'struct', fields: { id: 1n } } } };
    expect(await writer.writeWithOffset([record(0), older], commit(2))).toEqual({ from: '-1', next: '2', failed: [] });
    expect(s.sent.slice(s.sent.indexOf('BEGIN'))).toEqual(['BEGIN', READ, advance(-1, 2), 'INSERT INTO "orders" ("id", "blob") VALUES <csv> "0","00"\n"1",\\N\n', 'COMMIT']);
  });

  test('the next batch of the partition: no DDL, no seeding, no read (the offset this process committed); only the transaction', async () => {
    const s = session([-1]);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    await writer.writeWithOffset(batch(0, 3), commit(3));
    s.sent = [];
    await writer.writeWithOffset(batch(3, 5), commit(5));
    expect(s.sent).toEqual(['BEGIN', advance(3, 5), load(3, 4), 'COMMIT']);
  });

  test('an offset that another writer moved since this process committed it: the advance moves no row, the offset is read, the rest written', async () => {
    const s = session([-1, 4]);
    s.affected = (sql) => (sql.startsWith('UPDATE') ? (sql.endsWith('next_offset = 3') ? 0 : 1) : undefined);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    await writer.writeWithOffset(batch(0, 3), commit(3));
    s.sent = [];
    expect(await writer.writeWithOffset(batch(3, 6), commit(6))).toEqual({ from: '4', next: '6', failed: [] });
    // The stale advance is rolled back before any row is loaded.
    expect(s.sent).toEqual(['BEGIN', advance(3, 6), 'ROLLBACK', 'BEGIN', READ, 'ROLLBACK', 'BEGIN', READ, advance(4, 6), load(4, 5), 'COMMIT']);
  });

  test('records below the stored offset (written before a crash, or by another member) are left out', async () => {
    const s = session([2]);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    const c = commit(5);
    expect(await writer.writeWithOffset(batch(0, 5), c)).toEqual({ from: '2', next: '5', failed: [] });
    // The first transaction finds the offset, rolls back, and the batch is planned again without 0 and 1.
    expect(s.committed).toEqual([[READ, advance(2, 5), load(2, 3, 4)]]);
    expect(s.sent.filter((sql) => sql === 'ROLLBACK')).toHaveLength(1);
  });

  test('a batch written entirely before: nothing is written, the stored offset is what Kafka commits', async () => {
    const s = session([7]);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    const c = commit(5);
    expect(await writer.writeWithOffset(batch(0, 5), c)).toEqual({ from: '7', next: '7', failed: [] });
    expect(s.committed).toEqual([]);
    expect(s.sent.slice(-3)).toEqual(['BEGIN', READ, 'ROLLBACK']);
    expect(c.told).toEqual([]);
  });

  test('a COMMIT that loses to another writer ([4001]): the offset is read again and only what that writer did not write is written', async () => {
    const s = session([0, 3]);
    s.conflictingCommits = 1;
    const { writer, conflictsWaited } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    const c = commit(5);
    expect(await writer.writeWithOffset(batch(0, 5), c)).toEqual({ from: '3', next: '5', failed: [] });
    expect(s.committed).toEqual([[READ, advance(3, 5), load(3, 4)]]);
    expect(conflictsWaited).toHaveLength(1);
    // beforeCommit ran for the lost transaction and for the committed one.
    expect(c.told.map(([from]) => from)).toEqual(['0', '3']);
  });

  test('a zombie: after its COMMIT lost, the partition is found written past its batch; nothing is written', async () => {
    const s = session([0, 9]);
    s.conflictingCommits = 1;
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    expect(await writer.writeWithOffset(batch(0, 5), commit(5))).toEqual({ from: '9', next: '9', failed: [] });
    expect(s.committed).toEqual([]);
  });

  test('conflicts that never end give up with a retriable error after 10 transactions', async () => {
    const s = session([0]);
    s.conflictingCommits = 100;
    const { writer, conflictsWaited } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    const err = await writer.writeWithOffset(batch(0, 2), commit(2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SinkError);
    expect(err).toMatchObject({ code: 'DATABEND_UNAVAILABLE', message: expect.stringContaining('no transaction of orders/3 committed in 10 attempts') });
    expect((err as SinkError).isRetriable).toBe(true);
    expect(conflictsWaited).toHaveLength(10);
    expect(s.committed).toEqual([]);
  });

  test('an offset that moved between the read and the UPDATE (0 rows updated) is never committed over', async () => {
    const s = session([0, 2]);
    let updates = 0;
    s.affected = (sql) => (sql.startsWith('UPDATE') ? (updates++ === 0 ? 0 : 1) : undefined);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    expect(await writer.writeWithOffset(batch(0, 4), commit(4))).toEqual({ from: '2', next: '4', failed: [] });
    expect(s.committed).toEqual([[READ, advance(2, 4), load(2, 3)]]);
  });
});

describe('exactly-once: rejected rows, the SQL-literal path and both load paths inside the transaction', () => {
  const rejectOffset2 = (s: RecordingSession) => {
    s.rejectWhen = /"2","02"/;
    s.rejection = new DatabendQueryError(1046, "stage load failed: [1046]Invalid value '02' for column 1");
  };

  test('a rejected value fails the transaction: it is rolled back at once, the row is found in rolled-back probes, the rest committed once', async () => {
    const s = session([-1]);
    rejectOffset2(s);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    const c = commit(4);
    const result = await writer.writeWithOffset(batch(0, 4), c);
    expect(result.failed.map((f) => [f.record.offset, f.error.code])).toEqual([['2', 'ROW_REJECTED']]);
    expect(result).toMatchObject({ from: '-1', next: '4' });
    expect(s.committed).toEqual([[READ, advance(-1, 4), load(0, 1, 3)]]);
    // Nothing but ROLLBACK follows a refused statement in its transaction (a server would answer [4002]).
    const sent = s.sent.filter((sql) => !sql.startsWith('SELECT name'));
    for (let i = 0; i < sent.length - 1; i++) if (sent[i].includes('"2","02"') && sent[i + 1] !== 'ROLLBACK') throw new Error(`${sent[i + 1]} after a refused load`);
    // The rejected record is reported before the COMMIT that moves the offset past it.
    expect(c.told).toEqual([['-1', ['2']]]);
  });

  test('stopAtFirstFailure (errors.tolerance=none): the rows before the rejected one are committed with the offset at it', async () => {
    const s = session([-1]);
    rejectOffset2(s);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    const result = await writer.writeWithOffset(batch(0, 4), commit(4), { stopAtFirstFailure: true });
    expect(result).toMatchObject({ from: '-1', next: '2' });
    expect(result.failed.map((f) => f.record.offset)).toEqual(['2']);
    expect(s.committed).toEqual([[READ, advance(-1, 2), load(0, 1)]]);
  });

  test('an empty BINARY goes as SQL literals, in the same transaction as the stage-loaded rows', async () => {
    const s = session([-1]);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    await writer.writeWithOffset([record(0, Buffer.alloc(0)), record(1)], commit(2));
    expect(s.committed).toEqual([[READ, advance(-1, 2), 'INSERT INTO "orders" ("id", "blob") VALUES (0, FROM_HEX(\'\'))', load(1)]]);
  });

  test('on a server that takes stage attachments the same transaction holds the load', async () => {
    const s = session([-1], LEGACY_SERVER);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    await writer.writeWithOffset(batch(0, 2), commit(2));
    expect(s.committed).toEqual([[READ, advance(-1, 2), load(0, 1)]]);
  });

  test('a batch whose records all failed still moves the offset past them (their dead-letter records go first)', async () => {
    const s = session([4]);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    const c = commit(6);
    expect(await writer.writeWithOffset([], c)).toEqual({ from: '4', next: '6', failed: [] });
    expect(s.committed).toEqual([[READ, advance(4, 6)]]);
    expect(c.told).toEqual([['4', []]]);
  });
});

describe('exactly-once: errors.tolerance=none and failures found before the transaction', () => {
  const NULLABLE_ID: Schema = { ...VALUE, fields: [{ name: 'id', schema: { type: 'INT64', optional: true } }, VALUE.fields![1]] };
  /** Record 1 has a NULL id, which the table's NOT NULL column refuses (VALUE_OUT_OF_RANGE) before any load. */
  const withNullId = () => batch(0, 5).map((r) => (r.offset === '1' ? { ...r, value: { schema: NULLABLE_ID, value: { kind: 'struct', fields: { id: null, blob: null } } } } as SinkRecord : r));

  test('a batch cut at a failed record that an earlier commit handled starts over from the stored offset', async () => {
    const s = session([2]);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    expect(await writer.writeWithOffset(withNullId(), commit(5), { stopAtFirstFailure: true })).toEqual({ from: '2', next: '5', failed: [] });
    expect(s.committed).toEqual([[READ, advance(2, 5), load(2, 3, 4)]]);
  });

  test('a failed record that is the partition\'s next: nothing written, the failure returned for the sink to stop with', async () => {
    const s = session([1]);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    const result = await writer.writeWithOffset(withNullId(), commit(5), { stopAtFirstFailure: true });
    expect(result).toMatchObject({ from: '1', next: '1' });
    expect(result.failed.map((f) => [f.record.offset, f.error.code])).toEqual([['1', 'VALUE_OUT_OF_RANGE']]);
    expect(s.committed).toEqual([]);
  });

  test('a failed record above the stored offset: the rows before it are committed with the offset at it', async () => {
    const s = session([0]);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    const result = await writer.writeWithOffset(withNullId(), commit(5), { stopAtFirstFailure: true });
    expect(result).toMatchObject({ from: '0', next: '1' });
    expect(s.committed).toEqual([[READ, advance(0, 1), load(0)]]);
  });
});

describe('exactly-once: compaction between transactions', () => {
  test('every 10th committed load of a table is followed by OPTIMIZE … COMPACT, outside any transaction', async () => {
    const s = session([0]);
    let stored = 0;
    s.answer = (sql) => (sql.startsWith('SELECT max(next_offset)') ? [[String(stored), '1']] : sql.includes("table = '_databend_sink_offsets'") ? OFFSETS_COLUMNS : undefined);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    for (let i = 0; i < 20; i++) {
      await writer.writeWithOffset([record(i)], commit(i + 1));
      stored = i + 1;
    }
    const optimize = s.sent.map((sql, i) => [sql, s.sent[i - 1]]).filter(([sql]) => sql.startsWith('OPTIMIZE'));
    expect(optimize).toEqual([
      ['OPTIMIZE TABLE "orders" COMPACT LIMIT 20', 'COMMIT'],
      ['OPTIMIZE TABLE "orders" COMPACT LIMIT 20', 'COMMIT'],
    ]);
    expect(s.committed.flat().filter((sql) => sql.startsWith('OPTIMIZE'))).toEqual([]);
  });

  test('a refused compaction (a privilege) is not tried again and fails no write', async () => {
    const s = session([0]);
    let stored = 0;
    s.answer = (sql) => (sql.startsWith('SELECT max(next_offset)') ? [[String(stored), '1']] : sql.includes("table = '_databend_sink_offsets'") ? OFFSETS_COLUMNS : undefined);
    s.rejectWhen = /^OPTIMIZE/;
    s.rejection = new DatabendQueryError(1063, 'statement failed: [1063]Permission denied: privilege [Super] is required');
    let tries = 0;
    const exec = s.exec.bind(s);
    s.exec = (sql: string) => {
      if (sql.startsWith('OPTIMIZE')) tries++;
      return exec(sql);
    };
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    for (let i = 0; i < 20; i++) {
      await writer.writeWithOffset([record(i)], commit(i + 1));
      stored = i + 1;
    }
    expect(s.committed).toHaveLength(20);
    expect(tries).toBe(1);
  });
});

describe('exactly-once: failures around the transaction', () => {
  test('a load without an answer: the session is abandoned with its transaction (no ROLLBACK beside a statement that may still run)', async () => {
    const s = session([-1]);
    s.rejectWhen = /^INSERT INTO "orders"/;
    s.rejection = new SinkError('DATABEND_UNAVAILABLE', 'stage load failed: Databend did not answer within 50 ms (databend.request.timeout.ms)') as unknown as DatabendQueryError;
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    await expect(writer.writeWithOffset(batch(0, 2), commit(2))).rejects.toMatchObject({ code: 'DATABEND_UNAVAILABLE' });
    expect(s.abandoned).toBeGreaterThan(0);
    expect(s.sent.slice(s.sent.indexOf(advance(-1, 2)) + 1).every((sql) => sql === '<abandoned>')).toBe(true);
    expect(s.sent).not.toContain('ROLLBACK');
    expect(s.committed).toEqual([]);
  });

  test('a failure while reporting the failed records (the dead-letter topic unreachable) rolls the transaction back', async () => {
    const s = session([-1]);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    const c = commit(2);
    c.beforeCommit = async () => {
      throw new SinkError('KAFKA_UNAVAILABLE', 'the dead-letter topic is unreachable');
    };
    await expect(writer.writeWithOffset(batch(0, 2), c)).rejects.toMatchObject({ code: 'KAFKA_UNAVAILABLE' });
    expect(s.sent.at(-1)).toBe('ROLLBACK');
    expect(s.committed).toEqual([]);
  });

  test('a table of that name without the offsets columns is a config error naming the key', async () => {
    const s = session([-1]);
    s.answer = (sql) => (sql.includes("table = '_databend_sink_offsets'") ? [['id'], ['topic']] : undefined);
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    await expect(writer.writeWithOffset(batch(0, 1), commit(1))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/^exactly\.once\.offsets\.table: db\._databend_sink_offsets exists but lacks the column\(s\) group_id, kafka_partition, next_offset, updated_at/),
    });
  });

  test('a missing offsets row inside the transaction (deleted meanwhile) is made again, outside it', async () => {
    const s = session([-1]);
    let reads = 0;
    const answer = s.answer;
    s.answer = (sql) => (sql === READ && reads++ === 0 ? [[null, '0']] : answer(sql));
    const { writer } = writers(s, { 'exactly.once.offsets.table': 'db._databend_sink_offsets' });
    await writer.writeWithOffset(batch(0, 1), commit(1));
    expect(s.sent.filter((sql) => sql.startsWith('INSERT INTO "db"."_databend_sink_offsets"'))).toHaveLength(2);
    expect(s.committed).toEqual([[READ, advance(-1, 1), load(0)]]);
  });
});
