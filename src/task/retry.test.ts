import { SinkError } from '../errors';
import { withRetries } from './retry';

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
      }, () => undefined, noSleep),
    ).rejects.toThrow('bad row');
    await expect(withRetries('x', { maxRetries: 5, backoffMs: 1 }, async () => {
      calls++;
      throw new TypeError('bug');
    }, () => undefined, noSleep)).rejects.toThrow(TypeError);
    expect(calls).toBe(2);
  });
});
