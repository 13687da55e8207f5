import { scenario } from '../harness/scenario';
import { avroEvolutionConfig, v1ColumnsWith } from '../support/avro-evolution';
import { caughtUp } from '../support/caught-up';
import { registerAvroFixture } from '../support/registered-avro-fixture';

/**
 * sink.md §4 "several new fields in one batch all work": v2 adds a boolean with default true, an
 * optional decimal(8,3) and an optional timestamp-micros at once. Each becomes a nullable column of
 * its mapped type (§2); rows without the fields read the defaults (true, NULL, NULL).
 */
scenario('evolve.add-many', (s) => {
  let table: string | undefined;
  s.it('adds all three columns with their types and defaults; values exact', async () => {
    const topic = await s.createTopic('readings');
    const subject = `${topic}-value`;
    const v1 = await registerAvroFixture(s, subject, 'evolution', 'v1');
    const config = avroEvolutionConfig(s, topic);

    await s.produce(topic, [
      { key: '1', value: v1({ id: 1, sensor: 'a', qty: 10, note: null }) },
      { key: '2', value: v1({ id: 2, sensor: 'b', qty: 20, note: 'two' }) },
    ]);
    const running = await s.start(config);
    await caughtUp(s, running, config, topic);
    expect(await s.query(`SELECT count(*)::String FROM ${topic}`)).toEqual([['2']]);

    const v2 = await registerAvroFixture(s, subject, 'evolution', 'v2-add-many');
    await s.produce(topic, [
      // seen_at: 1969-12-31 23:59:59.999999 and 2024-02-29 12:34:56.789012, in µs since the epoch.
      { key: '3', value: v2({ id: 3, sensor: 'c', qty: 30, note: null, active: false, weight: '-12.345', seen_at: -1 }) },
      { key: '4', value: v1({ id: 4, sensor: 'd', qty: 40, note: null }) },
      { key: '5', value: v2({ id: 5, sensor: 'e', qty: 50, note: 'five', active: true, weight: '99999.999', seen_at: 1_709_210_096_789_012 }) },
      { key: '6', value: v2({ id: 6, sensor: 'f', qty: 60, note: null, active: false, weight: null, seen_at: null }) },
    ]);
    await caughtUp(s, running, config, topic);
    table = topic;
    expect(await s.query(`SELECT id::String, sensor, active::String, weight::String FROM ${topic} ORDER BY id`)).toEqual([
      ['1', 'a', 'true', null],
      ['2', 'b', 'true', null],
      ['3', 'c', 'false', '-12.345'],
      ['4', 'd', 'true', null],
      ['5', 'e', 'true', '99999.999'],
      ['6', 'f', 'false', null],
    ]);
    // seen_at is judged by the next test.
    expect((await s.columnTypes(topic)).filter(([name]) => name !== 'seen_at')).toEqual(v1ColumnsWith(['active', 'BOOLEAN'], ['weight', 'DECIMAL(8, 3)']));
    // sink.md §4: added columns are nullable.
    const columns = await s.columns(topic);
    for (const added of [['active', 'BOOLEAN', 'YES'], ['weight', 'DECIMAL(8, 3)', 'YES']]) expect(columns).toContainEqual(added);

    expect(await running.stop()).toBe(0);
  });

  s.itRequiring(['avro:timestamp-micros'], 'the added timestamp-micros field `seen_at` is a nullable TIMESTAMP; values exact', async () => {
    if (!table) throw new Error('the records did not land (the test before failed)');
    expect(await s.query(`SELECT id::String, seen_at::String FROM ${table} ORDER BY id`)).toEqual([
      ['1', null],
      ['2', null],
      ['3', '1969-12-31 23:59:59.999999'],
      ['4', null],
      ['5', '2024-02-29 12:34:56.789012'],
      ['6', null],
    ]);
    expect(await s.columns(table)).toContainEqual(['seen_at', 'TIMESTAMP', 'YES']);
  });
});
