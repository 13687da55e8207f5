/**
 * Polls `check` every `intervalMs` until it returns without throwing, for at most `timeoutMs`;
 * then fails with the last error. Never a fixed sleep.
 */
export async function eventually<T>(check: () => Promise<T>, what: string, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not reached within ${timeoutMs / 1000} s; last: ${last instanceof Error ? last.message : String(last)}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
