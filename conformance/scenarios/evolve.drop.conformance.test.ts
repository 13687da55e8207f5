import { scenario } from '../harness/scenario';
import { avroEvolutionConfig, v1ColumnsWith } from '../support/avro-evolution';
import { caughtUp } from '../support/caught-up';
import { registerAvroFixture } from '../support/registered-avro-fixture';

/**
 * sink.md §4 "field removed": v3 drops `qty` (no default) and `unit` (default "pcs"). Both columns
 * stay (nullable, §2), and v3 rows get NULL where the column has no default and the default where it
 * has one; v2 records interleaved with v3 ones still fill them.
 */
scenario('evolve.drop', (s) => {
  s.it('keeps the dropped columns; v3 rows get NULL or the column default', async () => {
    const topic = await s.createTopic('readings');
    const subject = `${topic}-value`;
    const v1 = await registerAvroFixture(s, subject, 'evolution', 'v1');
    const v2 = await registerAvroFixture(s, subject, 'evolution', 'v2');
    const config = avroEvolutionConfig(s, topic);
    const columns = v1ColumnsWith(['unit', 'VARCHAR']);

    await s.produce(topic, [
      { key: '1', value: v1({ id: 1, sensor: 'a', qty: 10, note: null }) },
      { key: '2', value: v2({ id: 2, sensor: 'b', qty: 20, note: 'two', unit: 'kg' }) },
    ]);
    const running = await s.start(config);
    await caughtUp(s, running, config, topic);
    expect(await s.query(`SELECT count(*)::String FROM ${topic}`)).toEqual([['2']]);
    expect(await s.columnTypes(topic)).toEqual(columns);

    const v3 = await registerAvroFixture(s, subject, 'evolution', 'v3');
    await s.produce(topic, [
      { key: '3', value: v3({ id: 3, sensor: 'c', note: 'three' }) },
      { key: '4', value: v2({ id: 4, sensor: 'd', qty: 40, note: null, unit: 'g' }) },
      { key: '5', value: v3({ id: 5, sensor: 'e', note: null }) },
    ]);
    await caughtUp(s, running, config, topic);
    expect(await s.query(`SELECT id::String, sensor, qty::String, note, unit FROM ${topic} ORDER BY id`)).toEqual([
      ['1', 'a', '10', null, 'pcs'],
      ['2', 'b', '20', 'two', 'kg'],
      ['3', 'c', null, 'three', 'pcs'],
      ['4', 'd', '40', null, 'g'],
      ['5', 'e', null, null, 'pcs'],
    ]);
    expect(await s.columnTypes(topic)).toEqual(columns);

    expect(await running.stop()).toBe(0);
  });
});
