import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeCommand } from '../cli/describe-command';
import { validateCommand } from '../cli/validate-command';
import { validateResponse } from './config-projections';
import { validateConfig } from './validate-config';

/** Every secret carries this marker; no output may contain it. */
const MARK = 'S3CR3T';

const VALID_WITH_SECRETS: Record<string, string> = {
  name: 'secrets',
  topics: 'orders',
  'bootstrap.servers': 'broker:9092',
  'connection.url': `jdbc:databend://urluser:${MARK}-url-pw@db.example.com:8000/shop?ssl=true&access_token=${MARK}-url-token`,
  'connection.password': `${MARK}-conn-pw`,
  'connection.access_token': `${MARK}-extra-token`,
  'security.protocol': 'SASL_SSL',
  'sasl.mechanism': 'PLAIN',
  'sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="k" password="${MARK}-jaas";`,
  'ssl.keystore.key': `-----BEGIN PRIVATE KEY-----${MARK}-pem`,
  'ssl.key.password': `${MARK}-key-pw`,
  'ssl.keystore.password': `${MARK}-ks-pw`,
  'ssl.truststore.password': `${MARK}-ts-pw`,
  'value.converter': 'io.confluent.connect.avro.AvroConverter',
  'value.converter.schema.registry.url': 'https://sr.example.com',
  'value.converter.basic.auth.credentials.source': 'USER_INFO',
  'value.converter.basic.auth.user.info': `SRKEY:${MARK}-sr`,
  'key.converter': 'io.confluent.connect.json.JsonSchemaConverter',
  'key.converter.schema.registry.url': `https://srk:${MARK}-sr-url@sr.example.com`,
  'key.converter.schema.registry.basic.auth.user.info': `KEY2:${MARK}-sr2`,
  'consumer.override.ssl.key.password': `${MARK}-key-pw`,
  'value.converter.bearer.auth.token': `${MARK}-unknown-token`,
  'producer.override.sasl.jaas.config': `${MARK}-producer-jaas`,
};

/** The same secrets, in values that are wrong, plus other mistakes. */
const INVALID_WITH_SECRETS: Record<string, string> = {
  ...VALID_WITH_SECRETS,
  'connection.url': `jdbc:databend://urluser:${MARK}-url-pw@h1:8000,h2:8000/shop`,
  'sasl.jaas.config': `username="k" password="${MARK}-jaas"`,
  'value.converter.basic.auth.user.info': `${MARK}-no-colon`,
  'key.converter.basic.auth.user.info': `KEY3:${MARK}-differs`,
  'key.converter.basic.auth.credentials.source': 'USER_INFO',
  'consumer.override.ssl.key.password': `${MARK}-conflicting`,
  'consumer.override.sasl.jaas.config': `${MARK}-override-conflicting`,
  'insert.mode': 'merge',
  'my.api.token': `${MARK}-unknown-token`,
  'connection.query_timeout_secret': `${MARK}-unknown-connection-key`,
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function expectNoSecret(output: unknown) {
  const text = typeof output === 'string' ? output : JSON.stringify(output, (_k, v) => (v instanceof RegExp ? v.source : v));
  expect(text).not.toContain(MARK);
}

describe('secrets never appear in any output', () => {
  it('the valid config validates clean', () => {
    expect(validateConfig(VALID_WITH_SECRETS).problems).toEqual([]);
  });

  it('the invalid config reports problems on the secret-carrying keys', () => {
    const { problems } = validateConfig(INVALID_WITH_SECRETS);
    const keys = problems.map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'connection.url',
        'sasl.jaas.config',
        'value.converter.basic.auth.user.info',
        'key.converter.schema.registry.basic.auth.user.info',
        'consumer.override.ssl.key.password',
        'consumer.override.sasl.jaas.config',
        'insert.mode',
      ]),
    );
    for (const p of problems.filter((p) => p.key !== 'connection.url' && p.key !== 'insert.mode')) expect(p.value).toBe('[hidden]');
    expect(problems.find((p) => p.key === 'connection.url')!.value).toBe('jdbc:databend://urluser:[hidden]@h1:8000,h2:8000/shop');
  });

  it.each([
    ['valid', VALID_WITH_SECRETS],
    ['invalid', INVALID_WITH_SECRETS],
  ])('%s: problems and warnings', (_label, raw) => {
    const { problems, warnings } = validateConfig(raw);
    expectNoSecret(problems);
    expectNoSecret(warnings);
    expect(warnings.length).toBeGreaterThan(0);
  });

  it.each([
    ['valid', VALID_WITH_SECRETS],
    ['invalid', INVALID_WITH_SECRETS],
  ])('%s: the validate response', (_label, raw) => {
    expectNoSecret(validateResponse(raw));
  });

  it.each([
    ['valid', VALID_WITH_SECRETS],
    ['invalid', INVALID_WITH_SECRETS],
  ])('%s: the validate and describe commands, JSON and .properties', (label, raw) => {
    const json = path.join(dir, `${label}.json`);
    fs.writeFileSync(json, JSON.stringify({ name: raw.name, config: raw }));
    const props = path.join(dir, `${label}.properties`);
    fs.writeFileSync(props, Object.entries(raw).map(([k, v]) => `${k.replace(/([:= ])/g, '\\$1')}=${v}`).join('\n'));
    for (const file of [json, props]) {
      for (const result of [validateCommand(file), validateCommand(file, { json: true }), describeCommand(file), describeCommand(file, { json: true })]) {
        expect(result.exitCode).toBe(label === 'valid' ? 0 : 2);
        expectNoSecret(result.stdout);
        expectNoSecret(result.stderr);
      }
    }
  });

  it('a secret in a file that does not parse is not echoed', () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, `{"connection.password": "${MARK}-broken" "x": 1}`);
    const r = validateCommand(file);
    expect(r.exitCode).toBe(2);
    expectNoSecret(r.stdout);
    expectNoSecret(r.stderr);
    const props = path.join(dir, 'broken.properties');
    fs.writeFileSync(props, `connection.password=${MARK}-broken\\u12`);
    expectNoSecret(describeCommand(props));
  });
});
