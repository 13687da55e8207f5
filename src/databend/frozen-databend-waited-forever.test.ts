import * as fs from 'node:fs';
import { validateConfig } from '../config/validate-config';
import { CURRENT_SERVER } from '../../test-support/recording-session';
import { SinkError } from '../errors';
import { DriverSession, type DriverCalls } from './databend-connection';

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
