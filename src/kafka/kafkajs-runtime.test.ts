import ConsumerGroup from 'kafkajs/src/consumer/consumerGroup';
import RequestQueue from 'kafkajs/src/network/requestQueue';
import { sizeFetches } from './kafkajs-runtime';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, namespace: () => silent };

function queue(): RequestQueue {
  return new RequestQueue({ maxInFlightRequests: null, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: '127.0.0.1:9092', logger: silent });
}

describe("kafkajs request queue's idle re-check", () => {
  let timeouts: jest.SpyInstance;
  beforeEach(() => (timeouts = jest.spyOn(global, 'setTimeout')));
  afterEach(() => timeouts.mockRestore());

  it('sets no timer when nothing is pending and no throttle is in force (kafkajs set one of about minus the epoch)', () => {
    const q = queue();
    q.checkPendingRequests();
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    expect(timeouts.mock.calls.filter(([, delay]) => typeof delay === 'number' && delay < 0)).toEqual([]);
  });

  it('still re-checks pending requests (after 10 ms) and waits out a throttle', () => {
    const q = queue();
    q.pending.push({});
    q.scheduleCheckPendingRequests();
    expect(timeouts).toHaveBeenLastCalledWith(expect.any(Function), 10);
    clearTimeout(q.throttleCheckTimeoutId ?? undefined);
    q.throttleCheckTimeoutId = null;

    q.pending.length = 0;
    q.throttledUntil = Date.now() + 5_000;
    q.scheduleCheckPendingRequests();
    const delay = timeouts.mock.calls[timeouts.mock.calls.length - 1][1] as number;
    expect(delay).toBeGreaterThan(4_000);
    clearTimeout(q.throttleCheckTimeoutId ?? undefined);
  });
});

describe('fetch limits of a consumer group (sizeFetches)', () => {
  /** kafkajs's own ConsumerGroup, made with fixed limits; only its cluster and assignment are faked, so `fetch` is kafkajs's. */
  function group(groupId: string): { group: ConsumerGroup; requests: { maxBytes: number; topics: { partitions: { maxBytes: number }[] }[] }[] } {
    const requests: { maxBytes: number; topics: { partitions: { maxBytes: number }[] }[] }[] = [];
    const broker = { fetch: async (request: (typeof requests)[number]) => (requests.push(request), { responses: [] }) };
    const cluster = { refreshMetadataIfNecessary: async () => undefined, findBroker: async () => broker };
    const Group = ConsumerGroup as unknown as new (options: Record<string, unknown>) => ConsumerGroup & Record<string, unknown>;
    const made = new Group({ logger: silent, cluster, groupId, topics: ['t'], topicConfigurations: {}, retry: { retries: 0 }, maxBytesPerPartition: 1_000, maxBytes: 2_000, maxWaitTimeInMs: 0 });
    Object.assign(made, {
      checkForStaleAssignment: () => undefined,
      seekOffsets: async () => undefined,
      filterPartitionsByNode: (_node: string, assigned: unknown) => assigned,
      getActiveTopicPartitions: () => ({ t: new Set([0]) }),
      offsetManager: { committedOffsets: () => ({ t: { 0: '0' } }), nextOffset: () => '0' },
    });
    (made.subscriptionState as { assign(a: unknown): void }).assign([{ topic: 't', partitions: [0] }]);
    return { group: made, requests };
  }

  it('puts the limits registered for its group id in every Fetch request, and kafkajs’s own once unregistered', async () => {
    const { group: g, requests } = group('sized');
    let limits = { maxBytesPerPartition: 5_000, maxBytes: 10_000 };
    const stop = sizeFetches('sized', () => limits);
    await g.fetch('0');
    limits = { maxBytesPerPartition: 7_000, maxBytes: 14_000 };
    await g.fetch('0');
    stop();
    const other = group('other');
    await other.group.fetch('0');
    expect(requests.map((r) => [r.maxBytes, r.topics[0].partitions[0].maxBytes])).toEqual([
      [10_000, 5_000],
      [14_000, 7_000],
    ]);
    expect(other.requests.map((r) => [r.maxBytes, r.topics[0].partitions[0].maxBytes])).toEqual([[2_000, 1_000]]);
  });
});
