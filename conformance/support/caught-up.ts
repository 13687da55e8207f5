import type { ScenarioContext } from '../harness/scenario-context';
import type { ConnectorConfig, RunningSink } from '../sink-under-test/sink-under-test';
import { eventually } from './eventually';

/**
 * Waits until the sink's group has committed every partition of `topic` up to the end it has now.
 * A sink commits only what is durable, so afterwards Databend holds the final effect of every
 * record produced so far and rows can be compared once, exactly. Fails at once if the sink exits.
 */
export async function caughtUp(s: ScenarioContext, running: RunningSink, config: ConnectorConfig, topic: string, timeoutMs = 60_000): Promise<void> {
  const end = await s.endOffsets(topic);
  let exitCode: number | undefined;
  void running.exited.then((code) => (exitCode = code));
  await eventually(
    async () => {
      if (exitCode !== undefined) return;
      expect(await s.committedOffsets(s.groupId(config), topic)).toEqual(end);
    },
    `sink ${config.name} commits ${topic} up to ${JSON.stringify(end)}`,
    timeoutMs,
  );
  if (exitCode !== undefined) throw new Error(`sink ${config.name} exited with code ${exitCode} before committing ${topic} up to its end`);
}
