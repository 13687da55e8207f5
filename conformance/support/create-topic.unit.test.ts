import { type Admin, KafkaJSProtocolError } from 'kafkajs';
import { createTopicAndWait } from './create-topic';

/** The error kafkajs throws for a metadata answer of a broker that does not know the topic yet. */
const unknownTopic = () => new KafkaJSProtocolError({ name: 'KafkaJSProtocolError', message: 'This server does not host this topic-partition', type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true } as unknown as Error);

function admin(createTopics: () => Promise<boolean>, metadata: (() => Promise<unknown>)[]): Admin {
  let call = 0;
  return { createTopics, fetchTopicMetadata: () => metadata[Math.min(call++, metadata.length - 1)]() } as unknown as Admin;
}

const led = (leader: number) => Promise.resolve({ topics: [{ name: 't', partitions: [{ partitionId: 0, leader }] }] });

describe('createTopicAndWait', () => {
  it('returns when kafkajs saw every leader', async () => {
    const a = admin(() => Promise.resolve(true), [() => Promise.reject(new Error('not asked'))]);
    await expect(createTopicAndWait(a, { topic: 't' })).resolves.toBeUndefined();
  });

  it('asks again while the broker does not know the new topic, then while a partition has no leader', async () => {
    const a = admin(() => Promise.reject(unknownTopic()), [() => Promise.reject(unknownTopic()), () => led(-1), () => led(1)]);
    await expect(createTopicAndWait(a, { topic: 't' }, 5_000)).resolves.toBeUndefined();
  });

  it('gives up after its time, naming the topic', async () => {
    const a = admin(() => Promise.reject(unknownTopic()), [() => Promise.reject(unknownTopic())]);
    await expect(createTopicAndWait(a, { topic: 't' }, 300)).rejects.toThrow(/topic t: created, but not every partition had a leader within 300 ms/);
  });

  it('passes any other error on', async () => {
    const a = admin(() => Promise.reject(new KafkaJSProtocolError({ message: 'denied', type: 'TOPIC_AUTHORIZATION_FAILED', code: 29 } as unknown as Error)), []);
    await expect(createTopicAndWait(a, { topic: 't' })).rejects.toThrow('denied');
  });
});
