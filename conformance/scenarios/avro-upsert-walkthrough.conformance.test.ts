import * as fs from 'node:fs';
import * as path from 'node:path';
import { check } from '../harness/scenario';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import type { ConnectorConfig, RunningSink } from '../sink-under-test/sink-under-test';
import { exitedByItself } from '../support/stopped-sink';

/**
 * The README walk-through, through real services: a Confluent-Cloud-shaped config, an Avro value
 * schema in the registry, auto-create + upsert, then a v2 schema whose added fields evolve the
 * table while v1 records still arrive. Gated like a scenario by what it needs.
 */
check('walk-through: Avro upsert with schema evolution', ['auto-create', 'converter:avro', 'mode:upsert', 'pk:record_value', 'evolve:add'], (s) => {
  let topic: string;
  let table: string;
  let running: RunningSink;
  let config: ConnectorConfig;

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

  s.it('creates the table with mapped types and upserts, last value per key', async () => {
    topic = await s.createTopic('orders', 2);
    table = `${s.database}.kafka_${topic}`;
    // As the README's config: the table's database named by table.name.format.
    config = s.config({
      'tasks.max': '1',
      topics: topic,
      'table.name.format': `${s.database}.kafka_\${topic}`,
      'auto.create': 'true',
      'auto.evolve': 'true',
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
    });
    const id = await s.registerAvro(`${topic}-value`, v1);
    const messages = [];
    for (let i = 1; i <= 5; i++) {
      const value = { id: i, customer: `c${i}`, amount: cents(BigInt(i * 1000 + 1)), qty: i, paid: i % 2 === 0, created_at: 1_700_000_000_000_000 + i, ship_date: i === 1 ? null : 19_700 + i };
      messages.push({ key: String(i), value: await s.encode(id, value) });
    }
    // Same key as record 2, same partition (keyed): the later value wins.
    messages.push({ key: '2', value: await s.encode(id, { id: 2, customer: 'c2-updated', amount: cents(-99n), qty: 20, paid: true, created_at: -1, ship_date: null }) });
    await s.produce(topic, messages);
    running = await s.start(config);

    await s.eventuallyRows(`SELECT id::String, customer, amount::String, qty::String, paid::String, created_at::String, ship_date::String FROM ${table} ORDER BY id`, (rows) =>
      expect(rows).toEqual([
        ['1', 'c1', '10.01', '1', 'false', '2023-11-14 22:13:20.000001', null],
        ['2', 'c2-updated', '-0.99', '20', 'true', '1969-12-31 23:59:59.999999', null],
        ['3', 'c3', '30.01', '3', 'false', '2023-11-14 22:13:20.000003', '2023-12-12'],
        ['4', 'c4', '40.01', '4', 'true', '2023-11-14 22:13:20.000004', '2023-12-13'],
        ['5', 'c5', '50.01', '5', 'false', '2023-11-14 22:13:20.000005', '2023-12-14'],
      ]),
    );
    expect(await s.columns(`kafka_${topic}`)).toEqual([
      ['amount', 'DECIMAL(12, 2)', 'YES'],
      ['created_at', 'TIMESTAMP', 'YES'],
      ['customer', 'VARCHAR', 'YES'],
      ['id', 'BIGINT', 'NO'],
      ['paid', 'BOOLEAN', 'YES'],
      ['qty', 'INT', 'YES'],
      ['ship_date', 'DATE', 'YES'],
    ]);
  });

  s.it('evolves the table for v2 while v1 records keep arriving, then stops cleanly with offsets committed', async () => {
    const subject = `${topic}-value`;
    const id1 = await s.registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: JSON.stringify(v1) });
    const id2 = await s.registerAvro(subject, v2);
    await s.produce(topic, [
      { key: '6', value: await s.encode(id2, { id: 6, customer: 'c6', amount: cents(600n), qty: 6, paid: true, created_at: 1, ship_date: null, coupon: 'SAVE10', priority: 1 }) },
      { key: '7', value: await s.encode(id1, { id: 7, customer: 'c7', amount: cents(700n), qty: 7, paid: false, created_at: 2, ship_date: null }) },
      { key: '3', value: await s.encode(id2, { id: 3, customer: 'c3-v2', amount: cents(300n), qty: 33, paid: true, created_at: 3, ship_date: null, coupon: null, priority: 5 }) },
    ]);
    await s.eventuallyRows(`SELECT id::String, customer, coupon, priority::String FROM ${table} ORDER BY id`, (rows) =>
      expect(rows).toEqual([
        ['1', 'c1', null, '3'],
        ['2', 'c2-updated', null, '3'],
        ['3', 'c3-v2', null, '5'],
        ['4', 'c4', null, '3'],
        ['5', 'c5', null, '3'],
        ['6', 'c6', 'SAVE10', '1'],
        ['7', 'c7', null, '3'],
      ]),
    );
    expect(await running.stop()).toBe(0);
    expect(await s.committedOffsets(s.groupId(config), topic)).toEqual(await s.endOffsets(topic));
  });
});

/**
 * The README's five-mistakes config (`fixtures/configs/five-mistakes.json`): refused before it
 * consumes anything, every mistaken key named in what the sink says about the failure. A missing
 * `bootstrap.servers` is a mistake only where the sink owns its Kafka client (in Kafka Connect the
 * worker's is used).
 */
check('walk-through: the five-mistakes config is refused', [], (s) => {
  s.it('refused before consuming, naming each mistaken key', async () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'configs', 'five-mistakes.json'), 'utf8')) as ConnectorConfig;
    const refused = await s.start({ ...fixture, name: `${fixture.name}-${s.suffix}` });
    expect(await exitedByItself(refused)).not.toBe(0);
    const said = refused.failureOutput();
    // The dead-letter topic among the sink's topics is a rule across two keys: naming either names it.
    const keys = ['db.timezone', ['errors.deadletterqueue.topic.name', 'topics'], 'insert.mode', 'value.converter', ...(s.offers(['kafka-client-config']) ? ['bootstrap.servers'] : [])];
    for (const key of keys) expect({ key, named: [key].flat().some((k) => said.includes(k)) }).toEqual({ key, named: true });
  });
});
