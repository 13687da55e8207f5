import type { Message } from 'kafkajs';
import type { ScenarioContext } from '../harness/scenario-context';
import type { ConnectorConfig, RunningSink } from '../sink-under-test/sink-under-test';
import { eventually } from './eventually';

/**
 * Upserts over a fixed set of keys, in rounds: round r sets every key's `seq` to r and `v` to
 * `<id>:<r>` (schemaless JSON, keyed by the id). After rounds 1…n the table must hold every key
 * exactly once with `seq` n: a lost record shows as an older `seq` or a missing key, a
 * double-written one as a duplicate key, a stale rewrite as an older `seq`. The table is created
 * beforehand: the scenarios that use this judge delivery, not table creation from schemaless JSON.
 */
export class KeyedUpserts {
  private rounds = 0;

  private constructor(
    private readonly s: ScenarioContext,
    readonly topic: string,
    readonly keys: number,
  ) {}

  /** A new topic of `partitions` and its table (`id` the key, NOT NULL). */
  static async create(s: ScenarioContext, part: string, partitions: number, keys: number): Promise<KeyedUpserts> {
    const topic = await s.createTopic(part, partitions);
    await s.db.exec(`CREATE TABLE "${s.database}"."${topic}" (id BIGINT NOT NULL, seq BIGINT NULL, v VARCHAR NULL)`);
    return new KeyedUpserts(s, topic, keys);
  }

  /** The last round produced so far. */
  get lastRound(): number {
    return this.rounds;
  }

  /** An upsert config for the topic (table `${topic}`, key column `id`). */
  config(overrides: Record<string, string> = {}): ConnectorConfig {
    return this.s.config({
      topics: this.topic,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      ...overrides,
    });
  }

  private nextRound(): Message[] {
    const seq = ++this.rounds;
    return Array.from({ length: this.keys }, (_, id) => ({ key: String(id), value: JSON.stringify({ id, seq, v: `${id}:${seq}` }) }));
  }

  async produceRounds(count: number): Promise<void> {
    const messages = Array.from({ length: count }, () => this.nextRound()).flat();
    await this.s.produce(this.topic, messages);
  }

  /**
   * Produces one round every `intervalMs` until `stop()`, which resolves after the last send. A
   * steady stream, so that whatever happens to the sink meanwhile happens mid-stream.
   */
  startProducing(intervalMs: number): { stop(): Promise<void> } {
    let stopping = false;
    let wake: () => void = () => undefined;
    const producer = this.s.kafka.producer();
    const loop = (async () => {
      await producer.connect();
      try {
        while (!stopping) {
          await producer.send({ topic: this.topic, messages: this.nextRound() });
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, intervalMs);
          });
        }
      } finally {
        await producer.disconnect();
      }
    })();
    return {
      stop: async () => {
        stopping = true;
        wake();
        await loop;
      },
    };
  }

  /** Waits until every key is written at least up to round `seq` (every partition made progress). */
  async waitForEveryKeyAt(seq: number, timeoutMs = 60_000): Promise<void> {
    await this.s.eventuallyRows(
      `SELECT count(DISTINCT id)::String, min(seq)::String FROM ${this.topic}`,
      (rows) => {
        expect(rows[0][0]).toBe(String(this.keys));
        expect(Number(rows[0][1])).toBeGreaterThanOrEqual(seq);
      },
      `every key of ${this.topic} at round ${seq} or later`,
      timeoutMs,
    );
  }

  /** Every key exactly once, with the last round's value. */
  async expectLastRoundWritten(timeoutMs = 60_000): Promise<void> {
    const last = String(this.rounds);
    await this.s.eventuallyRows(
      `SELECT count(*)::String, count(DISTINCT id)::String, min(seq)::String, max(seq)::String, sum(if(v = concat(id::String, ':', seq::String), 0, 1))::String FROM ${this.topic}`,
      (rows) => expect(rows).toEqual([[String(this.keys), String(this.keys), last, last, '0']]),
      `${this.keys} keys of ${this.topic}, each once, at round ${last}`,
      timeoutMs,
    );
  }

  /**
   * Databend away mid-stream: the sink started with `config` while a round is produced every
   * `intervalMs`; once every key is written once, Databend is paused, `meanwhile` runs (the
   * outage), and Databend comes back. Verdict: every key once at its last round, the group
   * committed to the end, the sink still running.
   */
  async throughDatabendOutage(config: ConnectorConfig, intervalMs: number, meanwhile: () => Promise<void>): Promise<void> {
    const sinkExit = exitWatch(await this.s.start(config));
    const producing = this.startProducing(intervalMs);
    try {
      await this.waitForEveryKeyAt(1);
      await this.s.faults.pause('databend');
      await meanwhile();
      await this.s.faults.resume('databend');
    } finally {
      await producing.stop();
    }
    await this.expectLastRoundWritten(120_000);
    await this.expectCommittedToEnd(this.s.groupId(config), 60_000);
    expect(sinkExit()).toBeUndefined();
  }

  /** The group's committed offsets reach the end of every partition. */
  async expectCommittedToEnd(groupId: string, timeoutMs = 30_000): Promise<void> {
    const end = await this.s.endOffsets(this.topic);
    await eventually(async () => expect(await this.s.committedOffsets(groupId, this.topic)).toEqual(end), `${groupId} committed ${this.topic} to its end`, timeoutMs);
  }
}

/** Remembers a sink's exit code as soon as it exits; `undefined` while it runs. */
export function exitWatch(running: RunningSink): () => number | undefined {
  let code: number | undefined;
  void running.exited.then((c) => (code = c));
  return () => code;
}
