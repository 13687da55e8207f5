import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { KafkaEndpoint, KafkaTools } from '../environments/environment';

/** The compression codecs of Kafka's producers (`compression.type`), none aside. */
export const KAFKA_CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
export type KafkaCodec = (typeof KAFKA_CODECS)[number];

/** Runs one of Kafka's own tools (a main class, or a single-file Java program) to completion (bounded), with `input` on stdin; resolves with its stdout. */
function runTool(tools: KafkaTools, mainClass: string, args: string[], input: string, timeoutMs: number): Promise<string> {
  const [program, ...jvmArgs] = tools.jvm;
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...jvmArgs, mainClass, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${mainClass}: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${mainClass} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}):\n${stderr.slice(-2000)}`));
    });
    child.stdin.end(input);
  });
}

function requireTools(kafka: KafkaEndpoint): KafkaTools {
  if (!kafka.tools) throw new Error("this environment has no Kafka command-line tools (the scenario requires 'kafka-tools')");
  return kafka.tools;
}

/**
 * Writes `key|value` lines to a topic with Kafka's own Java producer (kafka.tools.ConsoleProducer),
 * compressing its batches with `codec`, as a Java application, Debezium or a Connect source would.
 */
export async function consoleProduce(kafka: KafkaEndpoint, topic: string, records: { key: string; value: string }[], codec: KafkaCodec): Promise<void> {
  const lines = records.map((r) => `${r.key}|${r.value}\n`).join('');
  await runTool(
    requireTools(kafka),
    'kafka.tools.ConsoleProducer',
    ['--bootstrap-server', kafka.bootstrapServers.join(','), '--topic', topic, '--compression-codec', codec, '--property', 'parse.key=true', '--property', 'key.separator=|'],
    lines,
    120_000,
  );
}

/**
 * Reads `count` records of a topic from the beginning with Kafka's own Java consumer (KafkaConsumer
 * of the install's kafka-clients, through ConsumeTopic.java beside this file): `key|value` lines.
 */
export async function javaConsume(kafka: KafkaEndpoint, topic: string, count: number): Promise<string[]> {
  const out = await runTool(requireTools(kafka), path.join(__dirname, 'ConsumeTopic.java'), [kafka.bootstrapServers.join(','), topic, String(count), '60000'], '', 120_000);
  return out.split('\n').filter((line) => line !== '');
}
