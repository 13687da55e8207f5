import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { kafkaClient, kafkaClientSecurity } from '../../clients/kafka';
import { schemaRegistryClient } from '../../clients/schema-registry';
import { holdSharedServices } from '../../harness/environment-faults';
import { runEnvironment } from '../../jest/run-environment';
import type { KafkaEndpoint, KafkaUser, SchemaRegistryEndpoint, SecuredKafkaEndpoint } from '../environment';
import { createKafkaRuntime, kafkaRuntime, type LocalKafkaEndpoint } from './kafka-runtime';
import type { LocalContext, RunningLocalService } from './local-service';
import { reapOrphans, ServiceStartError } from './managed-process';
import { portInUse } from './ports';
import { createSchemaRegistryRuntime, schemaRegistryRuntime } from './schema-registry-runtime';

/**
 * The local Kafka and Schema Registry runtimes against the clients the suite uses (kafkajs and
 * @kafkajs/confluent-schema-registry). Reuses the run's services when the global setup exported
 * CONFORMANCE_KAFKA_BOOTSTRAP and CONFORMANCE_SCHEMA_REGISTRY_URL; otherwise starts its own.
 */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE_DIR = path.join(REPO_ROOT, '.runtimes');
const reuse = Boolean(process.env.CONFORMANCE_KAFKA_BOOTSTRAP && process.env.CONFORMANCE_SCHEMA_REGISTRY_URL);

function localContext(label: string): LocalContext {
  const runDir = path.join(CACHE_DIR, 'runs', `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${label}`);
  fs.mkdirSync(runDir, { recursive: true });
  return { cacheDir: CACHE_DIR, runDir, pidDir: path.join(CACHE_DIR, 'pids'), progress: (m) => process.stderr.write(`[${label}] ${m}\n`) };
}

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

const userV1 = {
  type: 'record',
  name: 'User',
  namespace: 'conformance.local',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
  ],
};
const userV2 = { ...userV1, fields: [...userV1.fields, { name: 'email', type: ['null', 'string'], default: null }] };
const userIdAsString = { ...userV1, fields: [{ name: 'id', type: 'string' }, userV1.fields[1]] };

let kafkaEndpoint: KafkaEndpoint;
let registryEndpoint: SchemaRegistryEndpoint;
let securedEndpoint: SecuredKafkaEndpoint | undefined;
let kafka: RunningLocalService<LocalKafkaEndpoint> | undefined;
let registry: RunningLocalService<SchemaRegistryEndpoint> | undefined;

// On the run's own services (reused), a fault scenario must not stop them under these tests.
if (reuse) holdSharedServices(runEnvironment());

beforeAll(async () => {
  if (reuse) {
    kafkaEndpoint = { bootstrapServers: process.env.CONFORMANCE_KAFKA_BOOTSTRAP!.split(','), clientSettings: {} };
    registryEndpoint = { url: process.env.CONFORMANCE_SCHEMA_REGISTRY_URL! };
    securedEndpoint = runEnvironment().endpoints.kafkaSecured;
    return;
  }
  reapOrphans(path.join(CACHE_DIR, 'pids'));
  const ctx = localContext('kafka-and-registry');
  const timed = async <E>(service: { name: string; install: typeof kafkaRuntime.install; start: (c: LocalContext) => Promise<RunningLocalService<E>> }) => {
    const t0 = Date.now();
    const { cold } = await service.install(ctx);
    const t1 = Date.now();
    const running = await service.start(ctx);
    ctx.progress(`${service.name}: ${cold ? 'cold' : 'warm'} install ${((t1 - t0) / 1000).toFixed(1)} s, start ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    return running;
  };
  const [k, r] = await Promise.allSettled([timed(kafkaRuntime), timed(schemaRegistryRuntime)]);
  kafka = k.status === 'fulfilled' ? k.value : undefined;
  registry = r.status === 'fulfilled' ? r.value : undefined;
  const failed = [k, r].filter((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (failed.length > 0) throw new Error(failed.map((f) => (f.reason as Error).message).join('\n'));
  kafkaEndpoint = kafka!.endpoint;
  securedEndpoint = kafka!.endpoint.secured;
  registryEndpoint = registry!.endpoint;
}, 900_000);

afterAll(async () => {
  await Promise.allSettled([kafka?.stop(), registry?.stop()]);
});

async function createTopic(client: Kafka, topic: string, numPartitions = 1): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

async function produce(client: Kafka, topic: string, values: Buffer[]): Promise<void> {
  const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
  } finally {
    await producer.disconnect();
  }
}

/** Reads `count` values from the start of `topic` with a fresh consumer group, within `timeoutMs`. */
async function consume(client: Kafka, topic: string, count: number, timeoutMs = 60_000): Promise<Buffer[]> {
  const consumer = client.consumer({ groupId: unique('conformance-local'), sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const values: Buffer[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${values.length} of ${count} records from ${topic} within ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value!);
            if (values.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((err: unknown) => {
          clearTimeout(timer);
          reject(err);
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

describe('Kafka with the Schema Registry', () => {
  let client: Kafka;
  let sr: SchemaRegistry;
  beforeAll(() => {
    client = kafkaClient(kafkaEndpoint, 'conformance-local-runtimes');
    sr = schemaRegistryClient(registryEndpoint);
  });

  test('an Avro record produced with a registered schema is consumed back equal', async () => {
    const topic = unique('avro');
    const { id } = await sr.register({ type: SchemaType.AVRO, schema: JSON.stringify(userV1) }, { subject: `${topic}-value` });
    await createTopic(client, topic);
    const value = { id: 1234567890123, name: 'Zoë 🚀' };
    await produce(client, topic, [await sr.encode(id, value)]);
    const [read] = await consume(client, topic, 1);
    expect(read.readUInt8(0)).toBe(0);
    expect(read.readInt32BE(1)).toBe(id);
    expect({ ...(await sr.decode(read)) }).toEqual(value);
  });

  test('BACKWARD: an added optional field is accepted, a changed field type is rejected', async () => {
    const subject = unique('users-value');
    const v1 = await sr.register({ type: SchemaType.AVRO, schema: JSON.stringify(userV1) }, { subject });
    const v2 = await sr.register({ type: SchemaType.AVRO, schema: JSON.stringify(userV2) }, { subject });
    expect(v2.id).not.toBe(v1.id);
    await expect(sr.register({ type: SchemaType.AVRO, schema: JSON.stringify(userIdAsString) }, { subject })).rejects.toMatchObject({ status: 409 });

    expect(await sr.getLatestSchemaId(subject)).toBe(v2.id);
    expect(await sr.getRegistryId(subject, 1)).toBe(v1.id);
    expect(await sr.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: JSON.stringify(userV1) })).toBe(v1.id);
    const schema = (await sr.getSchema(v2.id)) as unknown as { name?: string };
    expect(schema.name).toBe('conformance.local.User');
    // Data written with v1 decodes with v1; v2 data carries the new field.
    expect({ ...(await sr.decode(await sr.encode(v1.id, { id: 1, name: 'a' }))) }).toEqual({ id: 1, name: 'a' });
    expect({ ...(await sr.decode(await sr.encode(v2.id, { id: 2, name: 'b', email: 'b@example.com' }))) }).toEqual({ id: 2, name: 'b', email: 'b@example.com' });
  });

  test('a subject-level NONE lets an incompatible schema in (how evolve.incompatible produces its records)', async () => {
    const subject = unique('loose-value');
    await sr.register({ type: SchemaType.AVRO, schema: JSON.stringify(userV1) }, { subject });
    const put = await fetch(`${registryEndpoint.url}/config/${subject}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'NONE' }),
    });
    expect(put.status).toBe(200);
    // The client checks the subject's level against its own `compatibility` option before registering.
    const loose = await sr.register({ type: SchemaType.AVRO, schema: JSON.stringify(userIdAsString) }, { subject, compatibility: COMPATIBILITY.NONE });
    expect(await sr.getLatestSchemaId(subject)).toBe(loose.id);
  });

  test('ids are per schema, as in Confluent: one schema under two subjects has one id; re-registering is idempotent', async () => {
    const schema = { type: SchemaType.AVRO as const, schema: JSON.stringify({ ...userV1, name: unique('Shared').replace(/-/g, '_') }) };
    const a = await sr.register(schema, { subject: unique('a-value') });
    const b = await sr.register(schema, { subject: unique('b-value') });
    const pretty = { type: SchemaType.AVRO as const, schema: JSON.stringify(JSON.parse(schema.schema), null, 2) };
    const subject = unique('c-value');
    const c1 = await sr.register(schema, { subject });
    const c2 = await sr.register(pretty, { subject });
    expect(new Set([a.id, b.id, c1.id, c2.id]).size).toBe(1);
    const versions = await fetch(`${registryEndpoint.url}/subjects/${subject}/versions`);
    expect(await versions.json()).toEqual([1]);
  });

  test('JSON Schema: registered, encoded, produced, consumed and decoded', async () => {
    const topic = unique('json');
    const jsonSchema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Order',
      type: 'object',
      properties: { id: { type: 'integer' }, note: { type: 'string' } },
      required: ['id'],
      additionalProperties: false,
    };
    const { id } = await sr.register({ type: SchemaType.JSON, schema: JSON.stringify(jsonSchema) }, { subject: `${topic}-value` });
    expect(await sr.getLatestSchemaId(`${topic}-value`)).toBe(id);
    await expect(sr.encode(id, { id: 'not a number' })).rejects.toThrow();
    await createTopic(client, topic);
    const value = { id: 42, note: 'héllo' };
    await produce(client, topic, [await sr.encode(id, value)]);
    const [read] = await consume(client, topic, 1);
    expect(await sr.decode(read)).toEqual(value);
  });

  // The run's shared services are stopped through the environment's pause/resume, not from here.
  (reuse ? test.skip : test)('stop() and start() of Kafka keep its port, topics and records', async () => {
    if (!kafka) throw new Error('Kafka was not started by this file');
    const topic = unique('restart');
    await createTopic(client, topic, 2);
    await produce(client, topic, [Buffer.from('one'), Buffer.from('two'), Buffer.from('three')]);
    const [host, port] = kafkaEndpoint.bootstrapServers[0].split(':');

    await kafka.stop();
    expect(await portInUse(Number(port), host)).toBe(false);
    await kafka.start();
    expect(kafka.endpoint.bootstrapServers).toEqual(kafkaEndpoint.bootstrapServers);

    const admin = client.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toContain(topic);
    } finally {
      await admin.disconnect();
    }
    await produce(client, topic, [Buffer.from('four')]);
    const values = (await consume(client, topic, 4)).map((v) => v.toString()).sort();
    expect(values).toEqual(['four', 'one', 'three', 'two']);
  }, 180_000);

  (reuse ? test.skip : test)('stop() and start() of the registry keep its URL, schemas and BACKWARD', async () => {
    if (!registry) throw new Error('the registry was not started by this file');
    const subject = unique('kept-value');
    const { id } = await sr.register({ type: SchemaType.AVRO, schema: JSON.stringify(userV1) }, { subject });
    await registry.stop();
    await registry.start();
    expect(registry.endpoint.url).toBe(registryEndpoint.url);
    const fresh = schemaRegistryClient(registryEndpoint);
    expect(await fresh.getLatestSchemaId(subject)).toBe(id);
    const config = await fetch(`${registryEndpoint.url}/config`);
    expect(await config.json()).toEqual({ compatibilityLevel: 'BACKWARD' });
  }, 120_000);
});

/** A client of the SASL_SSL listener with the Java client keys a sink config carries. */
function securedClient(endpoint: SecuredKafkaEndpoint, user: KafkaUser, overrides: Record<string, string> = {}): Kafka {
  const module = user.mechanism === 'PLAIN' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule';
  return new Kafka({
    clientId: 'conformance-local-secured',
    brokers: endpoint.bootstrapServers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    ...kafkaClientSecurity({
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': user.mechanism,
      'sasl.jaas.config': `${module} required username="${user.username}" password="${user.password}";`,
      'ssl.truststore.location': endpoint.caPemFile,
      ...overrides,
    }),
  });
}

// Where the run's environment has no secured listener (containers, external), there is nothing to check.
const securedOffered = !reuse || runEnvironment().endpoints.kafkaSecured !== undefined;

(securedOffered ? describe : describe.skip)('the SASL_SSL listener', () => {
  const secured = () => {
    if (!securedEndpoint) throw new Error('no secured listener');
    return securedEndpoint;
  };

  test('one user per mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512', () => {
    expect(secured().users.map((u) => u.mechanism)).toEqual(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);
    expect(fs.readFileSync(secured().caPemFile, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  test('every user produces and consumes over TLS with the host name checked against the certificate', async () => {
    const topic = unique('secured');
    await createTopic(kafkaClient(kafkaEndpoint), topic);
    for (const user of secured().users) await produce(securedClient(secured(), user), topic, [Buffer.from(user.mechanism)]);
    for (const user of secured().users) {
      expect((await consume(securedClient(secured(), user), topic, 3)).map(String).sort()).toEqual(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);
    }
  });

  test('a wrong password is refused with a SASL authentication error, for every mechanism', async () => {
    for (const user of secured().users) {
      const admin = securedClient(secured(), { ...user, password: `${user.password}x` }).admin();
      await expect(admin.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
      await admin.disconnect();
    }
  });

  test('a client that does not trust the certificate cannot connect', async () => {
    // Without ssl.truststore.location the system CAs are used: the run's own certificate is not among them.
    const admin = securedClient(secured(), secured().users[0], { 'ssl.truststore.location': '' }).admin();
    await expect(admin.connect()).rejects.toThrow(/certificate/i);
    await admin.disconnect();
  });
});

describe('bad cases fail clearly and in bounded time', () => {
  const expectClearError = (err: unknown, service: string, elapsedMs: number, boundMs: number) => {
    expect(err).toBeInstanceOf(ServiceStartError);
    const e = err as ServiceStartError;
    expect(e.service).toBe(service);
    expect(e.message).toContain(`${service}: `);
    expect(e.message).toContain(`log: ${e.logFile}`);
    expect(fs.existsSync(e.logFile)).toBe(true);
    expect(e.message).toMatch(/\n {4}\| /); // the log's last lines
    expect(elapsedMs).toBeLessThan(boundMs);
  };
  const attempt = async (work: () => Promise<unknown>): Promise<[unknown, number]> => {
    const t0 = Date.now();
    try {
      await work();
    } catch (err) {
      return [err, Date.now() - t0];
    }
    throw new Error('expected a failure');
  };

  test('a download that fails names Kafka, the install log and Maven’s last lines', async () => {
    const [err, ms] = await attempt(() => createKafkaRuntime({ version: '0.0.0-no-such-version', installTimeoutMs: 120_000 }).install(localContext('bad-download')));
    expectClearError(err, 'kafka', ms, 120_000);
    expect((err as Error).message).toMatch(/mvn .*failed/);
  }, 150_000);

  test('a process that exits during start is reported with its exit and log', async () => {
    const ctx = localContext('bad-exit');
    await kafkaRuntime.install(ctx);
    const broken = createKafkaRuntime({ jvmOptions: ['-XX:+NoSuchJvmOption'] });
    const [err, ms] = await attempt(() => broken.start(ctx));
    expectClearError(err, 'kafka', ms, 60_000);
    expect((err as Error).message).toMatch(/exited during start \(exit code 1\)/);
    expect((err as Error).message).toContain('NoSuchJvmOption');
  }, 90_000);

  test('readiness never reached is reported after the bound, and the process is stopped', async () => {
    const ctx = localContext('bad-ready');
    await schemaRegistryRuntime.install(ctx);
    const before = new Set(fs.existsSync(ctx.pidDir) ? fs.readdirSync(ctx.pidDir) : []);
    const slow = createSchemaRegistryRuntime({ readyTimeoutMs: 1500 });
    const [err, ms] = await attempt(() => slow.start(ctx));
    expectClearError(err, 'schema-registry', ms, 20_000);
    expect((err as Error).message).toContain('not ready after 2 s');
    // The half-started registry was stopped: its pid file is gone.
    expect(fs.readdirSync(ctx.pidDir).filter((f) => !before.has(f))).toEqual([]);
  }, 90_000);
});
