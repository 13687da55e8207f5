/**
 * The sink's one retry loop. Rule: every call to Kafka, Databend or the Schema Registry has one
 * retry owner, the sink, here — with a bounded number of retries, a total time budget and jittered
 * waits — and the clients underneath make one attempt, or as few as they allow:
 * - databend-driver: `retry_count=1` in the DSN (one request per call; its default 3 requests with up
 *   to 10 s jittered waits ran under the sink's own retries: `connection.attempts=2` took 26 s);
 * - the Schema Registry client: one request per call (converters/schema-registry-client.ts);
 * - kafkajs: its dead-letter producer is bounded to 2 protocol retries (kafka/kafkajs-dead-letter-queue.ts).
 *   The consumer's retrier also drives its join and fetch loop (kafkajs src/consumer/runner.js), so
 *   it keeps its own 8 retries; the sink's retries of an offset commit start once kafkajs gave up.
 */
import { SinkError } from '../errors';

export interface RetryPolicy {
  maxRetries: number;
  /** The wait before a retry is drawn from [backoffMs / 2, backoffMs] (jitter: sinks restarted together do not retry in step). */
  backoffMs: number;
  /** No retry starts later than this after the first attempt (attempts and waits included); absent: no limit but maxRetries. */
  budgetMs?: number;
}

/** The wait before a retry: half the backoff plus a random part of the other half. */
export function jitteredBackoff(backoffMs: number, random: () => number = Math.random): number {
  return backoffMs / 2 + random() * (backoffMs / 2);
}

/**
 * Retries infrastructure errors (`SinkError.isRetriable`) with a jittered backoff, then gives up with
 * the last error: after `maxRetries` retries, or when the next retry would start past `budgetMs`.
 * Anything else fails at once: record errors are not fixed by waiting. When `signal` aborts (the
 * batch was taken back, or shutdown gave it up), no further attempt starts and a backoff in
 * progress ends at once, with the signal's reason.
 */
export async function withRetries<T>(
  what: string,
  policy: RetryPolicy,
  action: () => Promise<T>,
  onRetry: (attempt: number, error: SinkError) => void,
  signal?: AbortSignal,
  sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  now: () => number = Date.now,
): Promise<T> {
  const started = now();
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await action();
    } catch (err) {
      if (!(err instanceof SinkError) || !err.isRetriable) throw err;
      if (attempt > policy.maxRetries) {
        throw new SinkError(err.code, `${what} failed after ${policy.maxRetries} retries: ${err.message}`, err.position, { cause: err });
      }
      const wait = jitteredBackoff(policy.backoffMs);
      if (policy.budgetMs !== undefined && now() + wait - started > policy.budgetMs) {
        throw new SinkError(err.code, `${what} failed after ${attempt - 1} retries within its ${policy.budgetMs} ms budget: ${err.message}`, err.position, { cause: err });
      }
      signal?.throwIfAborted();
      onRetry(attempt, err);
      await sleep(wait, signal);
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
