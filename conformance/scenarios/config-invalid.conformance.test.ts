import { scenario } from '../harness/scenario';
import type { Requirement } from '../sink-under-test/capabilities';
import type { RunningSink } from '../sink-under-test/sink-under-test';

/** How long a sink may take to refuse a config (a JVM worker starting included). */
const REFUSAL_WAIT_MS = 60_000;

/**
 * A matrix of bad configs, each one mistake (or three) in a config that is valid without it: the
 * sink must refuse each before consuming anything — it fails by itself (a process exits non-zero,
 * a connector is FAILED, or Kafka Connect refuses to create it) and commits nothing — name every
 * mistaken key in what it says about the failure, and never print a secret. Only behaviour is
 * judged, so any sink can be (no `validate` command, no exit code or wording of ours).
 *
 * The base config must run as it is: a sink that validated nothing and failed at its first login
 * would otherwise "refuse" every case. The secret it carries is the registry credentials of the
 * value converter, which a sink that reads it must keep to itself as much as one that ignores it.
 */
scenario('config.invalid', (s) => {
  const secret = `conformance-Secret-${s.suffix}`;
  // A rule across keys is named by naming any of its keys (`[a, b]`): sinks report a conflict on either side.
  const cases: { what: string; overrides: Record<string, string>; remove?: string[]; keys: (string | string[])[]; requires?: Requirement[] }[] = [
    { what: 'unknown insert mode', overrides: { 'insert.mode': 'merge' }, keys: ['insert.mode'] },
    { what: 'upsert without key columns', overrides: { 'insert.mode': 'upsert', 'pk.mode': 'none' }, keys: [['pk.mode', 'insert.mode']] },
    { what: 'deletes without record keys', overrides: { 'delete.enabled': 'true', 'pk.mode': 'record_value', 'pk.fields': 'id' }, keys: [['delete.enabled', 'pk.mode']] },
    { what: 'no topics', overrides: {}, remove: ['topics'], keys: ['topics'] },
    { what: 'topics and topics.regex together', overrides: { 'topics.regex': 'x.*' }, keys: ['topics'] },
    { what: 'dead-letter topic among the sink topics', overrides: { 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'TOPIC' }, keys: [['errors.deadletterqueue.topic.name', 'topics']] },
    { what: 'unknown converter class', overrides: { 'value.converter': 'com.example.NoSuchConverter' }, keys: ['value.converter'] },
    { what: 'batch size out of range', overrides: { 'batch.size': '-5' }, keys: ['batch.size'] },
    // In Kafka Connect the worker owns the Kafka clients: their settings are not the connector's to judge.
    { what: 'SASL without credentials', overrides: { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN' }, keys: ['sasl.jaas.config'], requires: ['kafka-client-config'] },
    {
      what: 'three mistakes at once',
      overrides: { 'insert.mode': 'merge', 'db.timezone': 'Mars/Olympus', 'max.retries': 'many' },
      keys: ['db.timezone', 'insert.mode', 'max.retries'],
    },
  ];

  const baseConfig = (topic: string) =>
    s.config({
      topics: topic,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'value.converter.basic.auth.credentials.source': 'USER_INFO',
      'value.converter.basic.auth.user.info': `conformance:${secret}`,
    });

  /** The sink's outcome once it stops by itself; fails at once when it commits (it consumed), or after the wait. */
  async function refusal(running: RunningSink, group: string, topic: string): Promise<number> {
    let code: number | undefined;
    void running.exited.then((c) => (code = c));
    const deadline = Date.now() + REFUSAL_WAIT_MS;
    while (code === undefined) {
      const committed = Object.values(await s.committedOffsets(group, topic));
      if (committed.some((o) => o !== '-1')) throw new Error(`the sink consumed and committed ${topic} (offsets ${committed.join(', ')}) instead of refusing the config`);
      if (Date.now() > deadline) throw new Error(`the sink neither refused the config nor stopped within ${REFUSAL_WAIT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return code;
  }

  s.itRequiring([], 'the base config is valid: the sink runs it and writes the record', async () => {
    const topic = await s.createTopic('base');
    await s.db.exec(`CREATE TABLE "${s.database}"."${topic}" (id BIGINT NULL)`);
    await s.produce(topic, [{ key: 'k', value: '{"id":1}' }]);
    const running = await s.start(baseConfig(topic));
    await s.eventuallyRows(`SELECT id::String FROM "${topic}"`, (rows) => expect(rows).toEqual([['1']]));
    expect(await running.stop()).toBe(0);
    expect(running.logs()).not.toContain(secret);
  });

  for (const c of cases) {
    const naming = c.keys.map((k) => (Array.isArray(k) ? k.join(' or ') : k)).join(', ');
    s.itRequiring(c.requires ?? [], `${c.what}: refused before consuming, naming ${naming}, secrets hidden`, async () => {
      const topic = await s.createTopic(`t${cases.indexOf(c)}`);
      await s.produce(topic, [{ key: 'k', value: '{"id":1}' }]);
      const config = baseConfig(topic);
      for (const key of c.remove ?? []) delete config.config[key];
      for (const [key, value] of Object.entries(c.overrides)) config.config[key] = value.replace('TOPIC', topic);
      const running = await s.start(config);
      expect(await refusal(running, s.groupId(config), topic)).not.toBe(0);
      const said = running.failureOutput();
      for (const key of c.keys) expect({ key, named: [key].flat().some((k) => said.includes(k)) }).toEqual({ key, named: true });
      expect(running.logs()).not.toContain(secret);
      // Refused before consuming: the group never committed anything.
      expect(Object.values(await s.committedOffsets(s.groupId(config), topic))).toEqual(['-1']);
    });
  }
});
