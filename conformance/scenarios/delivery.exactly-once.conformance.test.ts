import { scenario } from '../harness/scenario';
import type { ConnectorConfig, RunningSink } from '../sink-under-test/sink-under-test';
import { caughtUp } from '../support/caught-up';
import { eventually } from '../support/eventually';
import { freeze, freezeMidWrite, RequestLogTail, thaw } from '../support/frozen-sink';

const PARTITIONS = 2;
const RECORDS = 20_000;
/** Small batches: many transactions, so that a kill or a freeze lands inside one. */
const BATCH_SIZE = 500;
const SESSION_TIMEOUT_MS = 6_000;

/**
 * Exactly-once appends (insert mode, with the sink's exactly-once keys from its capability file):
 * every record becomes exactly one row through the two ways a plain append writes twice.
 *
 * 1. Crash: sink A is SIGKILLed at its first sign of progress and started again (A').
 * 2. Zombie: A' is frozen (SIGSTOP) right after Databend served it a write it has not committed —
 *    mid-batch. Sink B starts with the same config, so the same consumer group; once A''s session
 *    expires, the group gives B every partition and B writes them, past where A' stood. Then A' is
 *    thawed: it carries on with its batch as if nothing happened, and must not get it in.
 *
 * Afterwards, with every offset committed and both sinks stopped: exactly RECORDS rows, one per
 * record, values exact. Against the same sink without its exactly-once keys the scenario fails:
 * both the crash and the zombie leave duplicates (README, "Seeing the suite fail").
 */
scenario('delivery.exactly-once', (s) => {
  s.it(
    `crash + restart + a zombie writer → exactly ${RECORDS.toLocaleString('en-US')} rows, each record once`,
    async () => {
      const topic = await s.createTopic('events', PARTITIONS);
      await s.produce(
        topic,
        Array.from({ length: RECORDS }, (_, i) => ({ key: String(i), partition: i % PARTITIONS, value: JSON.stringify({ id: i, seq: i, payload: `event ${i}` }) })),
      );
      const config: ConnectorConfig = s.config({
        topics: topic,
        'insert.mode': 'insert',
        'tasks.max': String(PARTITIONS),
        'batch.size': String(BATCH_SIZE),
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
        // A member that stops heartbeating (killed, frozen) loses its partitions after this.
        'consumer.override.session.timeout.ms': String(SESSION_TIMEOUT_MS),
        'consumer.override.heartbeat.interval.ms': '2000',
        ...s.exactlyOnceConfig(),
      });
      const group = s.groupId(config);
      const rows = async () => Number((await s.query(`SELECT count(*)::String FROM "${topic}"`).catch(() => [['0']]))[0][0]);
      const committedTotal = async () => Object.values(await s.committedOffsets(group, topic)).reduce((sum, o) => sum + Math.max(0, Number(o)), 0);

      // 1. Crash at the first sign of progress, then restart.
      const a = await s.start(config);
      await eventually(
        async () => {
          if ((await rows()) === 0 && (await committedTotal()) === 0) throw new Error('no rows and no commit yet');
        },
        `first rows in ${topic} or first commit of ${group}`,
        60_000,
        50,
      );
      await a.kill();
      const atKill = await rows();
      if (atKill >= RECORDS) throw new Error(`the sink had written all ${RECORDS} records before the kill: the scenario needs more records`);

      // 2. The restarted sink, frozen mid-write.
      const log = s.endpoints.databend.requestLog;
      const tail = log ? new RequestLogTail(log) : null;
      const restarted = await s.start(config);
      let zombieSession: string | undefined;
      if (tail) {
        zombieSession = (await freezeMidWrite(restarted, tail, topic, 90_000)).session;
      } else {
        await eventually(
          async () => {
            if ((await rows()) <= atKill) throw new Error('no new rows yet');
          },
          'rows written after the restart',
          90_000,
          20,
        );
        freeze(restarted);
      }
      const atFreeze = await s.committedOffsets(group, topic);

      // 3. B takes the group over and writes past the zombie's batch on every partition.
      const b = await s.start(config);
      try {
        await eventually(
          async () => {
            const now = await s.committedOffsets(group, topic);
            const behind = Object.keys(atFreeze).filter((p) => Number(now[Number(p)]) <= Number(atFreeze[Number(p)]) && Number(now[Number(p)]) < RECORDS / PARTITIONS);
            if (behind.length > 0) throw new Error(`partitions ${behind.join(', ')} not written further by the new member yet (${JSON.stringify(now)})`);
          },
          `the new member writes every partition past ${JSON.stringify(atFreeze)}`,
          90_000,
        );
      } finally {
        // 4. The zombie resumes its batch.
        thaw(restarted);
      }
      const servedBeforeThaw = tail?.served.length ?? 0;

      await caughtUp(s, b, config, topic, 120_000);
      await stopAll([b, restarted]);
      if (tail) {
        tail.read();
        // How the sink kept the zombie out is its own business: reported, not judged.
        const fenced = tail.served
          .slice(servedBeforeThaw)
          .filter((r) => r.session === zombieSession && (r.error === 4001 || (r.error === undefined && /^\s*UPDATE\b/i.test(r.sql ?? '') && r.rows === 0))).length;
        s.measure('zombie (frozen right after a write it had not committed): its statements after the thaw that Databend refused as a conflict ([4001]) or that updated no row', fenced, 'statements');
      }

      const [[count, distinct, lowest, highest, malformed]] = await s.query(
        `SELECT count(*)::String, count(DISTINCT id)::String, min(id)::String, max(id)::String, sum(if(seq = id AND payload = concat('event ', id::String), 0, 1))::String FROM "${topic}"`,
      );
      const duplicated = await s.query(`SELECT id::String, count(*)::String FROM "${topic}" GROUP BY id HAVING count(*) > 1 ORDER BY id LIMIT 10`);
      s.measure('rows written twice after crash + zombie', Number(count) - Number(distinct), 'rows', '0');
      expect(duplicated).toEqual([]);
      expect({ count, distinct, lowest, highest, malformed }).toEqual({ count: String(RECORDS), distinct: String(RECORDS), lowest: '0', highest: String(RECORDS - 1), malformed: '0' });
    },
    360_000,
  );
});

/** Stops the sinks (SIGTERM) so that nothing is in flight when the rows are counted. */
async function stopAll(sinks: RunningSink[]): Promise<void> {
  await Promise.all(sinks.map((sink) => sink.stop(30_000)));
}
