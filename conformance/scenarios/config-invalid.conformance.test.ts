import { scenario } from '../harness/scenario';

/**
 * A matrix of bad configs: the sink must refuse each before consuming anything, name every
 * problem's key, and never print a secret. Only the run's exit code and output are used, so any
 * sink can be judged (no `validate` command needed).
 */
scenario('config.invalid', (s) => {
  const secret = 'conformance-Secret-9f3a';
  const cases: { what: string; overrides: Record<string, string>; remove?: string[]; keys: string[] }[] = [
    { what: 'unknown insert mode', overrides: { 'insert.mode': 'merge' }, keys: ['insert.mode'] },
    { what: 'upsert without key columns', overrides: { 'insert.mode': 'upsert', 'pk.mode': 'none' }, keys: ['pk.mode'] },
    { what: 'deletes without record keys', overrides: { 'delete.enabled': 'true', 'pk.mode': 'record_value', 'pk.fields': 'id' }, keys: ['delete.enabled'] },
    { what: 'no topics', overrides: {}, remove: ['topics'], keys: ['topics'] },
    { what: 'topics and topics.regex together', overrides: { 'topics.regex': 'x.*' }, keys: ['topics'] },
    { what: 'dead-letter topic among the sink topics', overrides: { 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'TOPIC' }, keys: ['errors.deadletterqueue.topic.name'] },
    { what: 'unknown converter class', overrides: { 'value.converter': 'com.example.NoSuchConverter' }, keys: ['value.converter'] },
    { what: 'batch size out of range', overrides: { 'batch.size': '-5' }, keys: ['batch.size'] },
    { what: 'SASL without credentials', overrides: { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN' }, keys: ['sasl.jaas.config'] },
    {
      what: 'three mistakes at once',
      overrides: { 'insert.mode': 'merge', 'db.timezone': 'Mars/Olympus', 'max.retries': 'many' },
      keys: ['db.timezone', 'insert.mode', 'max.retries'],
    },
  ];

  for (const c of cases) {
    s.it(`${c.what}: refused before consuming, naming ${c.keys.join(', ')}, secrets hidden`, async () => {
      const topic = await s.createTopic(`t${cases.indexOf(c)}`);
      await s.produce(topic, [{ key: 'k', value: '{"id":1}' }]);
      const base = s.config({
        topics: topic,
        'connection.password': secret,
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
      });
      for (const key of c.remove ?? []) delete base.config[key];
      for (const [key, value] of Object.entries(c.overrides)) base.config[key] = value.replace('TOPIC', topic);
      const running = await s.start(base);
      const code = await running.exited;
      const output = running.logs();
      expect(code).not.toBe(0);
      for (const key of c.keys) expect(output).toContain(key);
      expect(output).not.toContain(secret);
      // Refused before consuming: the group never committed anything.
      const committed = await s.committedOffsets(s.groupId(base), topic);
      expect(Object.values(committed)).toEqual(['-1']);
    });
  }
});
