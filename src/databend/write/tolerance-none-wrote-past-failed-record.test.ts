import { databendWriterOptions } from '../../config/sink-config';
import pino from 'pino';
import { validateConfig } from '../../config/validate-config';
import type { Schema, Value } from '../../record/schema';
import type { SinkRecord } from '../../record/sink-record';
import type { DatabendSession } from '../databend-connection';
import { DatabendWriter } from './databend-writer';
import { CURRENT_SERVER } from '../../../test-support/recording-session';

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
