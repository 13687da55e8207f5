import { scenario } from '../harness/scenario';
import type { ConnectorConfig, RunningSink } from '../sink-under-test/sink-under-test';
import { caughtUp } from '../support/caught-up';
import { jsonFixtureLines } from '../support/json-fixture';

/**
 * JsonConverter with schemas.enable=false: the sink infers each record's schema (sink.md §2):
 * integer → BIGINT (exact beyond 2^53), other number → DOUBLE, bool → BOOLEAN, string → VARCHAR,
 * object and array → VARIANT holding the JSON. JSON null and missing members are NULL, never ''.
 * A member that was null so far gets its column once it has a value; a member that appears in a
 * later record adds a column (auto.evolve, §4) while earlier rows stay NULL. A record with no typed
 * member (`{}`, every member null) still is a row, NULL in every column. Into a table the user made
 * with DEFAULTs, records of many shapes in one batch: a field a record lacks gets the column's
 * DEFAULT (NULL where there is none), the values it has are kept.
 */
scenario('json.schemaless', (s) => {
  let topic: string;
  let running: RunningSink;
  let config: ConnectorConfig;
  const configFor = (topic: string) =>
    s.config({
      topics: topic,
      'insert.mode': 'insert',
      'auto.evolve': 'true',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    });
  const messages = (file: string) => jsonFixtureLines('json.schemaless', file).map((value, i) => ({ key: `${file}-${i}`, value }));
  const rowsSql = () =>
    `SELECT id::String, big::String, max::String, min::String, ratio::String, whole::String, tiny::String, ok::String, name, obj::String, arr::String, later::String FROM "${topic}" ORDER BY id`;
  const columns = [
    ['arr', 'VARIANT', 'YES'],
    ['big', 'BIGINT', 'YES'],
    ['id', 'BIGINT', 'YES'],
    ['later', 'BIGINT', 'YES'],
    ['max', 'BIGINT', 'YES'],
    ['min', 'BIGINT', 'YES'],
    ['name', 'VARCHAR', 'YES'],
    ['obj', 'VARIANT', 'YES'],
    ['ok', 'BOOLEAN', 'YES'],
    ['ratio', 'DOUBLE', 'YES'],
    ['tiny', 'DOUBLE', 'YES'],
    ['whole', 'DOUBLE', 'YES'],
  ];
  const firstRows = [
    [
      '1',
      '9007199254740993',
      '9223372036854775807',
      '-9223372036854775808',
      '0.1',
      '1',
      '-0.0025',
      'true',
      'Grüße 😀',
      '{"a":9007199254740993,"b":[1.5,"x",null,true],"c":{"d":"e"}}',
      '[1,2,3]',
      null,
    ],
    // Every member JSON null; the empty string is not NULL; `later` typed by this record.
    ['2', null, null, null, null, null, null, null, '', null, null, '5'],
    // Members missing from the record, and an explicit null string.
    ['3', null, null, null, null, null, null, 'false', null, null, null, null],
  ];

  s.it('inferred columns, int64 exact beyond 2^53, nested JSON as VARIANT, nulls kept', async () => {
    topic = await s.createTopic('loose');
    await s.produce(topic, messages('first.jsonl'));
    config = configFor(topic);
    running = await s.start(config);
    await caughtUp(s, running, config, topic);
    expect(await s.columns(topic)).toEqual(columns);
    expect(await s.query(rowsSql())).toEqual(firstRows);
  });

  s.it('a member that appears later adds a column; earlier rows NULL in it', async () => {
    await s.produce(topic, messages('later.jsonl'));
    await caughtUp(s, running, config, topic);
    expect(await s.columns(topic)).toEqual([...columns.slice(0, 2), ['extra', 'VARCHAR', 'YES'], ...columns.slice(2)]);
    expect(await s.query(`SELECT id::String, extra, ratio::String, name, obj::String FROM "${topic}" ORDER BY id`)).toEqual([
      ['1', null, '0.1', 'Grüße 😀', firstRows[0][9]],
      ['2', null, null, '', null],
      ['3', null, null, null, null],
      // An integer in a DOUBLE column; an array where objects were.
      ['4', 'new', '2', 'late', '[1,{"k":"v"}]'],
    ]);
  });

  s.it('a record with no typed member ({}, only nulls) is a row of NULLs', async () => {
    await s.produce(topic, [
      { key: 'empty', value: '{}' },
      { key: 'nulls', value: '{"name":null,"obj":null,"unknown":null}' },
    ]);
    await caughtUp(s, running, config, topic);
    expect(await s.query(`SELECT count(*)::String FROM "${topic}"`)).toEqual([['6']]);
    const allNull = `${columns.map(([name]) => `"${name}" IS NULL`).join(' AND ')} AND extra IS NULL`;
    expect(await s.query(`SELECT count(*)::String FROM "${topic}" WHERE ${allNull}`)).toEqual([['2']]);
    expect((await s.columns(topic)).map(([name]) => name)).not.toContain('unknown');
  });

  s.it('records of many shapes in one batch, into a table with DEFAULTs: a field a record lacks gets the DEFAULT', async () => {
    const table = await s.createTopic('shapes');
    await s.db.exec(`CREATE TABLE "${s.database}"."${table}" (id BIGINT NULL, name VARCHAR NULL DEFAULT 'anon', qty INT NOT NULL DEFAULT 1, ratio DOUBLE NULL, ok BOOLEAN NULL)`);
    const values = [
      '{"id": 1, "name": "a", "qty": 10, "ratio": 0.30000000000000004, "ok": true}',
      '{"id": 2, "qty": 20, "ratio": 2.5, "ok": false}',
      '{"id": 3, "name": "c", "ratio": 1e-7}',
      '{"id": 4, "name": "d", "qty": 40, "ok": true}',
      '{"id": 5, "name": "e", "qty": 50, "ratio": 5.5, "ok": null}',
      '{"id": 6}',
      '{"id": 7, "name": "g", "qty": 70, "ratio": 7.25, "ok": false}',
    ];
    await s.produce(table, values.map((value, i) => ({ key: String(i), value })));
    const shapes = configFor(table);
    const sink = await s.start(shapes);
    await caughtUp(s, sink, shapes, table);
    expect(await s.query(`SELECT id::String, name, qty::String, ratio::String, ok::String FROM "${table}" ORDER BY id`)).toEqual([
      ['1', 'a', '10', '0.30000000000000004', 'true'],
      ['2', 'anon', '20', '2.5', 'false'],
      ['3', 'c', '1', '1e-7', null],
      ['4', 'd', '40', null, 'true'],
      ['5', 'e', '50', '5.5', null],
      ['6', 'anon', '1', null, null],
      ['7', 'g', '70', '7.25', 'false'],
    ]);
  });
});
