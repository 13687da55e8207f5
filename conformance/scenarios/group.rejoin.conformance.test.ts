import { PartitionAssigners, type Consumer, type PartitionAssigner } from 'kafkajs';
import { scenario } from '../harness/scenario';
import type { ScenarioContext } from '../harness/scenario-context';
import { KeyedUpserts } from '../support/keyed-upserts';

/** The shortest session a stock broker accepts (group.min.session.timeout.ms): a write must outlast it easily. */
const SESSION_TIMEOUT_MS = 6_000;
/** How long Databend stays away: one write (with its retries) takes longer than two session timeouts. */
const OUTAGE_MS = 15_000;

/**
 * A write slower than the consumer's session timeout must not cost the sink its place in the group
 * for good. Databend is paused (the environment's fault hook) while upserts keep arriving, so the
 * write in flight lasts 15 s against a 6 s session: a sink that stops heartbeating then is dropped
 * from the group, and must notice and rejoin (its commit then fails with UNKNOWN_MEMBER_ID or
 * ILLEGAL_GENERATION). In the second case another member joins the group during that write, so the
 * partitions are revoked mid-write and handed back when it leaves: the sink must give the batch up,
 * rejoin and go on. Verdict either way: still running, every key once at its last value, the group
 * committed to the end.
 */
scenario('group.rejoin', (s) => {
  const tuning = {
    'consumer.override.session.timeout.ms': String(SESSION_TIMEOUT_MS),
    'consumer.override.heartbeat.interval.ms': '1000',
    'max.retries': '60',
    'retry.backoff.ms': '1000',
  };

  s.it(
    'one write lasts more than twice session.timeout.ms (Databend away 15 s): no exit, nothing lost, each key once',
    async () => {
      const stream = await KeyedUpserts.create(s, 'slow', 2, 50);
      const config = stream.config(tuning);
      // The outage is the scenario's input, a fixed span by definition; nothing is polled here.
      await stream.throughDatabendOutage(config, 200, () => new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)));
    },
    240_000,
  );

  s.it(
    'another member joins the group during that slow write and leaves again: the sink rejoins, nothing lost, no exit',
    async () => {
      const stream = await KeyedUpserts.create(s, 'rebalanced', 2, 50);
      const config = stream.config(tuning);
      await stream.throughDatabendOutage(config, 200, async () => {
        // A member that takes its share of the partitions and processes nothing (it never commits).
        const intruder = await intruderOf(s, s.groupId(config));
        await intruder.connect();
        await intruder.subscribe({ topic: stream.topic });
        let assigned = false;
        intruder.on(intruder.events.GROUP_JOIN, ({ payload }) => (assigned = Object.values(payload.memberAssignment).flat().length > 0));
        await intruder.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS / 2));
        expect(assigned).toBe(true); // the premise: the group rebalanced while the sink's write was in flight
        await intruder.disconnect();
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS / 2));
      });
    },
    240_000,
  );
});

/**
 * A consumer that joins a sink's group as a member the group accepts. A group runs one assignment
 * protocol, one every member offers (a kafkajs sink's `RoundRobinAssigner`, a Java consumer's `range`
 * or `cooperative-sticky`): the intruder offers the one the group runs, with kafkajs's round-robin
 * assignment behind it (used only if it is elected leader) and version 0 metadata, which Java's
 * consumer protocol reads too.
 */
async function intruderOf(s: ScenarioContext, groupId: string): Promise<Consumer> {
  const admin = s.kafka.admin();
  await admin.connect();
  const { groups } = await admin.describeGroups([groupId]).finally(() => admin.disconnect());
  const protocol = groups[0]?.protocol;
  if (!protocol) throw new Error(`group ${groupId} runs no assignment protocol (state ${groups[0]?.state ?? 'unknown'}): the sink is not a member`);
  const assigner: PartitionAssigner = (config) => ({ ...PartitionAssigners.roundRobin(config), name: protocol, version: 0 });
  return s.kafka.consumer({ groupId, sessionTimeout: SESSION_TIMEOUT_MS, heartbeatInterval: 1000, partitionAssigners: [assigner] });
}
