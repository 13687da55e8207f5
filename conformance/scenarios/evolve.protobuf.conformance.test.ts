import { scenario } from '../harness/scenario';
import { caughtUp } from '../support/caught-up';
import { clientRecord, protobufFixture, registerProtobuf } from '../support/protobuf-fixture';

/**
 * A Protobuf value schema evolving as Confluent's registry lets it (`fixtures/protobuf/evolve.protobuf`),
 * records written through the registry client's Protobuf path: v2 adds a proto3 `optional` field
 * and a field of a new nested message → two columns added (VARIANT for the message), older rows
 * NULL there; v3 removes `note` → the column is kept, v3 rows NULL in it, while v1 and v2 records
 * interleaved with newer ones keep filling every column they have. A proto3 string without
 * `optional` that a record leaves unset is its default "", not NULL.
 */
scenario('evolve.protobuf', (s) => {
  s.it('adds columns for added fields and a nested message, keeps the column of a removed field', async () => {
    const topic = await s.createTopic('readings');
    const subject = `${topic}-value`;
    const v1 = await registerProtobuf(s, subject, protobufFixture('evolve.protobuf', 'v1'));
    const config = s.config({
      topics: topic,
      'auto.evolve': 'true',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.protobuf.ProtobufConverter',
    });
    const select = `SELECT id::String, sensor_name, qty::String, note, unit, location::String FROM "${topic}" ORDER BY id`;
    const v1Columns = [
      ['id', 'BIGINT', 'YES'],
      ['note', 'VARCHAR', 'YES'],
      ['qty', 'INT', 'YES'],
      ['sensor_name', 'VARCHAR', 'YES'],
    ];
    const allColumns = [...v1Columns, ['location', 'VARIANT', 'YES'], ['unit', 'VARCHAR', 'YES']].sort((a, b) => (a[0] < b[0] ? -1 : 1));

    await s.produce(topic, [
      { key: '1', value: await clientRecord(s, v1, { id: 1, sensor_name: 'a', qty: 10, note: 'one' }) },
      { key: '2', value: await clientRecord(s, v1, { id: 2, sensor_name: 'b' }) },
    ]);
    const running = await s.start(config);
    await caughtUp(s, running, config, topic);
    expect(await s.columns(topic)).toEqual(v1Columns);

    const v2 = await registerProtobuf(s, subject, protobufFixture('evolve.protobuf', 'v2'));
    await s.produce(topic, [
      { key: '3', value: await clientRecord(s, v2, { id: 3, sensor_name: 'c', qty: 30, note: 'three', unit: 'kg', location: { lat: 59.91, lon: 10.75 } }) },
      { key: '4', value: await clientRecord(s, v1, { id: 4, sensor_name: 'd', qty: 40, note: 'four' }) },
      { key: '5', value: await clientRecord(s, v2, { id: 5, sensor_name: 'e', qty: 50, unit: '' }) },
    ]);
    await caughtUp(s, running, config, topic);
    expect(await s.columns(topic)).toEqual(allColumns);

    const v3 = await registerProtobuf(s, subject, protobufFixture('evolve.protobuf', 'v3'));
    await s.produce(topic, [
      { key: '6', value: await clientRecord(s, v3, { id: 6, sensor_name: 'f', qty: 60, unit: 'g', location: {} }) },
      { key: '7', value: await clientRecord(s, v2, { id: 7, sensor_name: 'g', qty: 70, note: 'seven' }) },
      { key: '8', value: await clientRecord(s, v1, { id: 8, sensor_name: 'h', qty: 80, note: 'eight' }) },
    ]);
    await caughtUp(s, running, config, topic);
    expect(await s.query(select)).toEqual([
      ['1', 'a', '10', 'one', null, null],
      ['2', 'b', '0', '', null, null],
      ['3', 'c', '30', 'three', 'kg', '{"lat":59.91,"lon":10.75}'],
      ['4', 'd', '40', 'four', null, null],
      ['5', 'e', '50', '', '', null],
      ['6', 'f', '60', null, 'g', '{"lat":0,"lon":0}'],
      ['7', 'g', '70', 'seven', null, null],
      ['8', 'h', '80', 'eight', null, null],
    ]);
    expect(await s.columns(topic)).toEqual(allColumns);

    expect(await running.stop()).toBe(0);
  });
});
