import { scenario } from '../harness/scenario';
import { registerAvroFixture } from '../support/registered-avro-fixture';

const RECORDS = 12_000;
const PARTITIONS = 4;
const REGIONS = 7;
const BASE_MICROS = 1_700_000_000_000_000n;

interface Sale {
  id: number;
  region: string;
  qty: number;
  /** Unscaled, scale 2. */
  cents: bigint;
  score: number;
  created: bigint;
  note: string | null;
}

/** Every value a function of `i`, so that the aggregates below can be derived exactly. */
function sale(i: number): Sale {
  return {
    id: i,
    region: `r${i % REGIONS}`,
    qty: ((i * 37) % 1000) - 500,
    cents: BigInt(i) * 101n - 600_000n,
    score: i / 8,
    created: BASE_MICROS + BigInt(i) * 1_000_003n,
    note: i % 10 === 0 ? null : `n${i}`,
  };
}

/** Databend's text of a DECIMAL(…, 2). */
function centsText(cents: bigint): string {
  const digits = (cents < 0n ? -cents : cents).toString().padStart(3, '0');
  return `${cents < 0n ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Databend's text of a TIMESTAMP (UTC session): `YYYY-MM-DD HH:MM:SS.ffffff`. */
function timestampText(micros: bigint): string {
  const iso = new Date(Number(micros / 1000n)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${(micros % 1000n).toString().padStart(3, '0')}`;
}

const min = <T>(xs: T[]): T => xs.reduce((a, b) => (b < a ? b : a));
const max = <T>(xs: T[]): T => xs.reduce((a, b) => (b > a ? b : a));

/**
 * 12,000 Avro records over four partitions in insert mode (more than one `batch.size` of 10,000):
 * exactly one row per record, the aggregates of several columns equal to what was produced, and
 * after a graceful stop (exit 0) the group's committed offsets equal the log-end offsets. The
 * `timestamp-micros` column is judged on its own: a converter may not carry that type.
 */
scenario('append.basic', (s) => {
  let landed: { topic: string; sales: Sale[] } | undefined;
  s.it(`${RECORDS} records over ${PARTITIONS} partitions → exactly ${RECORDS} rows, exact aggregates, offsets committed to the end`, async () => {
    const topic = await s.createTopic('sales', PARTITIONS);
    const encode = await registerAvroFixture(s, `${topic}-value`, 'append.basic', 'value');
    const sales = Array.from({ length: RECORDS }, (_, k) => sale(k + 1));
    await s.produce(
      topic,
      sales.map((x) => ({
        partition: x.id % PARTITIONS,
        key: String(x.id),
        value: encode({ id: x.id, region: x.region, qty: x.qty, amount: centsText(x.cents), score: x.score, created: x.created.toString(), note: x.note }),
      })),
    );
    const end = await s.endOffsets(topic);
    expect(end).toEqual(Object.fromEntries(Array.from({ length: PARTITIONS }, (_, p) => [p, String(RECORDS / PARTITIONS)])));

    const config = s.config({
      topics: topic,
      'auto.create': 'true',
      'insert.mode': 'insert',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
    });
    const running = await s.start(config);
    await s.eventuallyRows(`SELECT count(*)::String FROM "${topic}"`, (rows) => expect(rows).toEqual([[String(RECORDS)]]));
    landed = { topic, sales };
    expect(await running.stop()).toBe(0);
    expect(await s.committedOffsets(s.groupId(config), topic)).toEqual(end);

    const [row] = await s.query(
      `SELECT count(*)::String, count(DISTINCT id)::String, sum(id)::String, min(id)::String, max(id)::String,
              count(DISTINCT region)::String, sum(qty)::String, min(qty)::String, max(qty)::String,
              sum(amount)::String, min(amount)::String, max(amount)::String, min(score)::String, max(score)::String,
              count(note)::String, sum(length(note))::String
       FROM "${topic}"`,
    );
    const notes = sales.flatMap((x) => (x.note === null ? [] : [x.note]));
    expect(row).toEqual([
      String(RECORDS),
      String(RECORDS),
      String((RECORDS * (RECORDS + 1)) / 2),
      '1',
      String(RECORDS),
      String(REGIONS),
      String(sales.reduce((n, x) => n + x.qty, 0)),
      String(min(sales.map((x) => x.qty))),
      String(max(sales.map((x) => x.qty))),
      centsText(sales.reduce((n, x) => n + x.cents, 0n)),
      centsText(min(sales.map((x) => x.cents))),
      centsText(max(sales.map((x) => x.cents))),
      String(min(sales.map((x) => x.score))),
      String(max(sales.map((x) => x.score))),
      String(notes.length),
      String(notes.reduce((n, x) => n + x.length, 0)),
    ]);
  });

  s.itRequiring(['avro:timestamp-micros'], '`created` (Avro timestamp-micros) is a TIMESTAMP: its least and greatest values exact', async () => {
    if (!landed) throw new Error('the records did not land (the test before failed)');
    const { topic, sales } = landed;
    expect(await s.query(`SELECT min(created)::String, max(created)::String FROM "${topic}"`)).toEqual([
      [timestampText(min(sales.map((x) => x.created))), timestampText(max(sales.map((x) => x.created)))],
    ]);
  });
});
