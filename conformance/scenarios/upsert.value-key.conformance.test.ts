import type { Message } from 'kafkajs';
import { scenario } from '../harness/scenario';
import type { ScenarioContext } from '../harness/scenario-context';
import { avroFixture } from '../support/avro-fixture';
import { caughtUp } from '../support/caught-up';

const PARTITIONS = 3;
/** 8 ids per partition: by pigeonhole every 9 consecutive records of a partition repeat an id, so every batch of 50 does. */
const IDS = 24;
const REGIONS = ['eu', 'us', 'ap'];
const BATCH_SIZE = 50;

interface Reading {
  id: number;
  region: string;
  seq: number;
  note: string | null;
}

/** Deterministic pseudo-random readings (mulberry32), numbered from `firstSeq`. */
function readings(firstSeq: number, count: number, seed: number): Reading[] {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return Array.from({ length: count }, (_, i) => {
    const seq = firstSeq + i;
    // Every fourth value has no note, so a later NULL must overwrite an earlier text and vice versa.
    return { id: 1 + Math.floor(next() * IDS), region: REGIONS[Math.floor(next() * REGIONS.length)], seq, note: seq % 4 === 0 ? null : `note ${seq}` };
  });
}

/**
 * Keyed by id and pinned to partition `id % PARTITIONS`, so all versions of an id (and of a
 * region/id pair) sit in one partition, where produce order is offset order.
 */
async function produceReadings(s: ScenarioContext, topic: string, schemaId: number, batch: Reading[]): Promise<void> {
  const messages: Message[] = await Promise.all(batch.map(async (r) => ({ key: String(r.id), partition: r.id % PARTITIONS, value: await s.encode(schemaId, r) })));
  await s.produce(topic, messages);
}

/** The last reading per key, in produce order (= offset order within the key's partition). */
function lastBy(all: Reading[], key: (r: Reading) => string): Map<string, Reading> {
  const last = new Map<string, Reading>();
  for (const r of all) last.set(key(r), r);
  return last;
}

function asRow(r: Reading): (string | null)[] {
  return [String(r.id), r.region, String(r.seq), r.note];
}

/**
 * Upsert keyed by value fields (pk.mode=record_value): keys repeat within every batch and across
 * batches and fetches; the table holds one row per key with the value of its last record.
 */
scenario('upsert.value-key', (s) => {
  const schema = avroFixture('upsert.value-key', 'reading');

  const upsertConfig = (topic: string, pkFields: string) =>
    s.config({
      topics: topic,
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': pkFields,
      'batch.size': String(BATCH_SIZE),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
    });

  s.it(`pk.fields=id: one row per id, the last value by offset wins within and across batches of ${BATCH_SIZE}`, async () => {
    const topic = await s.createTopic('by_id', PARTITIONS);
    const schemaId = await s.registerAvro(`${topic}-value`, schema);
    // Produced before the sink starts, so the first fetch is cut into full batches of 50.
    const first = readings(0, 360, 1);
    await produceReadings(s, topic, schemaId, first);
    const config = upsertConfig(topic, 'id');
    const running = await s.start(config);
    await caughtUp(s, running, config, topic);

    const sql = `SELECT id::String, region, seq::String, note FROM ${topic} t ORDER BY t.id`;
    const expected = (all: Reading[]) => [...lastBy(all, (r) => String(r.id)).values()].sort((a, b) => a.id - b.id).map(asRow);
    expect(await s.query(sql)).toEqual(expected(first));
    expect(await s.columns(topic)).toEqual([
      ['id', 'BIGINT', 'NO'],
      ['note', 'VARCHAR', 'YES'],
      ['region', 'VARCHAR', 'YES'],
      ['seq', 'INT', 'YES'],
    ]);

    // Later fetches of a running sink replace rows that earlier batches wrote.
    const later = [...readings(360, 20, 2), ...readings(380, 20, 3), ...readings(400, 20, 4)];
    for (let i = 0; i < later.length; i += 20) await produceReadings(s, topic, schemaId, later.slice(i, i + 20));
    await caughtUp(s, running, config, topic);
    expect(await s.query(sql)).toEqual(expected([...first, ...later]));
  });

  s.it('pk.fields=region,id: one row per (region, id), both key columns NOT NULL, the last value wins', async () => {
    const topic = await s.createTopic('by_region_id', PARTITIONS);
    const schemaId = await s.registerAvro(`${topic}-value`, schema);
    const all = readings(0, 420, 5);
    await produceReadings(s, topic, schemaId, all);
    const config = upsertConfig(topic, 'region,id');
    const running = await s.start(config);
    await caughtUp(s, running, config, topic);

    const last = [...lastBy(all, (r) => `${r.region}/${r.id}`).values()];
    last.sort((a, b) => (a.region === b.region ? a.id - b.id : a.region < b.region ? -1 : 1));
    expect(await s.query(`SELECT id::String, region, seq::String, note FROM ${topic} t ORDER BY t.region, t.id`)).toEqual(last.map(asRow));
    expect(await s.columns(topic)).toEqual([
      ['id', 'BIGINT', 'NO'],
      ['note', 'VARCHAR', 'YES'],
      ['region', 'VARCHAR', 'NO'],
      ['seq', 'INT', 'YES'],
    ]);
  });
});
