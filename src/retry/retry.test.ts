import { SinkError } from '../errors';
import { abortableSleep, jitteredBackoff, withRetries } from './retry';

const noSleep = async () => undefined;

describe('withRetries', () => {
  it('retries retriable errors up to maxRetries, then fails naming the action', async () => {
    let calls = 0;
    const retried: number[] = [];
    const attempt = withRetries(
      'writing batch',
      { maxRetries: 2, backoffMs: 1 },
      async () => {
        calls++;
        throw new SinkError('DATABEND_UNAVAILABLE', 'connection refused');
      },
      (n) => retried.push(n),
      undefined,
      noSleep,
    );
    await expect(attempt).rejects.toThrow('writing batch failed after 2 retries: connection refused');
    expect(calls).toBe(3);
    expect(retried).toEqual([1, 2]);
  });

  it('returns the first success', async () => {
    let calls = 0;
    const result = await withRetries(
      'x',
      { maxRetries: 5, backoffMs: 1 },
      async () => {
        if (++calls < 3) throw new SinkError('KAFKA_UNAVAILABLE', 'down');
        return 'ok';
      },
      () => undefined,
      undefined,
      noSleep,
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('does not retry record errors or foreign errors', async () => {
    let calls = 0;
    await expect(
      withRetries('x', { maxRetries: 5, backoffMs: 1 }, async () => {
        calls++;
        throw new SinkError('ROW_REJECTED', 'bad row');
      }, () => undefined, undefined, noSleep),
    ).rejects.toThrow('bad row');
    await expect(withRetries('x', { maxRetries: 5, backoffMs: 1 }, async () => {
      calls++;
      throw new TypeError('bug');
    }, () => undefined, undefined, noSleep)).rejects.toThrow(TypeError);
    expect(calls).toBe(2);
  });

  it('stops at once when the signal aborts: no further attempt, the backoff in progress ends with its reason', async () => {
    const controller = new AbortController();
    let calls = 0;
    const started = Date.now();
    const attempt = withRetries(
      'writing to Databend',
      { maxRetries: 100, backoffMs: 60_000 },
      async () => {
        calls++;
        throw new SinkError('DATABEND_UNAVAILABLE', 'connection refused');
      },
      () => setTimeout(() => controller.abort(new Error('given up at shutdown')), 10),
      controller.signal,
    );
    await expect(attempt).rejects.toThrow('given up at shutdown');
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('starts no attempt when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('taken back'));
    const action = jest.fn(async () => 'never');
    await expect(withRetries('x', { maxRetries: 1, backoffMs: 1 }, action, () => undefined, controller.signal)).rejects.toThrow('taken back');
    expect(action).not.toHaveBeenCalled();
    await expect(abortableSleep(60_000, controller.signal)).rejects.toThrow('taken back');
  });
});

describe('jitter and time budget', () => {
  it('waits between half the backoff and the whole of it', () => {
    expect(jitteredBackoff(200, () => 0)).toBe(100);
    expect(jitteredBackoff(200, () => 0.999)).toBeCloseTo(199.9);
    for (let i = 0; i < 100; i++) {
      const wait = jitteredBackoff(1000);
      expect(wait).toBeGreaterThanOrEqual(500);
      expect(wait).toBeLessThanOrEqual(1000);
    }
  });

  it('gives up when the next retry would start past the budget, naming it', async () => {
    let clock = 0;
    let calls = 0;
    const waits: number[] = [];
    const attempt = withRetries(
      'committing offsets',
      { maxRetries: 100, backoffMs: 1000, budgetMs: 2500 },
      async () => {
        calls++;
        clock += 400; // each attempt takes 400 ms
        throw new SinkError('KAFKA_UNAVAILABLE', 'coordinator not available');
      },
      () => undefined,
      undefined,
      async (ms) => {
        waits.push(ms);
        clock += ms;
      },
      () => clock,
    );
    await expect(attempt).rejects.toThrow(/^committing offsets failed after \d retries within its 2500 ms budget: coordinator not available$/);
    // Attempts and waits together stay within the budget; far fewer than maxRetries ran.
    expect(clock - 400).toBeLessThanOrEqual(2500);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(4);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(500);
  });
});
