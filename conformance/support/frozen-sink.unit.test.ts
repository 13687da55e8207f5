import type { ServedRequest } from './protocol-path';
import { writesInto } from './frozen-sink';

const served = (sql: string, extra: Partial<ServedRequest> = {}): ServedRequest => ({ t: '', method: 'POST', path: '/v1/query', status: 200, sql, ...extra });

describe('writesInto: the statements the zombie freeze aims at', () => {
  it.each([
    'INSERT INTO "events_1" ("id", "seq") VALUES from @~/client/load/1796 file_format=(type=csv)',
    'INSERT INTO "events_1" ("id", "seq") VALUES',
    'insert into db.events_1 values (1, 2)',
    'COPY INTO "db"."events_1" FROM @~/x FILE_FORMAT = (type = csv)',
    'REPLACE INTO `events_1` ("id") ON ("id") VALUES',
  ])('a write into the table: %s', (sql) => {
    expect(writesInto(served(sql), 'events_1')).toBe(true);
  });

  it.each([
    // The offsets row names the topic, not as the target table.
    `INSERT INTO "_databend_sink_offsets" (group_id, topic) SELECT 'g', 'events_1' FROM (SELECT count(*) AS n FROM "_databend_sink_offsets") AS e WHERE n = 0`,
    'SELECT count(*) FROM "events_1"',
    'INSERT INTO "events_10" VALUES (1)',
    'UPDATE "events_1" SET seq = 1',
  ])('not a write into the table: %s', (sql) => {
    expect(writesInto(served(sql), 'events_1')).toBe(false);
  });

  it('a refused write wrote nothing', () => {
    expect(writesInto(served('INSERT INTO "events_1" VALUES', { error: 1046 }), 'events_1')).toBe(false);
  });
});
