import { scenario } from '../harness/scenario';
import { exitedByItself } from '../support/stopped-sink';

/**
 * auto.create=false and the table is missing: the sink cannot write anything. It stops by itself
 * with a failure naming the table (with its database or without), commits no offset on any
 * partition, and does not create the table.
 */
scenario('create.disabled', (s) => {
  s.it('stops naming <database>.<table>; nothing committed, no table created', async () => {
    const topic = await s.createTopic('events', 2);
    await s.produce(
      topic,
      [0, 1, 2, 3].map((i) => ({ partition: i % 2, key: String(i), value: JSON.stringify({ id: i, kind: `k${i}` }) })),
    );
    const config = s.config({
      topics: topic,
      'auto.create': 'false',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    });
    const running = await s.start(config);

    expect(await exitedByItself(running)).not.toBe(0);
    // Quoted or not, qualified or not: `table`, `db.table`, `"db"."table"`, `` `db`.`table` ``.
    expect(running.failureOutput()).toMatch(new RegExp(`\\b${topic}\\b`));
    expect(await s.committedOffsets(s.groupId(config), topic)).toEqual({ 0: '-1', 1: '-1' });
    expect(await s.tableExists(topic)).toBe(false);
  });
});
