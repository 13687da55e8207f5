import { SinkError } from '../errors';

export interface RetryPolicy {
  maxRetries: number;
  backoffMs: number;
}

/**
 * Retries infrastructure errors (`SinkError.isRetriable`) with a fixed backoff, then gives up with
 * the last error. Anything else fails at once: record errors are not fixed by waiting. When `signal`
 * aborts (the batch was taken back, or shutdown gave it up), no further attempt starts and a backoff
 * in progress ends at once, with the signal's reason.
 */
export async function withRetries<T>(
  what: string,
  policy: RetryPolicy,
  action: () => Promise<T>,
  onRetry: (attempt: number, error: SinkError) => void,
  signal?: AbortSignal,
  sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await action();
    } catch (err) {
      if (!(err instanceof SinkError) || !err.isRetriable) throw err;
      if (attempt > policy.maxRetries) {
        throw new SinkError(err.code, `${what} failed after ${policy.maxRetries} retries: ${err.message}`, err.position, { cause: err });
      }
      signal?.throwIfAborted();
      onRetry(attempt, err);
      await sleep(policy.backoffMs, signal);
    }
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
