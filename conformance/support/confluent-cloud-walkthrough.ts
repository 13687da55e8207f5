import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Endpoints } from '../environments/environment';
import type { ConnectorConfig } from '../sink-under-test/sink-under-test';

/**
 * The seed's walk-through — Databend's Java connector run as a Confluent Cloud custom connector:
 * an Avro topic `topic_avrob` with a registered schema, `testsync.${topic}` auto-created and
 * upserted by `id`, then the schema evolves once — as data and steps shared by the
 * `config.confluent-cloud` scenario and `npm run demo` (scripts/demo/), so the demo cannot rot.
 *
 * The config is the one Confluent Cloud stores for that connector
 * (fixtures/configs/confluent-cloud-walkthrough.json): the keys the walk-through types, plus the
 * platform's own (`kafka.auth.mode`, `kafka.api.key`/`kafka.api.secret`, `confluent.*`).
 */
export const WALKTHROUGH_CONFIG_FILE = path.join(__dirname, '..', '..', 'fixtures', 'configs', 'confluent-cloud-walkthrough.json');

export function uploadedConfig(): ConnectorConfig {
  return JSON.parse(fs.readFileSync(WALKTHROUGH_CONFIG_FILE, 'utf8')) as ConnectorConfig;
}

export interface LocalTarget {
  endpoints: Endpoints;
  /** The topic in place of `topic_avrob`, and the database in place of `testsync` (each run its own). */
  topic: string;
  database: string;
  name: string;
}

/**
 * The uploaded config with only endpoints and credentials changed: Databend's URL, user and
 * password; the Kafka API key and secret (a PLAIN user of the local SASL_SSL listener, which is
 * what a Confluent Cloud API key is); and what Confluent Cloud injects and a standalone sink must
 * be given — `bootstrap.servers` (the SASL_SSL listener, with the local CA as
 * `ssl.truststore.location`) and the registry URL. The topic and database are the run's own.
 */
export function localConfig(target: LocalTarget): ConnectorConfig {
  const { endpoints, topic, database } = target;
  const secured = endpoints.kafkaSecured;
  if (!secured) throw new Error('the Confluent Cloud walk-through needs the environment\'s SASL_SSL listener (kafkaSecured)');
  const plain = secured.users.find((u) => u.mechanism === 'PLAIN');
  if (!plain) throw new Error('the SASL_SSL listener has no PLAIN user, which a Confluent Cloud API key is');
  const uploaded = uploadedConfig().config;
  const { databend, schemaRegistry } = endpoints;
  const config: Record<string, string> = {
    ...uploaded,
    'connection.url': `jdbc:databend://${databend.host}:${databend.port}${databend.sslmode === 'enable' ? '?ssl=true' : ''}`,
    'connection.user': databend.user,
    'connection.password': databend.password,
    'kafka.api.key': plain.username,
    'kafka.api.secret': plain.password,
    'bootstrap.servers': secured.bootstrapServers.join(','),
    'ssl.truststore.location': secured.caPemFile,
    'value.converter.schema.registry.url': schemaRegistry.url,
    ...(schemaRegistry.basicAuthUserInfo
      ? { 'value.converter.basic.auth.credentials.source': 'USER_INFO', 'value.converter.basic.auth.user.info': schemaRegistry.basicAuthUserInfo }
      : {}),
    'connection.database': database,
    'table.name.format': uploaded['table.name.format'].replace('testsync.', `${database}.`),
    topics: topic,
  };
  return { name: target.name, config };
}

/** The topic's value schema, then its one evolution: a new optional field with a default. */
export const USER_V1 = {
  type: 'record',
  name: 'User',
  namespace: 'testsync',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
    { name: 'score', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'active', type: 'boolean' },
    { name: 'signed_up', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
};
export const USER_V2 = { ...USER_V1, fields: [...USER_V1.fields, { name: 'email', type: ['null', 'string'], default: null }] };

function cents(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

/** Sample records of v1: ids 1-4, then id 2 again (the later value wins under upsert). */
export function v1Records(): { key: string; value: Record<string, unknown> }[] {
  const user = (id: number, name: string, centsScore: number, active: boolean, ms: number) => ({
    key: String(id),
    value: { id, name, score: cents(centsScore), active, signed_up: ms },
  });
  return [user(1, 'alice', 9950, true, 1_700_000_000_000), user(2, 'bob', 1234, false, 1_700_000_001_000), user(3, 'carol', -1, true, 0), user(4, 'dave', 0, false, 1_700_000_003_500), user(2, 'bob', 8800, true, 1_700_000_004_000)];
}

/** After the evolution: a new id with an email, and id 3 updated with one. */
export function v2Records(): { key: string; value: Record<string, unknown> }[] {
  return [
    { key: '5', value: { id: 5, name: 'erin', score: cents(4200), active: true, signed_up: 1_700_000_005_000, email: 'erin@example.com' } },
    { key: '3', value: { id: 3, name: 'carol', score: cents(100), active: true, signed_up: 0, email: 'carol@example.com' } },
  ];
}

/** The table after the v1 records (it has no email column yet). */
export const V1_ROWS_SQL = (table: string) => `SELECT id::String, name, score::String, active::String, signed_up::String FROM ${table} ORDER BY id`;
export const V1_ROWS = [
  ['1', 'alice', '99.50', 'true', '2023-11-14 22:13:20.000000'],
  ['2', 'bob', '88.00', 'true', '2023-11-14 22:13:24.000000'],
  ['3', 'carol', '-0.01', 'true', '1970-01-01 00:00:00.000000'],
  ['4', 'dave', '0.00', 'false', '2023-11-14 22:13:23.500000'],
];

/** The table after the evolution. */
export const V2_ROWS_SQL = (table: string) => `SELECT id::String, name, score::String, active::String, signed_up::String, email FROM ${table} ORDER BY id`;
export const V2_ROWS = [
  ['1', 'alice', '99.50', 'true', '2023-11-14 22:13:20.000000', null],
  ['2', 'bob', '88.00', 'true', '2023-11-14 22:13:24.000000', null],
  ['3', 'carol', '1.00', 'true', '1970-01-01 00:00:00.000000', 'carol@example.com'],
  ['4', 'dave', '0.00', 'false', '2023-11-14 22:13:23.500000', null],
  ['5', 'erin', '42.00', 'true', '2023-11-14 22:13:25.000000', 'erin@example.com'],
];
