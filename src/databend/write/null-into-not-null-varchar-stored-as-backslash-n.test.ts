import { databendWriterOptions } from '../../config/sink-config';
import pino from 'pino';
import { validateConfig } from '../../config/validate-config';
import { ConnectJsonConverter } from '../../converters/connect-json-converter';
import type { SinkRecord } from '../../record/sink-record';
import type { DatabendSession } from '../databend-connection';
import { DatabendWriter } from './databend-writer';
import { RecordingSession } from '../../../test-support/recording-session';

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
