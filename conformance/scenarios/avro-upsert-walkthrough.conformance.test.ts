import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { databendConnection, queryStrings, type DatabendConnection } from '../clients/databend';
import { kafkaClient } from '../clients/kafka';
import { schemaRegistryClient } from '../clients/schema-registry';
import { holdSharedServices } from '../harness/environment-faults';
import { runEnvironment } from '../jest/run-environment';
import { sinkUnderTest } from '../sink-under-test/select-sink';
import type { RunningSink } from '../sink-under-test/sink-under-test';
import { eventually } from '../support/eventually';

/**
 * The README walk-through, through real services: a Confluent-Cloud-shaped config, an Avro value
 * schema in the registry, auto-create + upsert, then a v2 schema whose added fields evolve the
 * table while v1 records still arrive.
 */
describe('walk-through: Avro upsert with schema evolution', () => {
  const run = runEnvironment();
  const { endpoints } = run;
  holdSharedServices(run);
  const suffix = randomUUID().slice(0, 8);
  const topic = `orders_${suffix}`;
  const database = `walk_${suffix}`;
  const table = `${database}.kafka_${topic}`;
  const registry = schemaRegistryClient(endpoints.schemaRegistry);
  const kafka = kafkaClient(endpoints.kafka);
  const sink = sinkUnderTest();
  let running: RunningSink | null = null;
  let db: DatabendConnection;

  const v1 = {
    type: 'record',
    name: 'Order',
    namespace: 'shop',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'customer', type: 'string' },
      { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
      { name: 'qty', type: 'int' },
      { name: 'paid', type: 'boolean' },
      { name: 'created_at', type: { type: 'long', logicalType: 'timestamp-micros' } },
      { name: 'ship_date', type: ['null', { type: 'int', logicalType: 'date' }], default: null },
    ],
  };
  const v2 = { ...v1, fields: [...v1.fields, { name: 'coupon', type: ['null', 'string'], default: null }, { name: 'priority', type: 'int', default: 3 }] };
  const cents = (n: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(n);
    return b;
  };

  const config = () => ({
    name: `walk-${suffix}`,
    config: {
      'connector.class': 'com.databend.kafka.connect.DatabendSinkConnector',
      'tasks.max': '1',
      topics: topic,
      'connection.url': `jdbc:databend://${endpoints.databend.host}:${endpoints.databend.port}${endpoints.databend.sslmode === 'enable' ? '?ssl=true' : ''}`,
      'connection.user': endpoints.databend.user,
      'connection.password': endpoints.databend.password,
      'connection.database': 'default',
      'table.name.format': `${database}.kafka_\${topic}`,
      'auto.create': 'true',
      'auto.evolve': 'true',
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      'value.converter.schema.registry.url': endpoints.schemaRegistry.url,
      'bootstrap.servers': endpoints.kafka.bootstrapServers.join(','),
      'linger.ms': '100',
    },
  });

  async function produce(messages: { key: string; value: Buffer }[]): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages });
    await producer.disconnect();
  }

  beforeAll(async () => {
    db = await databendConnection(endpoints.databend);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    if (running) await running.kill();
    await db.exec(`DROP DATABASE IF EXISTS ${database}`);
    await db.close();
  });

  it('creates the table with mapped types and upserts, last value per key', async () => {
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject: `${topic}-value` });
    const messages = [];
    for (let i = 1; i <= 5; i++) {
      const value = { id: i, customer: `c${i}`, amount: cents(BigInt(i * 1000 + 1)), qty: i, paid: i % 2 === 0, created_at: 1_700_000_000_000_000 + i, ship_date: i === 1 ? null : 19_700 + i };
      messages.push({ key: String(i), value: await registry.encode(id, value) });
    }
    // Same key as record 2, same partition (keyed): the later value wins.
    messages.push({ key: '2', value: await registry.encode(id, { id: 2, customer: 'c2-updated', amount: cents(-99n), qty: 20, paid: true, created_at: -1, ship_date: null }) });
    await produce(messages);
    running = await sink.start(config());

    const rows = await eventually(async () => {
      const r = await queryStrings(db, `SELECT id::String, customer, amount::String, qty::String, paid::String, created_at::String, ship_date::String FROM ${table} ORDER BY id`);
      expect(r.find((row) => row[0] === '2')?.[1]).toBe('c2-updated');
      expect(r).toHaveLength(5);
      return r;
    }, `rows in ${table}`);
    expect(rows).toEqual([
      ['1', 'c1', '10.01', '1', 'false', '2023-11-14 22:13:20.000001', null],
      ['2', 'c2-updated', '-0.99', '20', 'true', '1969-12-31 23:59:59.999999', null],
      ['3', 'c3', '30.01', '3', 'false', '2023-11-14 22:13:20.000003', '2023-12-12'],
      ['4', 'c4', '40.01', '4', 'true', '2023-11-14 22:13:20.000004', '2023-12-13'],
      ['5', 'c5', '50.01', '5', 'false', '2023-11-14 22:13:20.000005', '2023-12-14'],
    ]);
    // system.columns has no defined row order.
    const columns = await queryStrings(db, `SELECT name, data_type, is_nullable FROM system.columns WHERE database = '${database}' AND table = 'kafka_${topic}' ORDER BY name`);
    expect(columns).toEqual([
      ['amount', 'DECIMAL(12, 2)', 'YES'],
      ['created_at', 'TIMESTAMP', 'YES'],
      ['customer', 'VARCHAR', 'YES'],
      ['id', 'BIGINT', 'NO'],
      ['paid', 'BOOLEAN', 'YES'],
      ['qty', 'INT', 'YES'],
      ['ship_date', 'DATE', 'YES'],
    ]);
  });

  it('evolves the table for v2 while v1 records keep arriving, then stops cleanly with offsets committed', async () => {
    const id1 = await registry.getRegistryIdBySchema(`${topic}-value`, { type: SchemaType.AVRO, schema: JSON.stringify(v1) });
    const { id: id2 } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v2) }, { subject: `${topic}-value` });
    await produce([
      { key: '6', value: await registry.encode(id2, { id: 6, customer: 'c6', amount: cents(600n), qty: 6, paid: true, created_at: 1, ship_date: null, coupon: 'SAVE10', priority: 1 }) },
      { key: '7', value: await registry.encode(id1, { id: 7, customer: 'c7', amount: cents(700n), qty: 7, paid: false, created_at: 2, ship_date: null }) },
      { key: '3', value: await registry.encode(id2, { id: 3, customer: 'c3-v2', amount: cents(300n), qty: 33, paid: true, created_at: 3, ship_date: null, coupon: null, priority: 5 }) },
    ]);
    const rows = await eventually(async () => {
      const r = await queryStrings(db, `SELECT id::String, customer, coupon, priority::String FROM ${table} ORDER BY id`);
      expect(r).toHaveLength(7);
      expect(r[2][1]).toBe('c3-v2');
      return r;
    }, `v2 rows in ${table}`);
    expect(rows).toEqual([
      ['1', 'c1', null, '3'],
      ['2', 'c2-updated', null, '3'],
      ['3', 'c3-v2', null, '5'],
      ['4', 'c4', null, '3'],
      ['5', 'c5', null, '3'],
      ['6', 'c6', 'SAVE10', '1'],
      ['7', 'c7', null, '3'],
    ]);

    expect(await (running as RunningSink).stop()).toBe(0);
    running = null;
    const admin = kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: `connect-walk-${suffix}`, topics: [topic] });
    const latest = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const byPartition = (xs: { partition: number; offset: string }[]) => Object.fromEntries(xs.map((x) => [x.partition, x.offset]));
    expect(byPartition(committed.partitions)).toEqual(byPartition(latest));
  });

  it('refuses the five-mistakes config before consuming, naming all five keys', async () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'configs', 'five-mistakes.json'), 'utf8'));
    const refused = await sink.start(fixture);
    expect(await refused.exited).toBe(2);
    const named = [...refused.logs().matchAll(/^error: ([a-z.]+)[=:]/gm)].map((m) => m[1]).sort();
    expect(named).toEqual(['bootstrap.servers', 'db.timezone', 'errors.deadletterqueue.topic.name', 'insert.mode', 'value.converter']);
  });
});
