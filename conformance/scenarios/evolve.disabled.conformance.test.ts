import { scenario } from '../harness/scenario';
import { avroEvolutionConfig, v1ColumnsWith } from '../support/avro-evolution';
import { caughtUp } from '../support/caught-up';
import { registerAvroFixture } from '../support/registered-avro-fixture';
import { expectStoppedAtRecord } from '../support/stopped-sink';

/**
 * sink.md §4: with auto.evolve=false, a record needing a new column is an error naming the table
 * and the column; under errors.tolerance=none (§5) the sink stops at it, commits nothing past it,
 * and the table keeps its columns.
 */
scenario('evolve.disabled', (s) => {
  s.it('a v2 record with a new field stops the sink, naming table and column; the table is unchanged', async () => {
    const topic = await s.createTopic('readings');
    const table = s.name('reading_table');
    const subject = `${topic}-value`;
    const v1 = await registerAvroFixture(s, subject, 'evolution', 'v1');
    const config = avroEvolutionConfig(s, topic, { 'table.name.format': table, 'auto.evolve': 'false', 'errors.tolerance': 'none' });
    const columns = v1ColumnsWith();

    await s.produce(topic, [
      { key: '1', value: v1({ id: 1, sensor: 'a', qty: 10, note: null }) },
      { key: '2', value: v1({ id: 2, sensor: 'b', qty: 20, note: 'two' }) },
    ]);
    const running = await s.start(config);
    await caughtUp(s, running, config, topic);
    expect(await s.columnTypes(table)).toEqual(columns);

    const v2 = await registerAvroFixture(s, subject, 'evolution', 'v2');
    await s.produce(topic, [
      { key: '3', value: v1({ id: 3, sensor: 'c', qty: 30, note: null }) },
      { key: '4', value: v2({ id: 4, sensor: 'd', qty: 40, note: null, unit: 'kg' }) },
      { key: '5', value: v1({ id: 5, sensor: 'e', qty: 50, note: null }) },
    ]);
    await expectStoppedAtRecord(s, config, running, { topic, partition: 0, offset: 3, names: [table, 'unit'] });
    expect(await s.columnTypes(table)).toEqual(columns);
    // The record before the new field may be written (and committed); the one needing it and those after it are not.
    const ids = (await s.query(`SELECT id::String FROM ${table} ORDER BY id`)).map(([id]) => id);
    expect([['1', '2'], ['1', '2', '3']]).toContainEqual(ids);
  });
});
