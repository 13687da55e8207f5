import { randomUUID } from 'node:crypto';
import { databendConnection, queryStrings, type DatabendConnection } from '../clients/databend';
import { kafkaClient } from '../clients/kafka';
import { holdSharedServices } from '../harness/environment-faults';
import { runEnvironment } from '../jest/run-environment';
import { sinkUnderTest } from '../sink-under-test/select-sink';
import type { ConnectorConfig, RunningSink } from '../sink-under-test/sink-under-test';
import { eventually } from '../support/eventually';

/**
 * Schemaless JSON keyed by a string key: tombstones delete in offset order, an undecodable record
 * goes to the dead-letter topic with Kafka Connect's context headers while the rest is written,
 * int64 beyond 2^53 stays exact; then update mode changes existing keys only.
 */
describe('tombstones, dead letters and update mode', () => {
  const run = runEnvironment();
  const { endpoints } = run;
  holdSharedServices(run);
  const suffix = randomUUID().slice(0, 8);
  const topic = `people_${suffix}`;
  const updates = `people_updates_${suffix}`;
  const dlq = `dlq_${suffix}`;
  const table = `people_${suffix}`;
  const kafka = kafkaClient(endpoints.kafka);
  const sink = sinkUnderTest();
  const started: RunningSink[] = [];
  let db: DatabendConnection;

  const config = (name: string, topics: string, overrides: Record<string, string>): ConnectorConfig => ({
    name,
    config: {
      topics,
      'connection.url': `jdbc:databend://${endpoints.databend.host}:${endpoints.databend.port}`,
      'connection.user': endpoints.databend.user,
      'connection.password': endpoints.databend.password,
      'table.name.format': table,
      'auto.create': 'true',
      'auto.evolve': 'true',
      'pk.mode': 'record_key',
      'pk.fields': 'id',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'bootstrap.servers': endpoints.kafka.bootstrapServers.join(','),
      'linger.ms': '100',
      ...overrides,
    },
  });

  async function produce(to: string, messages: { key: string; value: string | null }[]): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: to, messages });
    await producer.disconnect();
  }

  beforeAll(async () => {
    db = await databendConnection(endpoints.databend);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [topic, updates].map((t) => ({ topic: t, numPartitions: 1 })), waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    await Promise.all(started.map((s) => s.kill()));
    await db.exec(`DROP TABLE IF EXISTS ${table}`);
    await db.close();
  });

  it('applies tombstones in offset order and dead-letters the undecodable record with context headers', async () => {
    await produce(topic, [
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
    const running = await sink.start(
      config(`people-${suffix}`, topic, {
        'insert.mode': 'upsert',
        'delete.enabled': 'true',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.context.headers.enable': 'true',
      }),
    );
    started.push(running);

    const consumer = kafka.consumer({ groupId: `dlq-reader-${suffix}` });
    await consumer.connect();
    const dead = await eventually(async () => {
      const admin = kafka.admin();
      await admin.connect();
      const topics = await admin.listTopics();
      await admin.disconnect();
      expect(topics).toContain(dlq);
      return true;
    }, 'dead-letter topic created').then(async () => {
      await consumer.subscribe({ topic: dlq, fromBeginning: true });
      return new Promise<{ value: string; headers: Record<string, string> }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) =>
            resolve({
              value: message.value?.toString() ?? '',
              headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
            }),
        });
      });
    });
    await consumer.disconnect();
    expect(dead.value).toBe('not json{');
    expect(dead.headers).toMatchObject({
      '__connect.errors.topic': topic,
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '4',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.connector.name': `people-${suffix}`,
    });
    expect(dead.headers['__connect.errors.exception.message']).toMatch(/offset 4/);

    const rows = await eventually(async () => {
      const r = await queryStrings(db, `SELECT id, name, n::String FROM ${table} ORDER BY id`);
      expect(r).toHaveLength(2);
      return r;
    }, `rows in ${table}`);
    expect(rows).toEqual([
      ['k2', 'b', '2'],
      ['k3', 'c2', '9223372036854775807'],
    ]);
    expect(await running.stop()).toBe(0);
  });

  it('update mode changes existing keys only', async () => {
    await produce(updates, [
      { key: 'k2', value: '{"name":"b-updated","n":20}' },
      { key: 'k9', value: '{"name":"absent","n":9}' },
    ]);
    const running = await sink.start(config(`people-updates-${suffix}`, updates, { 'insert.mode': 'update' }));
    started.push(running);
    const rows = await eventually(async () => {
      const r = await queryStrings(db, `SELECT id, name, n::String FROM ${table} ORDER BY id`);
      expect(r[0][1]).toBe('b-updated');
      return r;
    }, `updated rows in ${table}`);
    expect(rows).toEqual([
      ['k2', 'b-updated', '20'],
      ['k3', 'c2', '9223372036854775807'],
    ]);
    expect(await running.stop()).toBe(0);
  });
});
