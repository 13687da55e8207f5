import { freePort } from '../environments/local/ports';
import { scenario } from '../harness/scenario';
import { caughtUp } from '../support/caught-up';
import { eventually } from '../support/eventually';

const RECORDS = 3_000;
const PARTITIONS = 3;

/** The samples of one metric in a Prometheus text page, by their label text. */
function samples(page: string, metric: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of page.split('\n')) {
    const m = new RegExp(`^${metric}(\\{[^}]*\\})?\\s+(\\S+)$`).exec(line);
    if (m) out.set(m[1] ?? '', Number(m[2]));
  }
  return out;
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/**
 * A sink run with `metrics.port`: while it drains a backlog over three partitions, /healthz answers
 * at once, /readyz once it joined its group and Databend answers, /metrics (Prometheus text) counts
 * exactly the records produced as consumed and written with lag 0 on every partition, and /status
 * shows the assignment and the committed offsets Kafka itself holds. After a graceful stop the
 * listener is gone.
 */
scenario('ops.observability', (s) => {
  s.it(`/healthz, /readyz, /metrics and /status during a real run; counters equal the ${RECORDS} records produced, lag 0`, async () => {
    const topic = await s.createTopic('events', PARTITIONS);
    await s.produce(
      topic,
      Array.from({ length: RECORDS }, (_, i) => ({ key: String(i), partition: i % PARTITIONS, value: JSON.stringify({ id: i, kind: `k${i % 5}` }) })),
    );
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const config = s.config({
      topics: topic,
      'metrics.port': String(port),
      'metrics.host': '127.0.0.1',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    });
    const running = await s.start(config);
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`);
      return { status: res.status, text: await res.text() };
    };

    await eventually(async () => expect(await get('/healthz')).toEqual({ status: 200, text: 'ok\n' }), '/healthz answers', 30_000);
    await eventually(async () => expect((await get('/readyz')).status).toBe(200), '/readyz: joined the group, Databend answers', 60_000);
    await caughtUp(s, running, config, topic);

    const end = await s.endOffsets(topic);
    const committed = await s.committedOffsets(s.groupId(config), topic);
    await eventually(
      async () => {
        const page = (await get('/metrics')).text;
        expect(samples(page, 'databend_sink_records_consumed_total').get(`{topic="${topic}"}`)).toBe(RECORDS);
        expect(samples(page, 'databend_sink_records_written_total').get(`{topic="${topic}"}`)).toBe(RECORDS);
        expect(sum(samples(page, 'databend_sink_records_failed_total').values())).toBe(0);
        const lag = samples(page, 'databend_sink_consumer_lag');
        expect([...lag.keys()].sort()).toEqual(Array.from({ length: PARTITIONS }, (_, p) => `{topic="${topic}",partition="${p}"}`).sort());
        expect(sum(lag.values())).toBe(0);
        const offsets = samples(page, 'databend_sink_committed_offset');
        for (let p = 0; p < PARTITIONS; p++) expect(offsets.get(`{topic="${topic}",partition="${p}"}`)).toBe(Number(end[p]));
        expect(samples(page, 'databend_sink_databend_reachable').get('')).toBe(1);
        expect(samples(page, 'databend_sink_assigned_partitions').get('')).toBe(PARTITIONS);
        expect(samples(page, 'databend_sink_load_duration_seconds_count').size).toBeGreaterThan(0);
      },
      '/metrics: every record consumed and written, lag 0, offsets as committed',
      30_000,
    );
    const status = JSON.parse((await get('/status')).text);
    expect(status).toMatchObject({
      groupId: s.groupId(config),
      joined: true,
      assignment: { [topic]: Array.from({ length: PARTITIONS }, (_, p) => p) },
      committed: { [topic]: Object.fromEntries(Object.entries(committed).map(([p, o]) => [p, o])) },
      totals: { consumed: RECORDS, written: RECORDS, failed: 0 },
      databend: { reachable: true },
      lastError: null,
    });
    expect(await s.query(`SELECT count(*)::String FROM ${topic}`)).toEqual([[String(RECORDS)]]);

    expect(await running.stop()).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
