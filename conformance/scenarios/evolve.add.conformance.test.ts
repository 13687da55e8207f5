import { scenario } from '../harness/scenario';
import { avroEvolutionConfig, v1ColumnsWith } from '../support/avro-evolution';
import { caughtUp } from '../support/caught-up';
import { registerAvroFixture } from '../support/registered-avro-fixture';

/**
 * sink.md §4 "new field": v2 adds `unit`, an optional string with default "pcs". The column is
 * added nullable with that default, so rows written before it existed and v1 records that keep
 * arriving read "pcs"; v2 records keep their own value, an explicit null included.
 */
scenario('evolve.add', (s) => {
  s.it('adds the new column; rows without the field get its default, v2 rows their own value', async () => {
    const topic = await s.createTopic('readings');
    const subject = `${topic}-value`;
    const v1 = await registerAvroFixture(s, subject, 'evolution', 'v1');
    const config = avroEvolutionConfig(s, topic);
    const select = `SELECT id::String, sensor, qty::String, note, unit FROM ${topic} ORDER BY id`;

    await s.produce(topic, [
      { key: '1', value: v1({ id: 1, sensor: 'a', qty: 10, note: null }) },
      { key: '2', value: v1({ id: 2, sensor: 'b', qty: 20, note: 'two' }) },
      { key: '3', value: v1({ id: 3, sensor: 'c', qty: 30, note: null }) },
    ]);
    const running = await s.start(config);
    await caughtUp(s, running, config, topic);
    expect(await s.query(`SELECT count(*)::String FROM ${topic}`)).toEqual([['3']]);
    expect(await s.columnTypes(topic)).toEqual(v1ColumnsWith());

    const v2 = await registerAvroFixture(s, subject, 'evolution', 'v2');
    await s.produce(topic, [
      { key: '4', value: v2({ id: 4, sensor: 'd', qty: 40, note: null, unit: 'kg' }) },
      { key: '5', value: v1({ id: 5, sensor: 'e', qty: 50, note: 'five' }) },
      { key: '6', value: v2({ id: 6, sensor: 'f', qty: 60, note: null, unit: null }) },
      { key: '7', value: v1({ id: 7, sensor: 'g', qty: 70, note: null }) },
    ]);
    await caughtUp(s, running, config, topic);
    expect(await s.query(select)).toEqual([
      ['1', 'a', '10', null, 'pcs'],
      ['2', 'b', '20', 'two', 'pcs'],
      ['3', 'c', '30', null, 'pcs'],
      ['4', 'd', '40', null, 'kg'],
      ['5', 'e', '50', 'five', 'pcs'],
      ['6', 'f', '60', null, null],
      ['7', 'g', '70', null, 'pcs'],
    ]);
    expect(await s.columnTypes(topic)).toEqual(v1ColumnsWith(['unit', 'VARCHAR']));
    // sink.md §4: an added column is nullable.
    expect(await s.columns(topic)).toContainEqual(['unit', 'VARCHAR', 'YES']);

    expect(await running.stop()).toBe(0);
  });
});
