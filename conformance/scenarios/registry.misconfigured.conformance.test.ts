import { randomBytes } from 'node:crypto';
import { scenario } from '../harness/scenario';
import { refusedPort, startAuthenticatingProxy, type AuthenticatingProxy } from '../environments/local/authenticating-registry-proxy';
import { eventually } from '../support/eventually';
import { exitedByItself } from '../support/stopped-sink';

const SCHEMA = { type: 'record', name: 'Reading', fields: [{ name: 'id', type: 'long' }, { name: 'v', type: 'string' }] };

/**
 * A sink whose Schema Registry settings are wrong must refuse to start (stop by itself with a
 * failure) and name the key to fix, before it consumes anything: with errors.tolerance=all, reading
 * a wrong base path's plain 404 as "schema not found" would skip (and commit) every record. It
 * applies where the sink reads the registry settings of its own config (not in the `connect`
 * setup, whose converter the setup points at the registry).
 *
 * Wrong credentials need a registry that checks them: the local Apicurio runs without
 * authentication, so that case puts a small authenticating proxy (conformance/support) in front of
 * the real registry; the right credentials through the same proxy must work (the control case).
 */
scenario('registry.misconfigured', (s) => {
  const secret = `conformance-${randomBytes(6).toString('hex')}`;
  let proxy: AuthenticatingProxy;

  beforeAll(async () => {
    proxy = await startAuthenticatingProxy(s.endpoints.schemaRegistry.url, { user: 'conformance', password: secret }, s.endpoints.schemaRegistry.basicAuthUserInfo);
  });
  afterAll(() => proxy.close());

  /** A topic with Avro records of a registered schema, and an Avro config for it with `registry` settings. */
  async function avroTopic(part: string, registry: Record<string, string>) {
    const topic = await s.createTopic(part);
    const id = await s.registerAvro(`${topic}-value`, SCHEMA);
    await s.produce(topic, await Promise.all([1, 2, 3].map(async (i) => ({ key: String(i), value: await s.encode(id, { id: i, v: `reading ${i}` }) }))));
    const config = s.config({
      topics: topic,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      'errors.tolerance': 'all',
      'errors.log.enable': 'true',
    });
    for (const key of Object.keys(config.config)) if (key.startsWith('value.converter.') && key !== 'value.converter') delete config.config[key];
    Object.assign(config.config, registry);
    return { topic, config };
  }

  const refusals: { what: string; registry: () => Promise<Record<string, string>>; key: string }[] = [
    {
      what: 'a wrong base path (the server answers a plain 404)',
      registry: async () => ({ 'value.converter.schema.registry.url': `${s.endpoints.schemaRegistry.url.replace(/\/$/, '')}/no-such-api` }),
      key: 'value.converter.schema.registry.url',
    },
    {
      what: 'wrong credentials (HTTP 401)',
      registry: async () => ({
        'value.converter.schema.registry.url': proxy.url,
        'value.converter.basic.auth.credentials.source': 'USER_INFO',
        'value.converter.basic.auth.user.info': `conformance:wrong-${secret}`,
      }),
      key: 'value.converter.basic.auth.user.info',
    },
    {
      what: 'a port nothing listens on (connection refused)',
      registry: async () => ({ 'value.converter.schema.registry.url': `http://127.0.0.1:${await refusedPort()}` }),
      key: 'value.converter.schema.registry.url',
    },
  ];

  for (const [index, c] of refusals.entries()) {
    s.it(`${c.what}: refuses to start, naming ${c.key}, secrets hidden, nothing consumed`, async () => {
      const { topic, config } = await avroTopic(`refused${index}`, await c.registry());
      const running = await s.start(config);
      expect(await exitedByItself(running, 60_000)).not.toBe(0);
      expect(running.failureOutput()).toContain(c.key);
      expect(running.logs()).not.toContain(secret);
      // The group never existed: in a fresh cluster the offsets coordinator may first answer NOT_COORDINATOR.
      const committed = await eventually(() => s.committedOffsets(s.groupId(config), topic), `committed offsets of ${s.groupId(config)}`, 30_000);
      expect(Object.values(committed)).toEqual(['-1']);
      expect(await s.tableExists(topic)).toBe(false);
    });
  }

  s.it('the right credentials through the same authenticating proxy: the sink starts and writes every record', async () => {
    const { topic, config } = await avroTopic('accepted', {
      'value.converter.schema.registry.url': proxy.url,
      'value.converter.basic.auth.credentials.source': 'USER_INFO',
      'value.converter.basic.auth.user.info': `conformance:${secret}`,
    });
    const running = await s.start(config);
    await s.eventuallyRows(`SELECT count(*)::String, sum(id)::String FROM ${topic}`, (rows) => expect(rows).toEqual([['3', '6']]), `3 rows in ${topic}`);
    expect(proxy.counts.forwarded).toBeGreaterThan(0);
    expect(await running.stop()).toBe(0);
    expect(running.logs()).not.toContain(secret);
  });
});
