import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { randomUUID } from 'node:crypto';
import { databendConnection, queryStrings } from '../clients/databend';
import { kafkaClient } from '../clients/kafka';
import { schemaRegistryClient } from '../clients/schema-registry';
import { holdSharedServices } from '../harness/environment-faults';
import { runEnvironment } from '../jest/run-environment';

/**
 * The environment works end to end before any sink is involved: Avro through Kafka and the
 * Schema Registry, and rows through a Databend stage load.
 */
describe('environment smoke', () => {
  const run = runEnvironment();
  const { endpoints } = run;
  holdSharedServices(run);
  const suffix = randomUUID().slice(0, 8);

  it('registers an Avro schema, produces a record and consumes it back decoded', async () => {
    const topic = `smoke-avro-${suffix}`;
    const registry = schemaRegistryClient(endpoints.schemaRegistry);
    const schema = {
      type: 'record',
      name: 'Smoke',
      namespace: 'conformance',
      fields: [
        { name: 'id', type: 'long' },
        { name: 'name', type: 'string' },
      ],
    };
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject: `${topic}-value` });
    const kafka = kafkaClient(endpoints.kafka);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: '1', value: await registry.encode(id, { id: 42, name: 'zoë ✓' }) }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `smoke-${suffix}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no record consumed from ${topic} within 30 s`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(await registry.decode(message.value as Buffer));
        },
      });
    });
    await consumer.disconnect();
    expect(received).toEqual({ id: 42, name: 'zoë ✓' });
  });

  it('creates a table, stage-loads rows and reads them back through databend-driver', async () => {
    const conn = await databendConnection(endpoints.databend);
    const table = `smoke_${suffix}`;
    try {
      await conn.exec(`CREATE TABLE ${table} (id BIGINT NOT NULL, name STRING NULL)`);
      const rows = Array.from({ length: 2000 }, (_, i) => [String(i), i % 100 === 0 ? '\\N' : `row "${i}", ✓\nnext`]);
      await conn.streamLoad(`INSERT INTO ${table} VALUES`, rows);
      const count = await queryStrings(conn, `SELECT count(*)::String, count(name)::String FROM ${table}`);
      expect(count).toEqual([['2000', '1980']]);
      const sample = await queryStrings(conn, `SELECT id::String, name FROM ${table} WHERE id IN (0, 7) ORDER BY id`);
      expect(sample).toEqual([
        ['0', null],
        ['7', 'row "7", ✓\nnext'],
      ]);
    } finally {
      await conn.exec(`DROP TABLE IF EXISTS ${table}`);
      await conn.close();
    }
  });
});
