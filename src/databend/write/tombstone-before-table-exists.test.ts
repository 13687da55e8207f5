import { databendWriterOptions } from '../../config/sink-config';
import pino from 'pino';
import { validateConfig } from '../../config/validate-config';
import type { SinkRecord } from '../../record/sink-record';
import { DatabendQueryError, type DatabendSession } from '../databend-connection';
import { DatabendWriter } from './databend-writer';
import { CURRENT_SERVER } from '../../../test-support/recording-session';

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
