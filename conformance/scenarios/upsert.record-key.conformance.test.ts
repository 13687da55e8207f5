import type { Message } from 'kafkajs';
import { scenario } from '../harness/scenario';
import { avroFixture } from '../support/avro-fixture';
import { caughtUp } from '../support/caught-up';

const BATCH_SIZE = 25;
const RECORDS = 150;

interface Account {
  name: string;
  seq: number;
  note: string | null;
}

function account(seq: number): Account {
  // Every third value has no note, so a later NULL must overwrite an earlier text and vice versa.
  return { name: `account ${seq}`, seq, note: seq % 3 === 0 ? null : `note ${seq}` };
}

/** Record `seq` of `RECORDS` per key, keeping only the last one (records of a key share a partition: offset order = produce order). */
function lastPerKey<K>(keyOf: (seq: number) => K, id: (key: K) => string): { key: K; value: Account }[] {
  const last = new Map<string, { key: K; value: Account }>();
  for (let seq = 0; seq < RECORDS; seq++) last.set(id(keyOf(seq)), { key: keyOf(seq), value: account(seq) });
  return [...last.values()];
}

function valueCells(a: Account): (string | null)[] {
  return [a.name, String(a.seq), a.note];
}

/**
 * Upsert keyed by the record key (pk.mode=record_key) — a struct key and a primitive key — and by
 * the record's Kafka coordinates (pk.mode=kafka). Keys repeat within and across batches; each
 * table holds one row per key with the last value, and its key columns are NOT NULL.
 */
scenario('upsert.record-key', (s) => {
  const valueSchema = avroFixture('upsert.record-key', 'account');

  const upsertConfig = (topic: string, overrides: Record<string, string>) =>
    s.config({
      topics: topic,
      'insert.mode': 'upsert',
      'batch.size': String(BATCH_SIZE),
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      ...overrides,
    });

  s.it('struct key (Avro, two fields): one row per (tenant, id), the last value wins', async () => {
    const topic = await s.createTopic('struct_key', 2);
    const keyId = await s.registerAvro(`${topic}-key`, avroFixture('upsert.record-key', 'account-key'));
    const valueId = await s.registerAvro(`${topic}-value`, valueSchema);
    // 18 keys: every batch of 25 repeats some; the default partitioner keeps each key's bytes in one partition.
    const keyOf = (seq: number) => ({ tenant: seq % 2 === 0 ? 'north' : 'south', id: (seq * 7) % 9 });
    const messages: Message[] = [];
    for (let seq = 0; seq < RECORDS; seq++) messages.push({ key: await s.encode(keyId, keyOf(seq)), value: await s.encode(valueId, account(seq)) });
    await s.produce(topic, messages);
    const config = upsertConfig(topic, { 'pk.mode': 'record_key', 'key.converter': 'io.confluent.connect.avro.AvroConverter' });
    const running = await s.start(config);
    await caughtUp(s, running, config, topic);

    const expected = lastPerKey(keyOf, (k) => `${k.tenant}/${k.id}`)
      .sort((a, b) => (a.key.tenant === b.key.tenant ? a.key.id - b.key.id : a.key.tenant < b.key.tenant ? -1 : 1))
      .map(({ key, value }) => [key.tenant, String(key.id), ...valueCells(value)]);
    expect(await s.query(`SELECT tenant, id::String, name, seq::String, note FROM ${topic} t ORDER BY t.tenant, t.id`)).toEqual(expected);
    expect(await s.columns(topic)).toEqual([
      ['id', 'BIGINT', 'NO'],
      ['name', 'VARCHAR', 'YES'],
      ['note', 'VARCHAR', 'YES'],
      ['seq', 'INT', 'YES'],
      ['tenant', 'VARCHAR', 'NO'],
    ]);
  });

  s.it('primitive key (StringConverter, pk.fields=id): one row per key in a column named id, the last value wins', async () => {
    const topic = await s.createTopic('string_key', 2);
    const valueId = await s.registerAvro(`${topic}-value`, valueSchema);
    // 14 keys, two of them with a quote and non-ASCII text, which must survive as key values.
    const names = [...Array.from({ length: 12 }, (_, i) => `acct-${i}`), "o'hara", 'ключ-Ω'];
    const keyOf = (seq: number) => names[(seq * 5) % names.length];
    const messages: Message[] = [];
    for (let seq = 0; seq < RECORDS; seq++) messages.push({ key: keyOf(seq), value: await s.encode(valueId, account(seq)) });
    await s.produce(topic, messages);
    const config = upsertConfig(topic, { 'pk.mode': 'record_key', 'pk.fields': 'id', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter' });
    const running = await s.start(config);
    await caughtUp(s, running, config, topic);

    const expected = lastPerKey(keyOf, (k) => k)
      // Databend orders strings by their UTF-8 bytes; for these keys (no surrogate pairs) UTF-16 order is the same.
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map(({ key, value }) => [key, ...valueCells(value)]);
    expect(await s.query(`SELECT id, name, seq::String, note FROM ${topic} t ORDER BY t.id`)).toEqual(expected);
    expect(await s.columns(topic)).toEqual([
      ['id', 'VARCHAR', 'NO'],
      ['name', 'VARCHAR', 'YES'],
      ['note', 'VARCHAR', 'YES'],
      ['seq', 'INT', 'YES'],
    ]);
  });

  s.it('pk.mode=kafka: one row per (topic, partition, offset), and replaying the topic rewrites the same rows', async () => {
    const topic = await s.createTopic('kafka_coordinates', 2);
    const valueId = await s.registerAvro(`${topic}-value`, valueSchema);
    // Record seq goes to partition seq % 2, where it gets offset floor(seq / 2).
    const messages: Message[] = [];
    for (let seq = 0; seq < RECORDS; seq++) messages.push({ partition: seq % 2, value: await s.encode(valueId, account(seq)) });
    await s.produce(topic, messages);
    const expected = Array.from({ length: RECORDS }, (_, seq) => [topic, String(seq % 2), String(Math.floor(seq / 2)), ...valueCells(account(seq))]).sort((a, b) =>
      a[1] === b[1] ? Number(a[2]) - Number(b[2]) : Number(a[1]) - Number(b[1]),
    );
    const sql = `SELECT __connect_topic, __connect_partition::String, __connect_offset::String, name, seq::String, note FROM ${topic} t ORDER BY t.__connect_partition, t.__connect_offset`;

    // A second connector (its own group, reading from the start) into the same table replays every record.
    for (const run of ['first', 'replay']) {
      const config = upsertConfig(topic, { 'pk.mode': 'kafka', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter' });
      const running = await s.start(config);
      await caughtUp(s, running, config, topic);
      expect({ run, rows: await s.query(sql) }).toEqual({ run, rows: expected });
    }
    expect(await s.columns(topic)).toEqual([
      ['__connect_offset', 'BIGINT', 'NO'],
      ['__connect_partition', 'INT', 'NO'],
      ['__connect_topic', 'VARCHAR', 'NO'],
      ['name', 'VARCHAR', 'YES'],
      ['note', 'VARCHAR', 'YES'],
      ['seq', 'INT', 'YES'],
    ]);
  });
});
