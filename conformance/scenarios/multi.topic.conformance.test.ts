import { scenario } from '../harness/scenario';
import { eventually } from '../support/eventually';

/**
 * One sink, several topics: listed in `topics`, or matched by `topics.regex` (a full match, as in
 * Kafka Connect), each topic's records into its own table — in the connection's database, or in
 * the database named by `table.name.format=<db>.${topic}`. The topics carry different fields, so a
 * record in the wrong table shows up as a wrong count or wrong values. The tables exist beforehand
 * (with auto.create still on, a sink that routes wrongly creates tables where none belong): what
 * is judged is routing, not table creation from schemaless JSON.
 */
scenario('multi.topic', (s) => {
  const PER_TOPIC = 300;
  const shapes = [
    { part: 'orders', partitions: 3, value: (i: number) => ({ id: i, item: `item-${i}`, qty: i % 7 }), columns: ['id', 'item', 'qty'], ddl: 'id BIGINT NULL, item VARCHAR NULL, qty BIGINT NULL' },
    { part: 'payments', partitions: 2, value: (i: number) => ({ id: i, amount: i + 0.25, paid: i % 2 === 0 }), columns: ['amount', 'id', 'paid'], ddl: 'amount DOUBLE NULL, id BIGINT NULL, paid BOOLEAN NULL' },
    { part: 'events', partitions: 1, value: (i: number) => ({ id: i, kind: i % 3 === 0 ? 'click' : 'view' }), columns: ['id', 'kind'], ddl: 'id BIGINT NULL, kind VARCHAR NULL' },
  ];

  const jsonConfig = (overrides: Record<string, string>) =>
    s.config({
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      ...overrides,
    });

  /** Creates one topic per shape (named `<prefix><part>`) with its table in `database`, and fills it; returns the topic names in shape order. */
  async function fill(prefix: string, database: string): Promise<string[]> {
    return Promise.all(
      shapes.map(async (shape) => {
        const topic = await s.createTopic(`${prefix}${shape.part}`, shape.partitions);
        await s.db.exec(`CREATE TABLE "${database}"."${topic}" (${shape.ddl})`);
        await s.produce(
          topic,
          Array.from({ length: PER_TOPIC }, (_, i) => ({ key: String(i), value: JSON.stringify(shape.value(i)) })),
        );
        return topic;
      }),
    );
  }

  /** Every shape's table in `database` holds exactly its topic's records, with only its own columns. */
  async function expectOwnTables(database: string, topics: string[]): Promise<void> {
    for (const [index, topic] of topics.entries()) {
      const shape = shapes[index];
      const table = `${database}.${topic}`;
      await s.eventuallyRows(`SELECT count(*)::String FROM ${table}`, (rows) => expect(rows).toEqual([[String(PER_TOPIC)]]), `${PER_TOPIC} rows in ${table}`);
      const columns = await s.query(`SELECT name FROM system.columns WHERE database = '${database}' AND table = '${topic}' ORDER BY name`);
      expect(columns.map(([name]) => name)).toEqual(shape.columns);
      const rows = await s.query(`SELECT ${shape.columns.map((c) => `${c}::String`).join(', ')} FROM ${table} AS t ORDER BY t.id`);
      const expected = Array.from({ length: PER_TOPIC }, (_, i) => {
        const value = shape.value(i) as Record<string, unknown>;
        return shape.columns.map((c) => (typeof value[c] === 'boolean' ? (value[c] ? 'true' : 'false') : String(value[c])));
      });
      expect(rows).toEqual(expected);
    }
  }

  async function expectAllCommitted(groupId: string, topics: string[]): Promise<void> {
    for (const topic of topics) {
      const end = await s.endOffsets(topic);
      await eventually(async () => expect(await s.committedOffsets(groupId, topic)).toEqual(end), `${groupId} committed ${topic} to its end`, 30_000);
    }
  }

  s.it('topics as a list: each topic into its own table of the connection database', async () => {
    const topics = await fill('l_', s.database);
    const config = jsonConfig({ topics: topics.join(',') });
    await s.start(config);
    await expectOwnTables(s.database, topics);
    await expectAllCommitted(s.groupId(config), topics);
  });

  s.it('topics.regex with table.name.format=<db>.${topic}: matching topics only, into that database', async () => {
    const destination = await s.createDatabase('dest');
    const topics = await fill('r_', destination);
    // Contains a match of the pattern but is not one as a whole: Kafka Connect matches whole names.
    const decoy = await s.createTopic(`r_events_${s.suffix}`);
    await s.produce(decoy, [{ key: '0', value: '{"id":0,"kind":"decoy"}' }]);
    const config = jsonConfig({ 'topics.regex': s.name('r_[a-z]+'), 'table.name.format': `${destination}.\${topic}` });
    await s.start(config);
    await expectOwnTables(destination, topics);
    await expectAllCommitted(s.groupId(config), topics);
    for (const topic of [...topics, decoy]) expect(await s.tableExists(topic)).toBe(false);
    expect(await s.query(`SELECT count(*)::String FROM system.tables WHERE database = '${destination}' AND name = '${decoy}'`)).toEqual([['0']]);
    expect(Object.values(await s.committedOffsets(s.groupId(config), decoy))).toEqual(['-1']);
  });
});
