import * as fs from 'node:fs';
import * as path from 'node:path';
import { scenario } from '../harness/scenario';
import type { ConnectorConfig, RunningSink } from '../sink-under-test/sink-under-test';
import { caughtUp } from '../support/caught-up';
import { expectStoppedAtRecord } from '../support/stopped-sink';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'json', 'evolve.incompatible');
const schema = (name: string): object => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as object;

/** Kafka Connect JSON envelopes: the registry would refuse string → int for Avro, Connect JSON carries any schema. */
const V1 = schema('lot-v1');
const BATCH_CODE_INT = schema('lot-batch-code-int');
const lot = (id: number, batchCode: string | number | null, s: object = V1): string => JSON.stringify({ schema: s, payload: { id, batch_code: batchCode, qty: id * 10 } });

/** Names and types: the change judged here is a type's; nullability is judged where tables are created. */
const COLUMNS = [
  ['batch_code', 'VARCHAR'],
  ['id', 'BIGINT'],
  ['qty', 'INT'],
];

/**
 * sink.md §4 "incompatible change": `batch_code` arrives as int32 on an existing VARCHAR column.
 * The record is an error (DLQ under errors.tolerance=all, stop under none) and the table is not
 * touched; the other records are written.
 */
scenario('evolve.incompatible', (s) => {
  const config = (topic: string, table: string, overrides: Record<string, string>): ConnectorConfig =>
    s.config({
      topics: topic,
      'table.name.format': table,
      'auto.evolve': 'true',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'true',
      ...overrides,
    });

  /** Starts a sink on two v1 records and waits until they are committed: the table exists with COLUMNS. */
  async function establish(topic: string, table: string, sinkConfig: ConnectorConfig): Promise<RunningSink> {
    await s.produce(topic, [
      { key: '1', value: lot(1, 'A-1') },
      { key: '2', value: lot(2, 'B-2') },
    ]);
    const running = await s.start(sinkConfig);
    await caughtUp(s, running, sinkConfig, topic);
    expect(await s.columnTypes(table)).toEqual(COLUMNS);
    return running;
  }

  s.it('errors.tolerance=all: the records go to the DLQ with context headers, the others are written, the columns stay', async () => {
    const topic = await s.createTopic('lots_all');
    const table = s.name('lot_table_all');
    const dlq = s.name('dlq');
    const sinkConfig = config(topic, table, {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    const running = await establish(topic, table, sinkConfig);

    const bad = [lot(3, 42, BATCH_CODE_INT), lot(5, 7, BATCH_CODE_INT)];
    await s.produce(topic, [
      { key: '3', value: bad[0] },
      { key: '4', value: lot(4, 'D-4') },
      { key: '5', value: bad[1] },
      { key: '6', value: lot(6, null) },
    ]);
    await caughtUp(s, running, sinkConfig, topic);
    expect(await s.query(`SELECT id::String, batch_code, qty::String FROM ${table} ORDER BY id`)).toEqual([
      ['1', 'A-1', '10'],
      ['2', 'B-2', '20'],
      ['4', 'D-4', '40'],
      ['6', null, '60'],
    ]);
    expect(await s.columnTypes(table)).toEqual(COLUMNS);

    const dead = await s.readTopic(dlq, 2);
    expect(dead.map((r) => r.value?.toString())).toEqual(bad);
    dead.forEach((record, i) => {
      expect(record.headers).toMatchObject({
        '__connect.errors.topic': topic,
        '__connect.errors.partition': '0',
        '__connect.errors.offset': String(2 + 2 * i),
      });
      expect(record.headers['__connect.errors.exception.message']).toContain('batch_code');
    });
    expect(await running.stop()).toBe(0);
  });

  s.it('errors.tolerance=none: the sink stops naming table, column and record; nothing past it is committed or written', async () => {
    const topic = await s.createTopic('lots_none');
    const table = s.name('lot_table_none');
    const sinkConfig = config(topic, table, { 'errors.tolerance': 'none' });
    const running = await establish(topic, table, sinkConfig);

    await s.produce(topic, [
      { key: '3', value: lot(3, 'C-3') },
      { key: '4', value: lot(4, 44, BATCH_CODE_INT) },
      { key: '5', value: lot(5, 'E-5') },
    ]);
    await expectStoppedAtRecord(s, sinkConfig, running, { topic, partition: 0, offset: 3, names: [table, 'batch_code'] });
    expect(await s.columnTypes(table)).toEqual(COLUMNS);
    // The record before the bad one may be written (and committed); the bad one and those after it are not.
    const ids = (await s.query(`SELECT id::String FROM ${table} ORDER BY id`)).map(([id]) => id);
    expect([['1', '2'], ['1', '2', '3']]).toContainEqual(ids);
  });
});
