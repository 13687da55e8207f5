import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { randomUUID } from 'node:crypto';
import type { Kafka, Message } from 'kafkajs';
import { databendConnection, queryStrings, type DatabendConnection } from '../clients/databend';
import { kafkaClient } from '../clients/kafka';
import { schemaRegistryClient } from '../clients/schema-registry';
import type { Endpoints } from '../environments/environment';
import type { RunEnvironment } from '../jest/run-environment';
import { NOT_APPLICABLE } from '../report/scenario-results';
import { notApplicableReason, unmetRequirements, type Requirement, type RunFacts } from '../sink-under-test/capabilities';
import type { SinkSpec } from '../sink-under-test/select-sink';
import type { ConnectorConfig, RunningSink, SinkUnderTest } from '../sink-under-test/sink-under-test';
import { recordMeasurement } from '../report/measurements';
import { eventually } from '../support/eventually';
import { EnvironmentFaults } from './environment-faults';
import { createTopicAndWait } from '../support/create-topic';

export interface ReadRecord {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

const LOG_TAIL_LINES = 40;

/**
 * Everything one scenario works with: its own topics, subjects and database (named with the
 * scenario id and a random suffix, so scenarios never see each other's data), clients for the
 * three services, and the sinks it started. When a test fails, its error is extended with the SQL
 * it last compared and the log tail of every sink it started.
 */
export class ScenarioContext {
  readonly suffix = randomUUID().slice(0, 8);
  readonly endpoints: Endpoints;
  /** The scenario's own Databend database; sink configs point `connection.database` at it. */
  readonly database: string;
  readonly kafka: Kafka;
  readonly registry: SchemaRegistry;
  /** The environment's fault hooks (`pause`/`resume` a service); `faults.supported` is false on external endpoints. */
  readonly faults: EnvironmentFaults;
  private connection: DatabendConnection | undefined;
  private readonly sinks: { name: string; running: RunningSink; stopped: boolean }[] = [];
  private readonly extraDatabases: string[] = [];
  private lastSql: string | undefined;
  private configCount = 0;

  constructor(
    readonly id: string,
    readonly run: RunEnvironment,
    readonly spec: SinkSpec,
    readonly sink: SinkUnderTest,
    /** What the run offers besides the sink's declaration (see `runFacts`). */
    readonly facts: RunFacts,
  ) {
    this.endpoints = run.endpoints;
    this.database = this.name('db');
    this.kafka = kafkaClient(this.endpoints.kafka, `conformance-${this.slug}`);
    this.registry = schemaRegistryClient(this.endpoints.schemaRegistry);
    this.faults = new EnvironmentFaults(run);
  }

  private get slug(): string {
    return this.id.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
  }

  /** A name no other scenario or run uses: `<scenario>_<part>_<suffix>`. */
  name(part: string): string {
    return `${this.slug}_${part}_${this.suffix}`;
  }

  async open(): Promise<void> {
    const admin = await databendConnection(this.endpoints.databend);
    await admin.exec(`CREATE DATABASE IF NOT EXISTS ${this.database}`);
    await admin.close();
    this.connection = await databendConnection(this.endpoints.databend, this.database);
  }

  async close(): Promise<void> {
    // Services come back before the sinks stop (a sink may need Kafka to leave its group); the
    // rest of the cleanup runs even when they do not.
    let resumeError: unknown;
    await this.faults.resumeAll().catch((err: unknown) => (resumeError = err));
    await Promise.all(this.sinks.map(({ running }) => (this.sink.isProcess ? running.kill() : running.stop(10_000)).catch(() => undefined)));
    await this.sink.close?.().catch(() => undefined);
    if (this.connection) {
      for (const database of [...this.extraDatabases, this.database]) await this.connection.exec(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
      await this.connection.close();
    }
    if (resumeError) throw resumeError;
  }

  get db(): DatabendConnection {
    if (!this.connection) throw new Error('the scenario database is opened in beforeAll');
    return this.connection;
  }

  /** Runs a test body; a failure carries the SQL it compared last and the log tails of the sinks it used. */
  it(title: string, body: () => Promise<void>, timeoutMs?: number): void {
    it(
      title,
      async () => {
        this.lastSql = undefined;
        const before = this.sinks.length;
        try {
          await body();
        } catch (err) {
          throw this.explain(err, before);
        }
      },
      timeoutMs,
    );
  }

  /**
   * A test that needs more than its scenario as a whole (one converter among several, the sink's
   * own Kafka client): not applicable — reported, never run — when the sink or the run lacks it.
   */
  itRequiring(requires: Requirement[], title: string, body: () => Promise<void>, timeoutMs?: number): void {
    const reason = notApplicableReason(unmetRequirements(requires, this.sink.capabilities, this.facts), this.sink.description, this.facts);
    if (reason) it.skip(`${NOT_APPLICABLE} ${title}: ${reason}`, () => undefined);
    else this.it(title, body, timeoutMs);
  }

  /** Whether the sink and the run offer everything in `requires` (for a check inside a test). */
  offers(requires: Requirement[]): boolean {
    return notApplicableReason(unmetRequirements(requires, this.sink.capabilities, this.facts), this.sink.description, this.facts) === undefined;
  }

  /**
   * A new error whose message adds the context: jest prints an amended assertion error's message
   * several times (message, stack, matcher result), a fresh error once. Sinks from earlier tests
   * are included only while they still run.
   */
  private explain(err: unknown, firstSinkOfTest: number): unknown {
    if (!(err instanceof Error)) return err;
    const parts = [];
    if (this.lastSql) parts.push(`compared SQL: ${this.lastSql}`);
    for (const [index, { name, running, stopped }] of this.sinks.entries()) {
      if (index >= firstSinkOfTest || !stopped) parts.push(`sink "${name}" log tail:\n${tail(running.logs(), LOG_TAIL_LINES)}`);
    }
    if (parts.length === 0) return err;
    const explained = new Error(`${err.message}\n\n${parts.join('\n\n')}`, { cause: err });
    const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
    explained.stack = [explained.message, ...frames].join('\n');
    return explained;
  }

  /** A number the report shows under Measurements (with its bound, where it has one). */
  measure(name: string, value: number, unit: string, bound?: string): void {
    recordMeasurement({ scenario: this.id, name, value, unit, ...(bound ? { bound } : {}) });
  }

  // --- Kafka -----------------------------------------------------------------------------------

  /** Creates a topic of this scenario and returns its full name. */
  async createTopic(part: string, partitions = 1): Promise<string> {
    const topic = this.name(part);
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await createTopicAndWait(admin, { topic, numPartitions: partitions });
    } finally {
      await admin.disconnect();
    }
    return topic;
  }

  async produce(topic: string, messages: Message[], chunk = 5_000): Promise<void> {
    const producer = this.kafka.producer();
    await producer.connect();
    try {
      for (let i = 0; i < messages.length; i += chunk) await producer.send({ topic, messages: messages.slice(i, i + chunk) });
    } finally {
      await producer.disconnect();
    }
  }

  /** Committed offsets of a consumer group by partition (`-1` where nothing is committed). */
  async committedOffsets(groupId: string, topic: string): Promise<Record<number, string>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return Object.fromEntries(result.partitions.map((p) => [p.partition, p.offset]));
    } finally {
      await admin.disconnect();
    }
  }

  /** The member ids of a consumer group (empty when nobody is in it). */
  async groupMembers(groupId: string): Promise<string[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([groupId]);
      return groups[0]?.members.map((m) => m.memberId) ?? [];
    } finally {
      await admin.disconnect();
    }
  }

  /** The log-end offsets of a topic by partition. */
  async endOffsets(topic: string): Promise<Record<number, string>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return Object.fromEntries((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.offset]));
    } finally {
      await admin.disconnect();
    }
  }

  async topicExists(topic: string): Promise<boolean> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return (await admin.listTopics()).includes(topic);
    } finally {
      await admin.disconnect();
    }
  }

  /** Reads a topic from the beginning until `count` records arrived (bounded wait). */
  async readTopic(topic: string, count: number, timeoutMs = 60_000): Promise<ReadRecord[]> {
    await eventually(async () => expect(await this.topicExists(topic)).toBe(true), `topic ${topic} exists`, timeoutMs);
    const consumer = this.kafka.consumer({ groupId: `conformance-reader-${randomUUID()}` });
    await consumer.connect();
    const records: ReadRecord[] = [];
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          records.push({
            partition,
            offset: message.offset,
            key: message.key,
            value: message.value,
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, v === undefined ? '' : String(v)])),
          });
        },
      });
      await eventually(async () => expect(records.length).toBeGreaterThanOrEqual(count), `${count} records in ${topic}`, timeoutMs);
    } finally {
      await consumer.disconnect();
    }
    return records;
  }

  // --- Schema Registry ---------------------------------------------------------------------------

  /** Registers an Avro schema under `subject` and returns its id. */
  async registerAvro(subject: string, schema: object): Promise<number> {
    const { id } = await this.registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject });
    return id;
  }

  /** Confluent wire format: magic byte, schema id, Avro body. */
  encode(schemaId: number, value: unknown): Promise<Buffer> {
    return this.registry.encode(schemaId, value);
  }

  // --- the sink ----------------------------------------------------------------------------------

  /**
   * A connector config pointing at this run's services and this scenario's database, with a name
   * unique to the scenario (and so its own consumer group `connect-<name>`). Only keys of the Java
   * connector `DatabendSinkConnector` and of Kafka Connect: the database is named the way a JDBC
   * URL names it and in `connection.database` too, so a sink reading either finds the same one; the
   * write mode and key mode are always stated (insert, no key), since sinks' defaults differ (the
   * Java connector's `pk.mode` defaults to `record_value`, which makes every value field a key).
   */
  config(overrides: Record<string, string>, name = `${this.slug.replace(/_/g, '-')}-${this.suffix}-${++this.configCount}`): ConnectorConfig {
    const { kafka, schemaRegistry, databend } = this.endpoints;
    const registry: Record<string, string> = {};
    for (const side of ['key', 'value']) {
      registry[`${side}.converter.schema.registry.url`] = schemaRegistry.url;
      if (schemaRegistry.basicAuthUserInfo) {
        registry[`${side}.converter.basic.auth.credentials.source`] = 'USER_INFO';
        registry[`${side}.converter.basic.auth.user.info`] = schemaRegistry.basicAuthUserInfo;
      }
    }
    return {
      name,
      config: {
        'connector.class': 'com.databend.kafka.connect.DatabendSinkConnector',
        'connection.url': `jdbc:databend://${databend.host}:${databend.port}/${this.database}${databend.sslmode === 'enable' ? '?ssl=true' : ''}`,
        'connection.user': databend.user,
        'connection.password': databend.password,
        'connection.database': this.database,
        'bootstrap.servers': kafka.bootstrapServers.join(','),
        ...kafka.clientSettings,
        ...registry,
        'auto.create': 'true',
        'insert.mode': 'insert',
        'pk.mode': 'none',
        ...overrides,
      },
    };
  }

  /** The config keys that turn exactly-once on for the sink under test, as its capability file names them. */
  exactlyOnceConfig(): Record<string, string> {
    const keys = this.sink.capabilities.exactlyOnceConfig;
    if (!this.sink.capabilities.exactlyOnce || keys === undefined) throw new Error(`${this.sink.description} does not declare exactly-once: the scenario should not have run`);
    return keys;
  }

  /** The consumer group a config's sink joins. */
  groupId(config: ConnectorConfig): string {
    return config.config['group.id'] ?? `connect-${config.name}`;
  }

  async start(config: ConnectorConfig): Promise<RunningSink> {
    const running = await this.sink.start(config);
    const entry = { name: config.name, running, stopped: false };
    void running.exited.then(() => (entry.stopped = true));
    this.sinks.push(entry);
    return running;
  }

  // --- Databend ----------------------------------------------------------------------------------

  /** Creates another database of this scenario (dropped at the end, as `database` is) and returns its name. */
  async createDatabase(part: string): Promise<string> {
    const database = this.name(part);
    await this.db.exec(`CREATE DATABASE ${database}`);
    this.extraDatabases.push(database);
    return database;
  }

  /** Rows as Databend's own string forms (cast numbers and timestamps with ::String to compare exactly). */
  async query(sql: string): Promise<(string | null)[][]> {
    this.lastSql = sql;
    return queryStrings(this.db, sql);
  }

  /** Polls `sql` until `check` passes on its rows; returns the rows it passed on. */
  eventuallyRows(sql: string, check: (rows: (string | null)[][]) => void, what = sql, timeoutMs = 60_000): Promise<(string | null)[][]> {
    return eventually(async () => {
      const rows = await this.query(sql);
      check(rows);
      return rows;
    }, what, timeoutMs);
  }

  /** A table's columns in this scenario's database: name, type, nullability, ordered by name. */
  columns(table: string): Promise<(string | null)[][]> {
    return this.query(
      `SELECT name, data_type, is_nullable FROM system.columns WHERE database = '${this.database}' AND table = '${table.replace(/'/g, "''")}' ORDER BY name`,
    );
  }

  /**
   * A table's columns without their nullability: name and type, ordered by name. For scenarios
   * whose subject is not the type mapping (evolution), which judge the nullability only of the
   * columns their change concerns; the mapping's nullability rule is judged where tables are created.
   */
  async columnTypes(table: string): Promise<(string | null)[][]> {
    return (await this.columns(table)).map(([name, type]) => [name, type]);
  }

  async tableExists(table: string): Promise<boolean> {
    const rows = await this.query(`SELECT count(*)::String FROM system.tables WHERE database = '${this.database}' AND name = '${table.replace(/'/g, "''")}'`);
    return rows[0][0] !== '0';
  }
}

function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}
