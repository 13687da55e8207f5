import type { ScenarioContext } from '../harness/scenario-context';
import type { ConnectorConfig, RunningSink } from '../sink-under-test/sink-under-test';

/** Waits (bounded) for a sink to exit by itself and returns its exit code. */
export async function exitedByItself(running: RunningSink, timeoutMs = 60_000): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the sink did not stop by itself within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([running.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `partition 0`, `"partition":0`, `partition=0`: the number right after the word, however the sink formats it. */
export function numbered(word: string, n: number | string): RegExp {
  return new RegExp(`${word}\\W{0,3}${n}(?!\\d)`, 'i');
}

export interface StopExpectation {
  topic: string;
  partition: number;
  /** The offset of the record that stopped the sink. */
  offset: number;
  /** Further names the error must mention (the table, the column). */
  names: string[];
}

/**
 * A record error under `errors.tolerance=none` (sink.md §5): the sink stops by itself with a
 * failure, what it says about the failure names the record's topic, partition and offset in one
 * line (and `names` anywhere), and the group's committed offset is not past the record. Returns
 * that failure output.
 */
export async function expectStoppedAtRecord(s: ScenarioContext, config: ConnectorConfig, running: RunningSink, at: StopExpectation): Promise<string> {
  expect(await exitedByItself(running)).not.toBe(0);
  const logs = running.failureOutput();
  for (const name of at.names) expect(logs).toContain(name);
  // One line names the whole position, so a partition or offset number logged elsewhere cannot pass for it.
  const position = logs.split('\n').filter((line) => line.includes(at.topic) && numbered('partition', at.partition).test(line) && numbered('offset', at.offset).test(line));
  expect(position).not.toEqual([]);
  const committed = (await s.committedOffsets(s.groupId(config), at.topic))[at.partition];
  // Kafka's committed offset is the next record to read: at most the failed record's own offset.
  expect(BigInt(committed)).toBeLessThanOrEqual(BigInt(at.offset));
  return logs;
}
