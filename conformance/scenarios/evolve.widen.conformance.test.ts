import { scenario } from '../harness/scenario';
import { avroEvolutionConfig } from '../support/avro-evolution';
import { caughtUp } from '../support/caught-up';
import { registerAvroFixture } from '../support/registered-avro-fixture';

/**
 * sink.md §4 "widening": v2 promotes `units` int → long, `ratio` float → double and `price`
 * decimal(10,2) → decimal(20,2). The columns are widened in place; rows written before keep their
 * exact values, and v2 values that only fit the wider types (int64 min/max, a double with more
 * digits than a float holds, 18 integer digits) arrive exact.
 */
scenario('evolve.widen', (s) => {
  s.it('widens INT → BIGINT, FLOAT → DOUBLE, DECIMAL(10, 2) → DECIMAL(20, 2); values exact', async () => {
    const topic = await s.createTopic('measures');
    const subject = `${topic}-value`;
    const v1 = await registerAvroFixture(s, subject, 'evolution', 'widen-v1');
    const config = avroEvolutionConfig(s, topic);
    const select = `SELECT id::String, units::String, ratio::String, price::String FROM ${topic} ORDER BY id`;
    const before = [
      ['1', '2147483647', '1.5', '99999999.99'],
      ['2', '-2147483648', '-0.25', '-0.01'],
    ];

    await s.produce(topic, [
      { key: '1', value: v1({ id: 1, units: 2147483647, ratio: 1.5, price: '99999999.99' }) },
      { key: '2', value: v1({ id: 2, units: -2147483648, ratio: -0.25, price: '-0.01' }) },
    ]);
    const running = await s.start(config);
    await caughtUp(s, running, config, topic);
    expect(await s.query(select)).toEqual(before);
    expect(await s.columns(topic)).toEqual([
      ['id', 'BIGINT', 'YES'],
      ['price', 'DECIMAL(10, 2)', 'YES'],
      ['ratio', 'FLOAT', 'YES'],
      ['units', 'INT', 'YES'],
    ]);

    const v2 = await registerAvroFixture(s, subject, 'evolution', 'widen-v2');
    await s.produce(topic, [
      { key: '3', value: v2({ id: 3, units: '9223372036854775807', ratio: 3.141592653589793, price: '123456789012345678.91' }) },
      { key: '4', value: v1({ id: 4, units: 7, ratio: 0.5, price: '1.23' }) },
      { key: '5', value: v2({ id: 5, units: '-9223372036854775808', ratio: -123456789.123, price: '-999999999999999999.99' }) },
    ]);
    await caughtUp(s, running, config, topic);
    expect(await s.query(select)).toEqual([
      ...before,
      ['3', '9223372036854775807', '3.141592653589793', '123456789012345678.91'],
      ['4', '7', '0.5', '1.23'],
      ['5', '-9223372036854775808', '-123456789.123', '-999999999999999999.99'],
    ]);
    expect(await s.columns(topic)).toEqual([
      ['id', 'BIGINT', 'YES'],
      ['price', 'DECIMAL(20, 2)', 'YES'],
      ['ratio', 'DOUBLE', 'YES'],
      ['units', 'BIGINT', 'YES'],
    ]);

    expect(await running.stop()).toBe(0);
  });
});
