import * as avro from 'avsc';
import type { Message } from 'kafkajs';
import { scenario } from '../harness/scenario';
import { caughtUp } from '../support/caught-up';
import { RssSampler } from '../support/process-memory';

const RECORDS = 1_000_000;
const PARTITIONS = 4;
/** Records per producer request: large enough to produce a million in seconds, small enough for memory. */
const CHUNK = 25_000;
/**
 * The documented bound on the sink's resident memory while it drains a backlog (README, "Decisions":
 * about 240 MB for a 1,000,000-record drain; docs/operations.md). A vendor sink with another bound
 * sets CONFORMANCE_RSS_BOUND_MB.
 */
const RSS_BOUND_MB = Number(process.env.CONFORMANCE_RSS_BOUND_MB ?? 300);
/** How long the drain may take (the wait in caughtUp below), plus producing the backlog and the checks. */
const DRAIN_TIMEOUT_MS = 10 * 60_000;
const TEST_TIMEOUT_MS = DRAIN_TIMEOUT_MS + 3 * 60_000;

const SCHEMA = {
  type: 'record',
  name: 'Reading',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'sensor', type: 'string' },
    { name: 'value', type: 'long' },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
} as const;

interface Reading {
  id: number;
  sensor: string;
  value: number;
  note: string | null;
}

/** Every value a function of `i`, so that the sums below are known without keeping the records. */
function reading(i: number): Reading {
  return { id: i, sensor: `s${i % 97}`, value: (i * 7919) % 100_003, note: i % 5 === 0 ? null : `n${i % 1000}` };
}

/**
 * A million Avro records over four partitions as a backlog, drained by one sink in insert mode:
 * every record lands exactly once with its values (count, distinct ids, sums), the group commits to
 * the end, and the sink's peak resident memory stays under the documented bound. The peak is shown
 * in the report's Measurements.
 */
scenario('load.sustained', (s) => {
  s.it(`${RECORDS.toLocaleString('en-US')} records → all written exactly once; peak RSS ≤ ${RSS_BOUND_MB} MB`, async () => {
    const topic = await s.createTopic('readings', PARTITIONS);
    const schemaId = await s.registerAvro(`${topic}-value`, SCHEMA);
    const type = avro.Type.forSchema(SCHEMA as unknown as avro.Schema);
    const header = Buffer.alloc(5);
    header.writeUInt32BE(schemaId, 1);
    let valueSum = 0n;
    let nulls = 0;
    for (let first = 0; first < RECORDS; first += CHUNK) {
      const messages: Message[] = [];
      for (let i = first; i < Math.min(first + CHUNK, RECORDS); i++) {
        const r = reading(i);
        valueSum += BigInt(r.value);
        if (r.note === null) nulls++;
        messages.push({ key: String(i), partition: i % PARTITIONS, value: Buffer.concat([header, type.toBuffer(r)]) });
      }
      await s.produce(topic, messages, CHUNK);
    }

    const config = s.config({
      topics: topic,
      'insert.mode': 'insert',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
    });
    const running = await s.start(config);
    if (running.pid === undefined) throw new Error('load.sustained needs the sink as its own process (requirement hard-kill)');
    const sampler = new RssSampler(running.pid);
    const t0 = Date.now();
    let peakMb: number | null = null;
    try {
      await caughtUp(s, running, config, topic, DRAIN_TIMEOUT_MS);
    } finally {
      const peak = sampler.stop();
      if (peak !== null) {
        peakMb = Math.round(peak / 2 ** 20);
        s.measure(`peak RSS draining ${RECORDS.toLocaleString('en-US')} records`, peakMb, 'MB', `≤ ${RSS_BOUND_MB} MB`);
      }
    }
    s.measure('drain time (backlog to committed end)', Math.round((Date.now() - t0) / 100) / 10, 's');

    const expectedIdSum = (BigInt(RECORDS) * BigInt(RECORDS - 1)) / 2n;
    expect(await s.query(`SELECT count(*)::String, count(DISTINCT id)::String, sum(id)::String, sum(value)::String, (count(*) - count(note))::String FROM ${topic}`)).toEqual([
      [String(RECORDS), String(RECORDS), String(expectedIdSum), String(valueSum), String(nulls)],
    ]);
    expect(await s.query(`SELECT id::String, sensor, value::String, note FROM ${topic} WHERE id IN (0, 1, ${RECORDS - 1}) ORDER BY id`)).toEqual(
      [0, 1, RECORDS - 1].map((i) => {
        const r = reading(i);
        return [String(i), r.sensor, String(r.value), r.note];
      }),
    );
    // Linux keeps the figures in /proc; elsewhere the memory part cannot be judged.
    if (peakMb !== null) expect(peakMb).toBeLessThanOrEqual(RSS_BOUND_MB);
  }, TEST_TIMEOUT_MS);
});
