import RequestQueue from 'kafkajs/src/network/requestQueue';
import './kafkajs-runtime';

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
