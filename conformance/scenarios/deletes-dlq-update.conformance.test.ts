import { check } from '../harness/scenario';
import type { ConnectorConfig } from '../sink-under-test/sink-under-test';

/**
 * Schemaless JSON keyed by a string key: tombstones delete in offset order, an undecodable record
 * goes to the dead-letter topic with Kafka Connect's context headers while the rest is written,
 * int64 beyond 2^53 stays exact; then update mode changes existing keys only. Gated like a
 * scenario: it runs only for a sink that declares all of it.
 */
check(
  'tombstones, dead letters and update mode',
  ['auto-create', 'converter:json-schemaless', 'mode:upsert', 'mode:update', 'pk:record_key', 'deletes', 'dlq'],
  (s) => {
    let topic: string;
    let table: string;

    const config = (topics: string, overrides: Record<string, string>): ConnectorConfig =>
      s.config({
        topics,
        'table.name.format': table,
        'auto.create': 'true',
        'auto.evolve': 'true',
        'pk.mode': 'record_key',
        'pk.fields': 'id',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
        ...overrides,
      });

    s.it('applies tombstones in offset order and dead-letters the undecodable record with context headers', async () => {
      topic = await s.createTopic('people');
      table = s.name('people_table');
      const dlq = s.name('dlq');
      await s.produce(topic, [
        { key: 'k1', value: '{"name":"a","n":1}' },
        { key: 'k2', value: '{"name":"b","n":2}' },
        { key: 'k1', value: null },
        { key: 'k3', value: '{"name":"c","n":9007199254740993}' },
        { key: 'k2', value: 'not json{' },
        { key: 'k3', value: null },
        { key: 'k3', value: '{"name":"c2","n":9223372036854775807}' },
        { key: 'k4', value: '{"name":"d","n":4}' },
        { key: 'k4', value: null },
      ]);
      const upsert = config(topic, {
        'insert.mode': 'upsert',
        'delete.enabled': 'true',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.context.headers.enable': 'true',
      });
      const running = await s.start(upsert);

      const [dead] = await s.readTopic(dlq, 1);
      expect(dead.value?.toString()).toBe('not json{');
      expect(dead.headers).toMatchObject({
        '__connect.errors.topic': topic,
        '__connect.errors.partition': '0',
        '__connect.errors.offset': '4',
        '__connect.errors.stage': 'VALUE_CONVERTER',
        '__connect.errors.connector.name': upsert.name,
        '__connect.errors.exception.message': expect.stringMatching(/\S/),
      });

      await s.eventuallyRows(`SELECT id, name, n::String FROM ${table} ORDER BY id`, (rows) =>
        expect(rows).toEqual([
          ['k2', 'b', '2'],
          ['k3', 'c2', '9223372036854775807'],
        ]),
      );
      expect(await running.stop()).toBe(0);
    });

    s.it('update mode changes existing keys only', async () => {
      const updates = await s.createTopic('people_updates');
      await s.produce(updates, [
        { key: 'k2', value: '{"name":"b-updated","n":20}' },
        { key: 'k9', value: '{"name":"absent","n":9}' },
      ]);
      const running = await s.start(config(updates, { 'insert.mode': 'update' }));
      await s.eventuallyRows(`SELECT id, name, n::String FROM ${table} ORDER BY id`, (rows) =>
        expect(rows).toEqual([
          ['k2', 'b-updated', '20'],
          ['k3', 'c2', '9223372036854775807'],
        ]),
      );
      expect(await running.stop()).toBe(0);
    });
  },
);
