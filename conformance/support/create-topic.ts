import type { Admin, ITopicConfig } from 'kafkajs';

/**
 * Creates a topic (nothing when it exists) and waits until every partition has a leader. kafkajs's
 * own wait (`waitForLeaders`) gives up on the first metadata answer that does not know the topic
 * yet (`UNKNOWN_TOPIC_OR_PARTITION`, "This server does not host this topic-partition"), which a
 * broker under load gives for a moment after creating it; such answers are asked again until
 * `timeoutMs` has passed.
 */
export async function createTopicAndWait(admin: Admin, topic: ITopicConfig, timeoutMs = 30_000): Promise<void> {
  try {
    await admin.createTopics({ topics: [topic], waitForLeaders: true });
    return;
  } catch (err) {
    if (!notKnownYet(err)) throw err;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const [found] = (await admin.fetchTopicMetadata({ topics: [topic.topic] })).topics;
      if (found !== undefined && found.partitions.length > 0 && found.partitions.every((p) => p.leader >= 0)) return;
    } catch (err) {
      if (!notKnownYet(err)) throw err;
    }
    if (Date.now() >= deadline) throw new Error(`topic ${topic.topic}: created, but not every partition had a leader within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function notKnownYet(err: unknown): boolean {
  const type = (err as { type?: unknown } | null)?.type;
  return type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE';
}
