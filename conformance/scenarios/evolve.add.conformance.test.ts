import { scenario } from '../harness/scenario';
import { avroEvolutionConfig, v1ColumnsWith } from '../support/avro-evolution';
import { caughtUp } from '../support/caught-up';
import { registerAvroFixture } from '../support/registered-avro-fixture';

/**
 * sink.md §4 "new field": v2 adds `unit`, an optional string with default "pcs". The column is
 * added nullable with that default, so rows written before it existed and v1 records that keep
 * arriving read "pcs"; v2 records keep their own value, an explicit null included. The default is
 * judged on its own: a converter may not carry an optional field's default.
 */
scenario('evolve.add', (s) => {
  let table: string | undefined;
  s.it('adds the new column; v2 rows get their own value', async () => {
    const topic = await s.createTopic('readings');
    const subject = `${topic}-value`;
    const v1 = await registerAvroFixture(s, subject, 'evolution', 'v1');
    const config = avroEvolutionConfig(s, topic);

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
    table = topic;
    expect(await s.query(`SELECT id::String, sensor, qty::String, note FROM ${topic} ORDER BY id`)).toEqual([
      ['1', 'a', '10', null],
      ['2', 'b', '20', 'two'],
      ['3', 'c', '30', null],
      ['4', 'd', '40', null],
      ['5', 'e', '50', 'five'],
      ['6', 'f', '60', null],
      ['7', 'g', '70', null],
    ]);
    // The v2 records' own values; the others read the default (next test).
    expect(await s.query(`SELECT id::String, unit FROM ${topic} WHERE id IN (4, 6) ORDER BY id`)).toEqual([
      ['4', 'kg'],
      ['6', null],
    ]);
    expect(await s.columnTypes(topic)).toEqual(v1ColumnsWith(['unit', 'VARCHAR']));
    // sink.md §4: an added column is nullable.
    expect(await s.columns(topic)).toContainEqual(['unit', 'VARCHAR', 'YES']);

    expect(await running.stop()).toBe(0);
  });

  s.itRequiring(['avro:optional-default'], 'rows without `unit` (written before it, or v1 records after) read its default "pcs"', async () => {
    if (!table) throw new Error('the records did not land (the test before failed)');
    expect(await s.query(`SELECT id::String, unit FROM ${table} WHERE id IN (1, 2, 3, 5, 7) ORDER BY id`)).toEqual([
      ['1', 'pcs'],
      ['2', 'pcs'],
      ['3', 'pcs'],
      ['5', 'pcs'],
      ['7', 'pcs'],
    ]);
  });
});
