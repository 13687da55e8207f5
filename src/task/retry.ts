import { SinkError } from '../errors';

export interface RetryPolicy {
  maxRetries: number;
  backoffMs: number;
}

/**
 * Retries infrastructure errors (`SinkError.isRetriable`) with a fixed backoff, then gives up with
 * the last error. Anything else fails at once: record errors are not fixed by waiting.
 */
export async function withRetries<T>(
  what: string,
  policy: RetryPolicy,
  action: () => Promise<T>,
  onRetry: (attempt: number, error: SinkError) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (err) {
      if (!(err instanceof SinkError) || !err.isRetriable) throw err;
      if (attempt > policy.maxRetries) {
        throw new SinkError(err.code, `${what} failed after ${policy.maxRetries} retries: ${err.message}`, err.position, { cause: err });
      }
      onRetry(attempt, err);
      await sleep(policy.backoffMs);
    }
  }
}
