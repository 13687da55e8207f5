import { SinkEventPublisher } from '../events/sink-events';
import { SinkObserver } from './sink-observer';
import { StatusServer } from './status-server';

describe('health and metrics listener', () => {
  const events = new SinkEventPublisher('status-server-test');
  const other = new SinkEventPublisher('another-sink-in-the-process');
  let observer: SinkObserver;
  let server: StatusServer;

  beforeAll(async () => {
    observer = new SinkObserver({ instance: events.instance, connector: 'orders', version: '9.9.9', groupId: 'connect-orders' });
    server = await StatusServer.start(observer, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server.close();
    observer.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };

  it('listens on loopback and answers /healthz at once', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await get('/healthz')).toMatchObject({ status: 200, text: 'ok\n' });
  });

  it('/readyz is 503 with the reasons until the group is joined and Databend answers, then 200', async () => {
    const before = await get('/readyz');
    expect(before.status).toBe(503);
    expect(JSON.parse(before.text)).toEqual({ ready: false, reasons: ['not a member of the consumer group', 'Databend not reached yet'] });
    events.publish('databend', { reachable: true });
    events.publish('group', { event: 'joined', groupId: 'connect-orders', assignment: { orders: [0, 1] } });
    expect(await get('/readyz')).toMatchObject({ status: 200 });
    events.publish('databend', { reachable: false, error: 'connection refused' });
    expect(JSON.parse((await get('/readyz')).text)).toEqual({ ready: false, reasons: ['Databend does not answer: connection refused'] });
    events.publish('databend', { reachable: true });
  });

  it('/metrics counts what the events said, in the Prometheus text format; another sink of the process does not count', async () => {
    events.publish('batch', { topic: 'orders', partition: 0, consumed: 10, written: 9, failed: 1, durationMs: 120 });
    events.publish('batch', { topic: 'orders', partition: 1, consumed: 5, written: 5, failed: 0, durationMs: 30 });
    other.publish('batch', { topic: 'orders', partition: 0, consumed: 1000, written: 1000, failed: 0, durationMs: 1 });
    events.publish('lag', { topic: 'orders', partition: 0, lag: 42 });
    events.publish('commit', { topic: 'orders', partition: 0, offset: '10' });
    events.publish('load', { table: 'db.orders', kind: 'insert', rows: 9, durationMs: 80 });
    events.publish('retry', { what: 'writing to Databend', attempt: 1, code: 'DATABEND_UNAVAILABLE' });
    events.publish('table', { table: 'db.orders', event: 'created', added: ['id'], widened: [] });
    const { status, type, text } = await get('/metrics');
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('databend_sink_records_consumed_total{topic="orders"} 15');
    expect(text).toContain('databend_sink_records_written_total{topic="orders"} 14');
    expect(text).toContain('databend_sink_records_failed_total{topic="orders"} 1');
    expect(text).toContain('databend_sink_consumer_lag{topic="orders",partition="0"} 42');
    expect(text).toContain('databend_sink_committed_offset{topic="orders",partition="0"} 10');
    expect(text).toContain('databend_sink_batch_duration_seconds_count 2');
    expect(text).toContain('databend_sink_load_duration_seconds_count{kind="insert"} 1');
    expect(text).toContain('databend_sink_retries_total{what="writing to Databend",code="DATABEND_UNAVAILABLE"} 1');
    expect(text).toContain('databend_sink_rebalances_total{event="joined"} 1');
    expect(text).toContain('databend_sink_table_changes_total{event="created"} 1');
    expect(text).toContain('databend_sink_assigned_partitions 2');
    expect(text).toContain('databend_sink_databend_reachable 1');
    expect(text).toContain('databend_sink_info{connector="orders",version="9.9.9",group="connect-orders"} 1');
    expect(text).toMatch(/^databend_sink_process_resident_memory_bytes \d+/m);
  });

  it('/status: assignment, committed offsets, lag, totals and the last error, without record content', async () => {
    events.publish('failure', { code: 'RECORD_UNDECODABLE', message: 'bad magic byte', fatal: false, topic: 'orders', partition: 0, offset: '7' });
    const status = JSON.parse((await get('/status')).text);
    expect(status).toMatchObject({
      connector: 'orders',
      version: '9.9.9',
      groupId: 'connect-orders',
      joined: true,
      assignment: { orders: [0, 1] },
      committed: { orders: { 0: '10' } },
      lag: { orders: { 0: 42 } },
      totals: { consumed: 15, written: 14, failed: 1, retries: 1, rebalances: 1 },
      databend: { reachable: true },
      lastError: { code: 'RECORD_UNDECODABLE', message: 'bad magic byte', fatal: false, topic: 'orders', partition: 0, offset: '7' },
    });
  });

  it('a membership loss makes the sink unready and forgets the partitions', async () => {
    events.publish('group', { event: 'lost', groupId: 'connect-orders' });
    expect((await get('/readyz')).status).toBe(503);
    expect(JSON.parse((await get('/status')).text)).toMatchObject({ joined: false, assignment: {}, lag: { orders: {} } });
    events.publish('group', { event: 'joined', groupId: 'connect-orders', assignment: { orders: [0] } });
  });

  it('unknown paths are 404, other methods 405', async () => {
    expect((await get('/nope')).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('a port in use is a config error naming metrics.port', async () => {
    const port = Number(new URL(server.url).port);
    await expect(StatusServer.start(observer, { port, host: '127.0.0.1' })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^metrics\.port: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/) });
  });
});
