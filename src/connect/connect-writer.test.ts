import pino from 'pino';
import { databendWriterOptions, exactlyOnceOptions } from '../config/sink-config';
import { DatabendQueryError } from '../databend/databend-session';
import { DatabendWriter } from '../databend/write/databend-writer';
import { ExactlyOnceWriter } from '../databend/write/exactly-once-writer';
import { RecordingSession } from '../../test-support/recording-session';
import { validateTaskConfig } from './connect-config';
import { type ConnectReporter, ConnectWriter, type WriteAnswer } from './connect-writer';

const ORDER = '{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"}],"optional":false,"name":"Order"}';
const OFFSETS_COLUMNS = [['group_id'], ['topic'], ['kafka_partition'], ['next_offset'], ['updated_at']];
const OFFSETS = '"_databend_sink_offsets"';
const where = (partition: number) => `group_id = 'connect-eo' AND topic = 'orders' AND kafka_partition = ${partition}`;
const advance = (partition: number, from: number, to: number) => `UPDATE ${OFFSETS} SET next_offset = ${to}, updated_at = now() WHERE ${where(partition)} AND next_offset = ${from}`;

/** A hand-off text (record-handoff.ts) of `orders` records; `bad` offsets carry a value that does not fit its schema. */
function handoff(records: [partition: number, offset: number][], bad: number[] = []): string {
  return `${records.map(([p, o]) => [`orders\t${p}\t${o}\t`, '', `{"schema":${ORDER},"payload":{"id":${bad.includes(o) ? '"x"' : o}}}`].join('\n')).join('\n')}\n`;
}

/** A session whose offsets table holds `stored` per partition (undefined: no row yet, -1 once seeded). */
function session(stored: Record<number, number>): RecordingSession {
  const s = new RecordingSession([['id', 'BIGINT', 'NO', null]]);
  s.answer = (sql) => {
    if (sql.startsWith('SELECT max(next_offset)')) return [[String(stored[Number(/kafka_partition = (\d+)/.exec(sql)?.[1])] ?? -1), '1']];
    if (sql.includes("table = '_databend_sink_offsets'")) return OFFSETS_COLUMNS;
    return undefined;
  };
  s.affected = (sql) => (sql.startsWith('UPDATE') ? 1 : undefined);
  return s;
}

function connectWriter(s: RecordingSession, exactlyOnce = true): ConnectWriter {
  const { config, problems } = validateTaskConfig({
    name: 'eo',
    'connection.url': 'jdbc:databend://localhost:8000',
    'connection.database': 'db',
    topics: 'orders',
    'insert.mode': 'insert',
    'auto.create': 'true',
    ...(exactlyOnce ? { 'exactly.once.enabled': 'true' } : {}),
  });
  if (!config) throw new Error(`the test config must be valid: ${JSON.stringify(problems)}`);
  const log = pino({ level: 'silent' });
  const writer = new DatabendWriter([s], databendWriterOptions(config), log);
  const options = exactlyOnceOptions(config);
  return new ConnectWriter(writer, options ? new ExactlyOnceWriter(writer, options, log) : null);
}

/** A reporter that records each report with the statements sent before it, answering `answer`. */
function reporter(s: RecordingSession, answer = ''): ConnectReporter & { reports: { index: number; message: string; sentBefore: string[] }[] } {
  const reports: { index: number; message: string; sentBefore: string[] }[] = [];
  return {
    reports,
    report: (index, message) => {
      reports.push({ index, message, sentBefore: [...s.sent] });
      return answer;
    },
  };
}

const write = async (w: ConnectWriter, text: string, stop: boolean, r: ConnectReporter): Promise<WriteAnswer> => JSON.parse(await w.write(text, stop, r)) as WriteAnswer;

describe('ConnectWriter under exactly.once.enabled', () => {
  it('writes each partition of the batch in a transaction of its own, with its offset, and answers the offsets stored', async () => {
    const s = session({});
    const r = reporter(s);
    const answer = await write(connectWriter(s), handoff([[0, 10], [1, 5], [0, 11]]), false, r);
    expect(answer).toEqual({ refused: [], stored: [{ topic: 'orders', partition: 0, next: '12' }, { topic: 'orders', partition: 1, next: '6' }] });
    expect(s.committed).toHaveLength(2);
    expect(s.committed[0]).toEqual(expect.arrayContaining([advance(0, -1, 12), 'INSERT INTO "orders" ("id") VALUES <csv> "10"\n"11"\n']));
    expect(s.committed[1]).toEqual(expect.arrayContaining([advance(1, -1, 6), 'INSERT INTO "orders" ("id") VALUES <csv> "5"\n']));
    expect(r.reports).toEqual([]);
  });

  it('leaves out records below the offset Databend holds, and hands a refused record to the reporter inside the transaction, before COMMIT', async () => {
    const s = session({ 0: 11 });
    const r = reporter(s);
    const answer = await write(connectWriter(s), handoff([[0, 9], [0, 10], [0, 11], [0, 12]], [9, 11]), false, r);
    expect(answer.stored).toEqual([{ topic: 'orders', partition: 0, next: '13' }]);
    // Offset 9 failed too, but below the stored offset: handled by an earlier commit, not reported again.
    expect(answer.refused.map((f) => f.index)).toEqual([2]);
    expect(r.reports.map((x) => x.index)).toEqual([2]);
    expect(r.reports[0].message).toMatch(/^RECORD_UNDECODABLE: .*offset 11/);
    expect(r.reports[0].sentBefore).toContain(advance(0, 11, 13));
    expect(r.reports[0].sentBefore).not.toContain('COMMIT');
    expect(s.committed).toEqual([expect.arrayContaining([advance(0, 11, 13), 'INSERT INTO "orders" ("id") VALUES <csv> "12"\n'])]);
  });

  it('a record the reporter does not take rolls the transaction back: the offset stays, the batch is retriable', async () => {
    const s = session({});
    await expect(connectWriter(s).write(handoff([[0, 1], [0, 2]], [2]), false, reporter(s, 'Timeout expiring 1 record(s)'))).rejects.toThrow(
      JSON.stringify({ code: 'KAFKA_UNAVAILABLE', message: "Connect's ErrantRecordReporter did not take orders/0@2: Timeout expiring 1 record(s)", retriable: true }),
    );
    expect(s.committed).toEqual([]);
    expect(s.sent[s.sent.length - 1]).toBe('ROLLBACK');
  });

  it('errors.tolerance=none: the offset stops at the first refused record, nothing is reported, later partitions are not written', async () => {
    const s = session({});
    const r = reporter(s);
    const answer = await write(connectWriter(s), handoff([[0, 10], [0, 11], [0, 12], [1, 3]], [11]), true, r);
    expect(answer).toMatchObject({ stored: [{ topic: 'orders', partition: 0, next: '11' }] });
    expect(answer.refused).toEqual([expect.objectContaining({ index: 1, code: 'RECORD_UNDECODABLE' })]);
    expect(r.reports).toEqual([]);
    expect(s.committed).toEqual([expect.arrayContaining([advance(0, -1, 11), 'INSERT INTO "orders" ("id") VALUES <csv> "10"\n'])]);
  });

  it('answers the offsets Databend holds for partitions that open: those with an offset, none before the offsets table exists', async () => {
    const s = session({ 0: 42 });
    expect(JSON.parse(await connectWriter(s).storedOffsets([{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }]))).toEqual([{ topic: 'orders', partition: 0, next: '42' }]);
    expect(s.sent).toEqual([`SELECT max(next_offset)::String, count(*)::String FROM ${OFFSETS} WHERE ${where(0)}`, `SELECT max(next_offset)::String, count(*)::String FROM ${OFFSETS} WHERE ${where(1)}`]);
    const missing = session({});
    missing.answer = () => {
      throw new DatabendQueryError(1025, 'query failed: [1025]Unknown table "_databend_sink_offsets"');
    };
    expect(await connectWriter(missing).storedOffsets([{ topic: 'orders', partition: 0 }])).toBe('[]');
  });
});

describe('ConnectWriter at-least-once', () => {
  it('leaves refused records to the task to report after the write and keeps no offsets', async () => {
    const s = session({});
    const r = reporter(s);
    const answer = await write(connectWriter(s, false), handoff([[0, 1], [0, 2]], [2]), false, r);
    expect(answer).toMatchObject({ stored: [], refused: [expect.objectContaining({ index: 1 })] });
    expect(r.reports).toEqual([]);
    expect(await connectWriter(s, false).storedOffsets([{ topic: 'orders', partition: 0 }])).toBe('[]');
    expect(s.sent.some((sql) => sql.includes('_databend_sink_offsets'))).toBe(false);
  });
});
