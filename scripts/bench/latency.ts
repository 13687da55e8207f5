/**
 * Produce → visible latency at a steady rate. The sink runs first (and has created its table from
 * one warm-up record per partition); then records are produced at `rate` records/s for
 * `durationS` seconds, each send stamped with the time before it was handed to the producer.
 * With `pk.mode=kafka` every row carries its partition and offset; the table is polled every 100 ms
 * for the highest visible offset per partition (the sink writes a partition's records in offset
 * order, so everything up to it is visible). A record's latency is the end of the first poll that
 * saw it minus its send time — an upper bound, by up to one poll.
 */
import { CompressionTypes, type Message } from 'kafkajs';
import { databendConnection, queryStrings } from '../../conformance/clients/databend';
import { kafkaClient } from '../../conformance/clients/kafka';
import { OrderGenerator, wireFormat } from './data-generator';
import { connectorConfig, dropTable, sleep, type BenchContext } from './end-to-end';
import { createTopic, registerSchemas } from './produce';
import { startSink } from './sink-process';
import { percentile } from './stats';

export interface LatencySpec {
  index: number;
  rate: number;
  durationS: number;
  partitions: number;
}

export interface LatencyRun {
  produced: number;
  /** Achieved produce rate. */
  producedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const TICK_MS = 20;
const POLL_MS = 100;

interface Pending {
  lastOffset: number;
  sentAt: number;
  count: number;
}

export async function latencyRun(ctx: BenchContext, spec: LatencySpec): Promise<LatencyRun> {
  const topic = `bench-latency-${ctx.runId}-${spec.index}`;
  const table = `bench_latency_${ctx.runId}_${spec.index}`;
  const kafka = kafkaClient(ctx.endpoints.kafka, 'bench-latency');
  const ids = await registerSchemas(ctx.endpoints, topic);
  await createTopic(kafka, topic, spec.partitions);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const db = await databendConnection(ctx.endpoints.databend);
  const generator = new OrderGenerator({ keyCardinality: 1_000_000, seed: 7 + spec.index });
  const message = (partition: number): Message => {
    const r = generator.next(1);
    return { key: r.key, value: wireFormat(ids.v1, r.avro), partition };
  };
  const config = connectorConfig(ctx, `bench-latency-${ctx.runId}-${spec.index}`, topic, table, { 'pk.mode': 'kafka' });
  const sink = startSink(ctx.sink, config);
  let exitCode: number | null = null;
  void sink.exited.then((code) => (exitCode = code));
  let active = true;
  const visibleMax = async (): Promise<Map<number, number>> => {
    const rows = await queryStrings(db, `SELECT "__connect_partition", max("__connect_offset") FROM "${table}" GROUP BY 1`).catch(() => []);
    return new Map(rows.map(([p, o]) => [Number(p), Number(o)]));
  };
  try {
    // Warm-up: one record per partition, visible before the clock starts.
    await producer.send({ topic, messages: Array.from({ length: spec.partitions }, (_, p) => message(p)) });
    const warmDeadline = Date.now() + 60_000;
    for (;;) {
      if (exitCode !== null) throw new Error(`the sink exited with ${exitCode} during warm-up:\n${sink.logs().slice(-3000)}`);
      if ((await visibleMax()).size === spec.partitions) break;
      if (Date.now() > warmDeadline) throw new Error(`latency warm-up records not visible within 60 s:\n${sink.logs().slice(-3000)}`);
      await sleep(POLL_MS);
    }

    const pending: Pending[][] = Array.from({ length: spec.partitions }, () => []);
    const latencies: number[] = [];
    let produced = 0;
    let nextPartition = 0;
    const sends: Promise<void>[] = [];
    let producing = true;
    let drainDeadline = Infinity;

    const poller = (async () => {
      while (active && (producing || pending.some((q) => q.length > 0))) {
        if (exitCode !== null) throw new Error(`the sink exited with ${exitCode}:\n${sink.logs().slice(-3000)}`);
        if (Date.now() > drainDeadline) throw new Error('records produced for the latency run were not all visible within 60 s');
        const visible = await visibleMax();
        const now = Date.now();
        for (let p = 0; p < spec.partitions; p++) {
          const max = visible.get(p) ?? -1;
          const q = pending[p];
          while (q.length > 0 && q[0].lastOffset <= max) {
            const done = q.shift() as Pending;
            for (let i = 0; i < done.count; i++) latencies.push(now - done.sentAt);
          }
        }
        await sleep(POLL_MS);
      }
    })();
    poller.catch(() => undefined);

    const start = Date.now();
    const end = start + spec.durationS * 1000;
    while (Date.now() < end && exitCode === null) {
      const due = Math.floor(((Date.now() - start) / 1000) * spec.rate) - produced;
      if (due > 0) {
        const messages: Message[] = new Array(due);
        for (let i = 0; i < due; i++) {
          messages[i] = message(nextPartition);
          nextPartition = (nextPartition + 1) % spec.partitions;
        }
        produced += due;
        const sentAt = Date.now();
        const perPartition = new Map<number, number>();
        for (const m of messages) perPartition.set(m.partition as number, (perPartition.get(m.partition as number) ?? 0) + 1);
        sends.push(
          producer.send({ topic, messages, acks: 1, compression: CompressionTypes.None }).then((metadata) => {
            for (const md of metadata) {
              const count = perPartition.get(md.partition) ?? 0;
              pending[md.partition].push({ lastOffset: Number(md.baseOffset) + count - 1, sentAt, count });
              pending[md.partition].sort((a, b) => a.lastOffset - b.lastOffset);
            }
          }),
        );
      }
      await sleep(TICK_MS);
    }
    const producedMs = Date.now() - start;
    await Promise.all(sends);
    drainDeadline = Date.now() + 60_000;
    producing = false;
    await poller;
    return {
      produced,
      producedPerSecond: (produced * 1000) / producedMs,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: percentile(latencies, 100),
    };
  } finally {
    active = false;
    await sink.stop();
    await producer.disconnect();
    await dropTable(db, table);
    await db.close().catch(() => undefined);
  }
}
