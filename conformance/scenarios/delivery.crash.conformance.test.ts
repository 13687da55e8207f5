import type { Message } from 'kafkajs';
import { scenario } from '../harness/scenario';
import type { ConnectorConfig } from '../sink-under-test/sink-under-test';
import { avroFixture } from '../support/avro-fixture';
import { caughtUp } from '../support/caught-up';
import { eventually } from '../support/eventually';

const PARTITIONS = 2;
const TASKS = 2;
const BATCH_SIZE = 1000;
const RECORDS = 20_000;
/**
 * Upsert keys: the first SINGLES records have keys of their own, so losing one shows in the table;
 * the rest cycle through REPEATED keys. Both are multiples of PARTITIONS, so every record of a key
 * lands in the same partition.
 */
const SINGLES = 2_000;
const REPEATED = 2_000;
const upsertId = (i: number) => (i < SINGLES ? i : SINGLES + ((i - SINGLES) % REPEATED));

/** Record i goes to partition i % PARTITIONS, at offset floor(i / PARTITIONS). */
const partitionOf = (i: number) => i % PARTITIONS;

/**
 * SIGKILL the sink while it is writing, restart it with the same config (same group): nothing is
 * lost. Upsert: one row per key, each with its last value. Insert: every record at least once, and
 * only records that were not committed at the kill duplicated, each at most once more; how many
 * is reported. (How many records a sink leaves uncommitted is its commit cadence — one batch for
 * ours, up to `offset.flush.interval.ms` of records in Kafka Connect — not a verdict.)
 */
scenario('delivery.crash', (s) => {
  const schema = avroFixture('delivery.crash', 'event');

  async function produceEvents(topic: string, idOf: (i: number) => number): Promise<void> {
    const schemaId = await s.registerAvro(`${topic}-value`, schema);
    const messages: Message[] = await Promise.all(
      Array.from({ length: RECORDS }, async (_, i) => ({
        key: String(idOf(i)),
        partition: partitionOf(i),
        value: await s.encode(schemaId, { id: idOf(i), seq: i, payload: `event ${i}` }),
      })),
    );
    await s.produce(topic, messages);
  }

  function crashConfig(topic: string, overrides: Record<string, string>): ConnectorConfig {
    return s.config({
      topics: topic,
      'tasks.max': String(TASKS),
      'batch.size': String(BATCH_SIZE),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      // The killed member cannot leave the group: its partitions move to the restarted sink only
      // when its session expires. A sink that ignores this still passes, after its own timeout.
      'consumer.override.session.timeout.ms': '6000',
      ...overrides,
    });
  }

  /**
   * Starts the sink and SIGKILLs it at its first sign of progress — rows in Databend or a commit in
   * Kafka, whichever shows first. A sink that commits after writing dies between a write and its
   * commit (the records are written again); one that commits before writing dies with committed
   * records unwritten (they are lost). Returns the offsets committed at the kill.
   */
  async function killAtFirstProgress(config: ConnectorConfig, topic: string): Promise<Record<number, string>> {
    const running = await s.start(config);
    const group = s.groupId(config);
    await eventually(
      async () => {
        // Before the first write the table may not exist yet: that counts as no rows.
        const [rows, committed] = await Promise.all([s.query(`SELECT count(*)::String FROM ${topic}`).catch(() => [['0']]), s.committedOffsets(group, topic)]);
        if (rows[0][0] === '0' && Object.values(committed).every((o) => o === '-1')) throw new Error('no rows and no commit yet');
      },
      `first rows in ${topic} or first commit of ${group}`,
      60_000,
      50,
    );
    await running.kill();
    const committed = await s.committedOffsets(group, topic);
    const consumed = Object.values(committed).reduce((sum, offset) => sum + Math.max(0, Number(offset)), 0);
    if (consumed >= RECORDS) throw new Error(`the sink had committed all ${RECORDS} records before the kill: the scenario needs more records to kill it mid-stream`);
    return committed;
  }

  async function restart(config: ConnectorConfig, topic: string): Promise<void> {
    const running = await s.start(config);
    await caughtUp(s, running, config, topic, 120_000);
  }

  s.it('insert: every record at least once; duplicates only of records uncommitted at the kill, reported', async () => {
    const topic = await s.createTopic('insert', PARTITIONS);
    await produceEvents(topic, (i) => i);
    const config = crashConfig(topic, { 'insert.mode': 'insert' });
    const committed = await killAtFirstProgress(config, topic);

    // Offsets are committed only after their rows are durable: every committed record is already there.
    for (let p = 0; p < PARTITIONS; p++) {
      const upTo = Math.max(0, Number(committed[p]));
      const [[present]] = await s.query(`SELECT count(DISTINCT id)::String FROM ${topic} WHERE id % ${PARTITIONS} = ${p} AND intDiv(id, ${PARTITIONS}) < ${upTo}`);
      expect({ partition: p, committedRecordsInTable: present }).toEqual({ partition: p, committedRecordsInTable: String(upTo) });
    }

    await restart(config, topic);
    const [[rows, distinct, lowest, highest, malformed]] = await s.query(
      `SELECT count(*)::String, count(DISTINCT id)::String, min(id)::String, max(id)::String, sum(if(seq = id AND payload = concat('event ', seq::String), 0, 1))::String FROM ${topic}`,
    );
    expect({ distinct, lowest, highest, malformed }).toEqual({ distinct: String(RECORDS), lowest: '0', highest: String(RECORDS - 1), malformed: '0' });

    const duplicated = await s.query(`SELECT id::String, count(*)::String FROM ${topic} GROUP BY id HAVING count(*) > 1`);
    const perPartition = Array.from({ length: PARTITIONS }, () => 0);
    const unexpected: string[] = [];
    for (const [id, copies] of duplicated) {
      const i = Number(id);
      const offset = Math.floor(i / PARTITIONS);
      const committedAt = Number(committed[partitionOf(i)]);
      if (copies !== '2' || offset < committedAt) unexpected.push(`id ${id}: ${copies} rows, offset ${offset}, committed at the kill ${committedAt}`);
      perPartition[partitionOf(i)] += Number(copies) - 1;
    }
    const duplicates = Number(rows) - RECORDS;
    s.measure(`insert: duplicate rows after SIGKILL and restart (per partition ${perPartition.join(', ')}; batch.size ${BATCH_SIZE})`, duplicates, 'rows', 'only records uncommitted at the kill, once each');
    expect(unexpected).toEqual([]);
  });

  s.it(`upsert: one row per key, each with its last value (${SINGLES} keys written once, ${REPEATED} keys ${(RECORDS - SINGLES) / REPEATED} times)`, async () => {
    const topic = await s.createTopic('upsert', PARTITIONS);
    await produceEvents(topic, upsertId);
    const config = crashConfig(topic, { 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id' });
    await killAtFirstProgress(config, topic);

    await restart(config, topic);
    const lastSeq = `if(id < ${SINGLES}, id, id + ${REPEATED} * intDiv(${RECORDS - 1} - id, ${REPEATED}))`;
    const [[rows, distinct, lowest, highest, stale]] = await s.query(
      `SELECT count(*)::String, count(DISTINCT id)::String, min(id)::String, max(id)::String, sum(if(seq = ${lastSeq} AND payload = concat('event ', seq::String), 0, 1))::String FROM ${topic}`,
    );
    const keys = String(SINGLES + REPEATED);
    expect({ rows, distinct, lowest, highest, stale }).toEqual({ rows: keys, distinct: keys, lowest: '0', highest: String(SINGLES + REPEATED - 1), stale: '0' });
  });
});
