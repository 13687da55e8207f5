import { driverDsn, DriverSession, type DriverCalls } from './databend-connection';
import { describeServer } from './databend-session';
import * as fs from 'node:fs';
import { validateConfig } from '../config/validate-config';
import { CURRENT_SERVER } from '../../test-support/recording-session';
import { SinkError } from '../errors';

describe('describeServer: the load path databend-driver 0.33 takes, from `SELECT version()`', () => {
  test.each([
    ['Databend Query v1.2.895-nightly-363a49c1dd(rust-1.94.0-nightly-2026-04-12T03:13:19.550514724Z)', '1.2.895-nightly-363a49c1dd', 'statement'],
    ['Databend Query v1.2.782(rust-1.75.0)', '1.2.782', 'statement'],
    ['Databend Query v1.3.0-nightly', '1.3.0-nightly', 'statement'],
    ['Databend Query v2.0.0', '2.0.0', 'statement'],
    ['Databend Query v1.2.781', '1.2.781', 'attachment'],
    // A pre-release sorts before its release (semver), as the driver compares.
    ['Databend Query v1.2.781-nightly', '1.2.781-nightly', 'attachment'],
    ['Databend Query v1.2.780-legacy-front (local front emulating Databend 1.2.780 over …)', '1.2.780-legacy-front', 'attachment'],
    ['Databend Query v1.1.99', '1.1.99', 'attachment'],
  ])('%s → %s, %s', (text, version, loadPath) => {
    expect(describeServer(text)).toEqual({ version, loadPath });
  });

  test('a version text without a version is taken as a current server (its upsert path works on old ones too)', () => {
    expect(describeServer('custom build')).toEqual({ version: 'custom build', loadPath: 'statement' });
    expect(describeServer('')).toEqual({ version: 'unknown', loadPath: 'statement' });
  });
});

describe('regression: a frozen Databend was waited for forever', () => {
/**
 * Regression: databend-driver has no request timeout, so a Databend that stopped answering (process
 * frozen with SIGSTOP, a network black hole) held the sink forever: no error, no retry. Every call
 * is now bounded by `databend.request.timeout.ms` (default 5 minutes) and a timeout is a retriable
 * DATABEND_UNAVAILABLE (retried per max.retries, then the sink stops without committing).
 */
const BASE = {
  name: 'frozen',
  'bootstrap.servers': 'localhost:9092',
  topics: 't',
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
};
const never = <T>() => new Promise<T>(() => undefined);

function hangingConnection(overrides: Partial<DriverCalls> = {}): DriverCalls {
  return { exec: never, queryAll: never, loadFile: never, close: async () => undefined, ...overrides } as unknown as DriverCalls;
}

async function expectTimeout(call: Promise<unknown>, what: string): Promise<void> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SinkError);
  expect(err).toMatchObject({ code: 'DATABEND_UNAVAILABLE', message: `${what}: Databend did not answer within 50 ms (databend.request.timeout.ms)` });
  expect((err as SinkError).isRetriable).toBe(true);
}

test('a statement, a query and a stage load that get no answer fail as retriable DATABEND_UNAVAILABLE', async () => {
  const session = new DriverSession(hangingConnection(), 50, CURRENT_SERVER);
  await expectTimeout(session.exec('SELECT 1'), 'statement failed');
  await expectTimeout(session.query('SELECT 1'), 'query failed');
  await expectTimeout(session.loadCsv('INSERT INTO t VALUES', '"1"\n'), 'stage load failed');
});

test('the CSV file of a timed-out stage load stays until the driver is done with it', async () => {
  let finish: (stats: unknown) => void = () => undefined;
  let file = '';
  const session = new DriverSession(
    hangingConnection({
      loadFile: ((_sql: string, path: string) => {
        file = path;
        return new Promise((resolve) => (finish = resolve));
      }) as unknown as DriverCalls['loadFile'],
    }),
    50,
    CURRENT_SERVER,
  );
  await expectTimeout(session.loadCsv('INSERT INTO t VALUES', '"1"\n'), 'stage load failed');
  expect(fs.existsSync(file)).toBe(true);
  finish({ writeRows: 1 });
  await new Promise((r) => setTimeout(r, 50));
  expect(fs.existsSync(file)).toBe(false);
});

test('an answer in time passes through; a Databend error is still classified as before', async () => {
  const session = new DriverSession(
    hangingConnection({
      exec: (async () => 3) as unknown as DriverCalls['exec'],
      queryAll: (async () => {
        throw new Error('APIError: QueryFailed: [1025]Unknown table');
      }) as unknown as DriverCalls['queryAll'],
    }),
    50,
    CURRENT_SERVER,
  );
  expect(await session.exec('DELETE FROM t')).toBe(3);
  await expect(session.query('SELECT 1')).rejects.toMatchObject({ name: 'DatabendQueryError', databendCode: 1025 });
});

test('databend.request.timeout.ms is read into the connection config', () => {
  const { config } = validateConfig({ 'connection.url': 'databend://u:p@localhost:8000', 'databend.request.timeout.ms': '300', ...BASE });
  expect(config!.connection.requestTimeoutMs).toBe(300);
});

test('databend.request.timeout.ms defaults to 5 minutes', () => {
  const { config } = validateConfig({ 'connection.url': 'databend://u:p@localhost:8000', ...BASE });
  expect(config!.connection.requestTimeoutMs).toBe(300_000);
});
});

describe('driverDsn', () => {
  it('makes the driver send one request per call: the sink owns the retries', () => {
    expect(driverDsn('databend://u:p@h:8000/db?sslmode=disable')).toBe('databend://u:p@h:8000/db?sslmode=disable&retry_count=1');
    expect(driverDsn('databend://u:p@h:443/db')).toBe('databend://u:p@h:443/db?retry_count=1');
    // After a connection.* extra of the same name: the driver reads parameters in order, the last wins.
    expect(driverDsn('databend://h/db?retry_count=5')).toBe('databend://h/db?retry_count=5&retry_count=1');
  });
});

describe('abandon: a transaction whose statement timed out is left behind with its server session', () => {
  test('the old connection is logged out and never used again; the next call logs in afresh', async () => {
    const calls: string[] = [];
    const connection = (name: string): DriverCalls =>
      ({
        exec: async (sql: string) => {
          calls.push(`${name}: ${sql}`);
          return 0;
        },
        queryAll: async () => [],
        loadFile: async () => ({ writeRows: 0 }),
        close: async () => void calls.push(`${name}: logout`),
      }) as unknown as DriverCalls;
    let logins = 0;
    const session = new DriverSession(connection('first'), 50, CURRENT_SERVER, async () => connection(`login ${++logins}`));
    await session.exec('BEGIN');
    session.abandon();
    session.abandon();
    await session.exec('BEGIN');
    await session.exec('COMMIT');
    expect(calls).toEqual(['first: BEGIN', 'first: logout', 'login 1: BEGIN', 'login 1: COMMIT']);
  });

  test('a login that fails is a retriable error of the call, and the next call tries again', async () => {
    let attempts = 0;
    const answering = { exec: async () => 7, queryAll: async () => [], loadFile: async () => ({ writeRows: 0 }), close: async () => undefined } as unknown as DriverCalls;
    const session = new DriverSession(answering, 50, CURRENT_SERVER, async () => {
      if (++attempts === 1) throw new Error('error sending request: connection refused');
      return answering;
    });
    session.abandon();
    await expect(session.exec('SELECT 1')).rejects.toMatchObject({ code: 'DATABEND_UNAVAILABLE' });
    expect(await session.exec('SELECT 1')).toBe(7);
  });
});
