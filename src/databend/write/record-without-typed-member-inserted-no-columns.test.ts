import { databendWriterOptions } from '../../config/sink-config';
import pino from 'pino';
import { validateConfig } from '../../config/validate-config';
import { ConnectJsonConverter } from '../../converters/connect-json-converter';
import type { SinkRecord } from '../../record/sink-record';
import { DatabendWriter } from './databend-writer';
import { RecordingSession } from '../../../test-support/recording-session';

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
