/**
 * The seed's walk-through on this machine: Databend's Java connector config as Confluent Cloud
 * stores it, run by our packaged sink against local services (endpoints and credentials swapped,
 * conformance/support/confluent-cloud-walkthrough.ts). `runDemo` is the part that talks to the
 * services; `npm run demo` (main.ts) starts and stops them around it, and the conformance suite
 * runs it on its own services (conformance/scenarios/demo.conformance.test.ts) so it cannot rot.
 */
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { textTable } from '../../src/cli/text-table';
import { databendConnection, queryStrings } from '../../conformance/clients/databend';
import { kafkaClient } from '../../conformance/clients/kafka';
import { schemaRegistryClient } from '../../conformance/clients/schema-registry';
import type { Endpoints } from '../../conformance/environments/environment';
import type { ConnectorConfig, RunningSink, SinkUnderTest } from '../../conformance/sink-under-test/sink-under-test';
import { localConfig, USER_V1, USER_V2, V1_ROWS, V1_ROWS_SQL, V2_ROWS, V2_ROWS_SQL, v1Records, v2Records } from '../../conformance/support/confluent-cloud-walkthrough';
import { createTopicAndWait } from '../../conformance/support/create-topic';

export interface DemoOptions {
  endpoints: Endpoints;
  sink: SinkUnderTest;
  /** The walk-through's names by default; the suite passes its own. */
  topic?: string;
  database?: string;
  name?: string;
  /** Where the story is told. */
  print: (text: string) => void;
  /** Longest wait for each step's rows (and for the progress line). */
  timeoutMs?: number;
  /** Called with the config before the sink starts (main.ts shows `validate` on it). */
  beforeStart?: (config: ConnectorConfig) => void;
}

export interface DemoResult {
  config: ConnectorConfig;
  /** The table after the v1 records, then after the evolution, as Databend returns it. */
  v1Rows: (string | null)[][];
  v2Rows: (string | null)[][];
  /** The sink's progress lines (pino JSON) and its exit code after SIGTERM. */
  progress: Record<string, unknown>[];
  exitCode: number;
  logs: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done(value)`; past the deadline throws, saying what was awaited and the sink's last words. */
async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, sink: () => (RunningSink & { exitCode?: number }) | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await read();
      if (done(value)) return value;
      last = value;
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    const exited = sink()?.exitCode;
    if (Date.now() > deadline || (exited !== undefined && exited >= 0)) {
      throw new Error(`demo: ${what} not reached ${exited !== undefined && exited >= 0 ? `: the sink exited with ${exited}` : `within ${timeoutMs / 1000} s`}; last seen: ${JSON.stringify(last)}\nsink log:\n${sink()?.logs().split('\n').slice(-30).join('\n') ?? '(not started)'}`);
    }
    await sleep(500);
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function logLines(logs: string, message: string): Record<string, unknown>[] {
  return logs
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return {};
      }
    })
    .filter((l) => l.msg === message);
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { endpoints, sink, print } = options;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const topic = options.topic ?? 'topic_avrob';
  const database = options.database ?? 'testsync';
  const table = `${database}.${topic}`;
  const config = localConfig({ endpoints, topic, database, name: options.name ?? 'databend-sink' });
  const kafka = kafkaClient(endpoints.kafka, 'databend-sink-demo');
  const registry = schemaRegistryClient(endpoints.schemaRegistry);
  const db = await databendConnection(endpoints.databend);
  let running: RunningSink | undefined;
  let exitedEarly: number | undefined;
  const sinkState = () => (exitedEarly === undefined ? running : { ...running!, exitCode: exitedEarly });
  try {
    const admin = kafka.admin();
    await admin.connect();
    await createTopicAndWait(admin, { topic, numPartitions: 1 });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const produce = async (schemaId: number, records: { key: string; value: Record<string, unknown> }[]) => {
      await producer.send({ topic, messages: await Promise.all(records.map(async (r) => ({ key: r.key, value: await registry.encode(schemaId, r.value) }))) });
    };

    // The walk-through's database exists in Databend Cloud before the connector starts; the sink connects to it.
    await db.exec(`CREATE DATABASE IF NOT EXISTS ${database}`);
    print(`1. Database ${database} created; Avro schema testsync.User registered for ${topic}-value; ${v1Records().length} records produced (id 2 twice).\n`);
    const { id: v1 } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER_V1) }, { subject: `${topic}-value` });
    await produce(v1, v1Records());

    options.beforeStart?.(config);
    print(`2. The packaged sink runs the Confluent Cloud config (kafka.api.key/secret over SASL_SSL ${config.config['bootstrap.servers']}).\n`);
    running = await sink.start(config);
    void running.exited.then((code) => (exitedEarly = code));
    const v1Rows = await waitFor('the first rows', () => queryStrings(db, V1_ROWS_SQL(table)), (rows) => same(rows, V1_ROWS), timeoutMs, sinkState);
    print(`\n${table} after the first records (upsert by id: bob's later value won):\n${textTable([['id', 'name', 'score', 'active', 'signed_up'], ...v1Rows.map((r) => r.map((c) => c ?? 'NULL'))])}\n`);

    print('3. The schema evolves once (v2 adds email, default null); two more records produced.\n');
    const { id: v2 } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER_V2) }, { subject: `${topic}-value` });
    await produce(v2, v2Records());
    await producer.disconnect();
    const v2Rows = await waitFor('the evolved rows', () => queryStrings(db, V2_ROWS_SQL(table)), (rows) => same(rows, V2_ROWS), timeoutMs, sinkState);
    print(`\n${table} after the evolution:\n${textTable([['id', 'name', 'score', 'active', 'signed_up', 'email'], ...v2Rows.map((r) => r.map((c) => c ?? 'NULL'))])}\n`);

    // The sink reports progress every 10 s: wait for a line that counts every record.
    const total = v1Records().length + v2Records().length;
    const progress = await waitFor(
      'a progress line counting every record',
      () => Promise.resolve(logLines(running!.logs(), 'progress')),
      (lines) => lines.some((l) => Number(l.written) >= total),
      Math.max(timeoutMs, 15_000),
      sinkState,
    );
    print(`The sink's progress:\n${progress.map((l) => `  written ${String(l.written)}, failed ${String(l.failed)}, lag ${String(l.lag)}, ${String(l.recordsPerSecond)} records/s`).join('\n') || '  (no progress line yet)'}\n`);
    for (const l of logLines(running.logs(), 'table evolved')) print(`  table evolved: ${JSON.stringify(l.added)} added\n`);

    exitedEarly = -1; // stopping now is not an early exit
    const exitCode = await running.stop();
    const logs = running.logs();
    running = undefined;
    print(`4. Sink stopped (exit ${exitCode}).\n`);
    return { config, v1Rows, v2Rows, progress, exitCode, logs };
  } finally {
    if (running) await running.kill().catch(() => undefined);
    await db.close();
  }
}
