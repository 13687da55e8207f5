/**
 * Other sinks run side by side with ours on the same topics (../shared/peers/, see its README):
 *
 * - `bend-ingest-kafka`, Databend's own Go ingester (librdkafka consumer, NDJSON files uploaded to
 *   the user stage, then `COPY INTO`), on the schemaless JSON topics, into a table made beforehand
 *   (it writes existing tables only) with the columns our sink would create. It runs as its
 *   documented: a JSON config file with `isJsonTransform`, `batchSize` = our `batch.size`,
 *   `workers` = our `tasks.max` (each worker is a consumer of the group), `disableTLS` (it speaks
 *   SSL to Kafka otherwise). It uploads through a presigned URL, its default: the local Databend
 *   front answers `PRESIGN UPLOAD` with URLs of its own (verified: `PRESIGN UPLOAD @~/batch/…`, a
 *   `PUT /_front/presigned`, then `COPY INTO … FILES = (…)`), so `presigned_url_disabled` stays off.
 * - the Java connector (`DatabendSinkConnector`) in a real Apache Kafka Connect worker, through the
 *   conformance suite's `connect` adapter (prepareConnectSink, probeConnectSink, ConnectSink), from
 *   the plugin zip `npm run package-plugin -- --connect` builds of it, on the Connect JSON topic.
 *
 * A peer that is not there (no ../shared/peers, no binary) is reported as not available, with the
 * reason, never as a failure of the run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCapabilities } from '../../conformance/sink-under-test/capabilities';
import { prepareConnectSink, probeConnectSink } from '../../conformance/sink-under-test/connect/connect-plugin';
import { ConnectSink } from '../../conformance/sink-under-test/connect/connect-sink';
import { spawnSink } from '../../conformance/sink-under-test/process-sink';
import type { SinkSpec } from '../../conformance/sink-under-test/select-sink';
import { JSON_ORDER_COLUMNS } from './data-generator';
import { type BenchContext, connectorConfig, type DrainRun, measureDrain } from './end-to-end';
import type { JsonShape } from './produce';
import { REPO_ROOT, UsageSampler } from './sink-process';

/** What a peer drains: a topic of one of the JSON shapes, into a table of the default database. */
export interface PeerDrain {
  topic: string;
  shape: JsonShape;
  /** Run index and scenario: part of the group and table names. */
  scenario: string;
  index: number;
  expectRows: number;
  timeoutMs: number;
}

export interface Peer {
  name: string;
  /** Why it cannot run this shape here, or null when it can. */
  unavailable(shape: JsonShape): string | null;
  drain(ctx: BenchContext, spec: PeerDrain): Promise<DrainRun>;
}

/** Where the peers are: `BENCH_PEERS_DIR`, else ../shared/peers beside the repository. */
export function peersDir(): string {
  return process.env.BENCH_PEERS_DIR ? path.resolve(process.env.BENCH_PEERS_DIR) : path.resolve(REPO_ROOT, '..', 'shared', 'peers');
}

/** `CREATE TABLE` of the JSON orders' table (every column nullable, as our sink's inference makes it). */
export function jsonOrdersTableSql(table: string): string {
  return `CREATE TABLE "${table}" (${JSON_ORDER_COLUMNS.map(([name, type]) => `"${name}" ${type} NULL`).join(', ')})`;
}

export const BEND_INGEST_KAFKA: Peer = {
  name: 'bend-ingest-kafka',
  unavailable(shape) {
    const binary = path.join(peersDir(), 'bend-ingest-kafka', 'bend-ingest-kafka');
    if (!fs.existsSync(binary)) return `no ${path.relative(REPO_ROOT, binary)}`;
    if (shape === 'connect') return 'reads plain JSON objects, not Kafka Connect envelopes';
    return null;
  },
  async drain(ctx, spec) {
    const binary = path.join(peersDir(), 'bend-ingest-kafka', 'bend-ingest-kafka');
    const group = `bench-bend-ingest-${spec.scenario}-${ctx.runId}-${spec.index}`;
    const table = `bench_bend_ingest_${spec.scenario.replace(/-/g, '_')}_${ctx.runId}_${spec.index}`;
    const { databend, kafka } = ctx.endpoints;
    const scheme = databend.sslmode === 'enable' ? 'https' : 'http';
    const config = {
      kafkaBootstrapServers: kafka.bootstrapServers.join(','),
      kafkaTopic: spec.topic,
      KafkaConsumerGroup: group,
      disableTLS: true,
      isJsonTransform: true,
      databendDSN: `${scheme}://${encodeURIComponent(databend.user)}:${encodeURIComponent(databend.password)}@${databend.host}:${databend.port}/default?sslmode=${databend.sslmode}`,
      databendTable: `default.${table}`,
      batchSize: ctx.settings.batchSize,
      // Seconds a partial batch waits: the sink's linger.ms, at least the 1 s the ingester counts in.
      batchMaxInterval: Math.max(1, Math.round(ctx.settings.lingerMs / 1000)),
      dataFormat: 'json',
      workers: ctx.settings.tasksMax,
      // Port 0: the metrics listener takes any free port, so runs never collide.
      metricsPort: 0,
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bend-ingest-'));
    const file = path.join(dir, 'conf.json');
    fs.writeFileSync(file, JSON.stringify(config));
    try {
      return await measureDrain(
        ctx,
        { what: 'bend-ingest-kafka', topic: spec.topic, groupId: group, table, expectRows: spec.expectRows, timeoutMs: spec.timeoutMs, prepare: (db, t) => db.exec(jsonOrdersTableSql(t)).then(() => undefined), tolerateExitCode: true },
        () => {
          const running = spawnSink(binary, ['-f', file], { env: process.env, cwd: dir });
          if (running.pid === undefined) throw new Error(`cannot start ${binary}`);
          const usage = new UsageSampler(running.pid);
          void running.exited.then(() => usage.stop());
          return { usage, exited: running.exited, logs: running.logs, stop: running.stop };
        },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** The Java connector as a Kafka Connect plugin zip (`npm run package-plugin -- --connect scripts/vendor-example/databend-kafka-connect.plugin.json`). */
export const JAVA_PLUGIN_ZIP = path.join(REPO_ROOT, 'dist', 'databendcloud-databend-kafka-connect-0.0.4.zip');
export const JAVA_CAPABILITIES = path.join(REPO_ROOT, 'scripts', 'vendor-example', 'databend-kafka-connect.capabilities.json');

/** The plugin unpacked, the worker runtime installed and probed once per bench run. */
let javaSetup: Promise<SinkSpec> | null = null;

/**
 * The Java connector, `com.databend.kafka.connect.DatabendSinkConnector`
 * (../shared/peers/databend-kafka-connect/), in a real Apache Kafka Connect worker of the
 * conformance suite's `connect` adapter: each run a worker of its own with the plugin, the
 * connector created through REST with the config our sink gets (JsonConverter, schemas.enable=true:
 * the `connect` shape; it needs a schema, so not the schemaless ones), `batch.size` as ours. Its
 * consumer group is Connect's `connect-<name>`, whose committed offsets show its progress as ours;
 * CPU and memory are the worker's process tree.
 */
export const JAVA_CONNECTOR: Peer = {
  name: 'Java connector (Kafka Connect)',
  unavailable(shape) {
    const jar = path.join(peersDir(), 'databend-kafka-connect', 'databend-kafka-connect-0.0.4.jar');
    if (!fs.existsSync(jar)) return `no ${path.relative(REPO_ROOT, jar)}`;
    if (shape !== 'connect') return 'needs a schema: runs Kafka Connect JSON envelopes (and Avro with a Connect Avro converter), not schemaless JSON';
    if (!fs.existsSync(JAVA_PLUGIN_ZIP)) return `no ${path.relative(REPO_ROOT, JAVA_PLUGIN_ZIP)} (npm run package-plugin -- --connect scripts/vendor-example/databend-kafka-connect.plugin.json)`;
    return null;
  },
  async drain(ctx, spec) {
    javaSetup ??= prepareConnectSink({ ...process.env, CONFORMANCE_CONNECT_PLUGIN: JAVA_PLUGIN_ZIP, CONFORMANCE_SINK_CAPABILITIES: JAVA_CAPABILITIES }, ctx.log).then((prepared) =>
      probeConnectSink(prepared, ctx.endpoints, ctx.log),
    );
    const setup = await javaSetup;
    if (!setup.connect) throw new Error('the connect adapter prepared no plugin');
    const sink = new ConnectSink(setup.connect, loadCapabilities(JAVA_CAPABILITIES), setup.description, ctx.environment);
    const name = `bench-java-${spec.scenario}-${ctx.runId}-${spec.index}`;
    const table = `bench_java_${spec.scenario.replace(/-/g, '_')}_${ctx.runId}_${spec.index}`;
    const config = connectorConfig(ctx, name, spec.topic, table, {
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'true',
      'pk.mode': 'none',
    });
    try {
      return await measureDrain(
        ctx,
        { what: 'the Java connector', topic: spec.topic, groupId: `connect-${name}`, table, expectRows: spec.expectRows, timeoutMs: spec.timeoutMs, prepare: (db, t) => db.exec(jsonOrdersTableSql(t)).then(() => undefined), tolerateExitCode: true },
        async () => {
          const running = await sink.start(config);
          if (running.pid === undefined) throw new Error('the Kafka Connect worker has no process id');
          const usage = new UsageSampler(running.pid);
          void running.exited.then(() => usage.stop());
          return { usage, exited: running.exited, logs: () => running.logs(), stop: (ms?: number) => running.stop(ms) };
        },
      );
    } finally {
      await sink.close();
    }
  },
};

export const PEERS: readonly Peer[] = [BEND_INGEST_KAFKA, JAVA_CONNECTOR];
