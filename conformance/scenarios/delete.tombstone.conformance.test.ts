import type { Message } from 'kafkajs';
import { scenario } from '../harness/scenario';
import { avroFixture } from '../support/avro-fixture';
import { caughtUp } from '../support/caught-up';

interface ItemKey {
  tenant: string;
  id: number;
}

/** A record of the script: an upsert to `version`, or a tombstone (`null`). */
type Step = [key: ItemKey, version: number | null];

const acme = (id: number): ItemKey => ({ tenant: 'acme', id });
const globex = (id: number): ItemKey => ({ tenant: 'globex', id });

/** Produced before the sink starts, into one partition: one fetch, so with a large batch.size one batch. */
const FIRST: Step[] = [
  [acme(0), null], // the topic's first record: a tombstone for a key never written
  [acme(1), 1],
  [acme(2), 1],
  [acme(3), 1],
  [globex(1), 1], // shares id 1 with acme/1: a delete must match the whole key
  [acme(1), null], // upsert then delete → no row
  [acme(2), null],
  [acme(2), 2], // delete then upsert → the new value
  [acme(4), 1],
  [acme(4), 2],
  [acme(4), null],
  [acme(5), null],
  [acme(5), 1],
  [acme(5), null],
  [acme(5), 2],
  [acme(6), 1],
  [acme(6), null],
  [acme(6), null],
];

/** Produced once the sink has committed FIRST: these act on rows earlier batches wrote. */
const LATER: Step[] = [
  [acme(3), null], // the first record of the batch deletes a row written by an earlier batch
  [acme(1), 3], // a deleted key comes back
  [globex(1), null],
  [acme(7), null],
];

const label = (key: ItemKey, version: number) => `${key.tenant}/${key.id} v${version}`;

/** The reference semantics: the records applied one by one in offset order. */
function applyInOrder(steps: Step[]): (string | null)[][] {
  const rows = new Map<string, (string | null)[]>();
  for (const [key, version] of steps) {
    const id = `${key.tenant}/${String(key.id).padStart(3, '0')}`;
    if (version === null) rows.delete(id);
    else rows.set(id, [key.tenant, String(key.id), label(key, version), String(version)]);
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
}

/**
 * Tombstones with delete.enabled=true (pk.mode=record_key, Avro struct key, upsert): the table
 * equals the records applied one by one in offset order — whether all records share one batch or
 * each is a batch of its own — and a tombstone for a key that never existed is no error, even as
 * the very first record of the topic.
 */
scenario('delete.tombstone', (s) => {
  const keySchema = avroFixture('delete.tombstone', 'item-key');
  const valueSchema = avroFixture('delete.tombstone', 'item');

  async function produceSteps(topic: string, ids: { key: number; value: number }, steps: Step[]): Promise<void> {
    const messages: Message[] = [];
    for (const [key, version] of steps) {
      messages.push({ key: await s.encode(ids.key, key), value: version === null ? null : await s.encode(ids.value, { label: label(key, version), version }) });
    }
    await s.produce(topic, messages);
  }

  async function replay(part: string, batchSize: number): Promise<void> {
    const topic = await s.createTopic(part, 1);
    const ids = { key: await s.registerAvro(`${topic}-key`, keySchema), value: await s.registerAvro(`${topic}-value`, valueSchema) };
    await produceSteps(topic, ids, FIRST);
    const config = s.config({
      topics: topic,
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      // Every field of the key, named: sinks differ on what an empty pk.fields means with deletes.
      'pk.fields': 'tenant,id',
      'delete.enabled': 'true',
      'batch.size': String(batchSize),
      'key.converter': 'io.confluent.connect.avro.AvroConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
    });
    const running = await s.start(config);
    const sql = `SELECT tenant, id::String, label, version::String FROM ${topic} t ORDER BY t.tenant, t.id`;

    await caughtUp(s, running, config, topic);
    expect(await s.query(sql)).toEqual(applyInOrder(FIRST));
    expect(await s.columns(topic)).toEqual([
      ['id', 'INT', 'NO'],
      ['label', 'VARCHAR', 'YES'],
      ['tenant', 'VARCHAR', 'NO'],
      ['version', 'INT', 'YES'],
    ]);

    await produceSteps(topic, ids, LATER);
    await caughtUp(s, running, config, topic);
    expect(await s.query(sql)).toEqual(applyInOrder([...FIRST, ...LATER]));
  }

  s.it('all records in one batch (batch.size=10000), then a batch that starts with a tombstone', () => replay('one_batch', 10_000));

  s.it('every record its own batch (batch.size=1): the first batch is only a tombstone, before any table exists', () => replay('own_batches', 1));
});
