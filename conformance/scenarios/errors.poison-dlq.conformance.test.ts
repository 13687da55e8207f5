import { scenario } from '../harness/scenario';
import { PoisonedAvroTopic } from '../support/avro-poison';
import { caughtUp } from '../support/caught-up';

interface Poison {
  offset: number;
  what: string;
  /** Kafka Connect's stage: a converter failed, or the sink's put refused the record. */
  stage: 'VALUE_CONVERTER' | 'TASK_PUT';
  value: (id: number) => Promise<Buffer>;
}

/**
 * errors.tolerance=all with a dead-letter topic and context headers (sink.md §5): three records no
 * converter can read, one whose date lies outside Databend's DATE range, and three that decode but
 * hold NULL for a NOT NULL column of a table the user created (two in an INT column, which Databend
 * would reject; one in a VARCHAR column, which a CSV load would store as the text `\N`) all land in
 * the DLQ with their original key, value and headers plus Kafka Connect's `__connect.errors.*`
 * headers, the NULLs with an error message naming the column. They sit in one batch with the good
 * records, which are written exactly once. Offsets end up committed to the end, and no secret of
 * the config reaches the DLQ or the log.
 */
scenario('errors.poison-dlq', (s) => {
  s.it('poison records go to the DLQ with context headers; every other record is written once', async () => {
    const topic = await s.createTopic('readings');
    const dlq = s.name('dlq');
    const avro = await PoisonedAvroTopic.register(s, topic);
    // A user-made table: `qty` and `note` NOT NULL although the schema lets them be null.
    await s.db.exec(`CREATE TABLE "${s.database}"."${topic}" (id BIGINT NULL, name VARCHAR NULL, qty INT NOT NULL, day DATE NULL, note VARCHAR NOT NULL)`);

    const nullQty = (id: number) => avro.reading({ id, name: `r${id}`, qty: null, day: null, note: `n${id}` });
    const poisons: Poison[] = [
      { offset: 3, what: 'bad magic byte', stage: 'VALUE_CONVERTER', value: (id) => avro.badMagicByte(id) },
      { offset: 7, what: 'unknown schema id', stage: 'VALUE_CONVERTER', value: (id) => avro.unknownSchemaId(id) },
      { offset: 11, what: 'truncated Avro body', stage: 'VALUE_CONVERTER', value: (id) => avro.truncatedBody(id) },
      { offset: 15, what: 'NULL for a NOT NULL column', stage: 'TASK_PUT', value: nullQty },
      { offset: 18, what: 'date beyond 9999-12-31', stage: 'TASK_PUT', value: (id) => avro.reading({ id, name: `r${id}`, qty: id, day: 3_000_000, note: `n${id}` }) },
      { offset: 20, what: 'NULL for a VARCHAR NOT NULL column', stage: 'TASK_PUT', value: (id) => avro.reading({ id, name: `r${id}`, qty: id, day: null, note: null }) },
      { offset: 22, what: 'another NULL for a NOT NULL column', stage: 'TASK_PUT', value: nullQty },
    ];
    const total = 24;
    const messages = [];
    const goodIds: string[] = [];
    for (let offset = 0; offset < total; offset++) {
      const id = offset + 1;
      const poison = poisons.find((p) => p.offset === offset);
      if (!poison) {
        goodIds.push(String(id));
        messages.push({ key: String(id), value: await avro.reading({ id, name: `r${id}`, qty: id, day: 19_000 + id, note: `n${id}` }) });
        continue;
      }
      messages.push({ key: `poison-${offset}`, value: await poison.value(id), headers: { 'trace-id': `trace-${offset}` } });
    }
    await s.produce(topic, messages);

    // A recognisable secret the sink really uses: the registry credentials (a registry without auth ignores them).
    const registryUserInfo = s.endpoints.schemaRegistry.basicAuthUserInfo ?? `conformance:conformance-Secret-${s.suffix}`;
    const secret = registryUserInfo.slice(registryUserInfo.indexOf(':') + 1);
    const config = s.config({
      topics: topic,
      'insert.mode': 'insert',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.context.headers.enable': 'true',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      'value.converter.basic.auth.credentials.source': 'USER_INFO',
      'value.converter.basic.auth.user.info': registryUserInfo,
    });
    const running = await s.start(config);
    await caughtUp(s, running, config, topic);

    const [[count, distinct]] = await s.query(`SELECT count(*)::String, count(DISTINCT id)::String FROM "${topic}"`);
    expect([count, distinct]).toEqual([String(goodIds.length), String(goodIds.length)]);
    expect((await s.query(`SELECT id::String AS id_text FROM "${topic}" ORDER BY id`)).map(([id]) => id)).toEqual(goodIds);
    // No NULL became text in the NOT NULL string column.
    expect(await s.query(`SELECT id::String, note FROM "${topic}" WHERE note <> concat('n', id::String) ORDER BY id`)).toEqual([]);

    const deadLetters = await s.readTopic(dlq, poisons.length);
    const dlqSize = Object.values(await s.endOffsets(dlq)).reduce((sum, end) => sum + Number(end), 0);
    expect(dlqSize).toBe(poisons.length);
    const byOffset = new Map(deadLetters.map((d) => [d.headers['__connect.errors.offset'], d]));
    for (const poison of poisons) {
      const dead = byOffset.get(String(poison.offset));
      expect({ poison: poison.what, found: dead !== undefined }).toEqual({ poison: poison.what, found: true });
      const original = messages[poison.offset];
      expect({ poison: poison.what, key: dead!.key?.toString(), value: dead!.value?.toString('hex') }).toEqual({
        poison: poison.what,
        key: original.key,
        value: original.value.toString('hex'),
      });
      expect({ poison: poison.what, ...dead!.headers }).toMatchObject({
        poison: poison.what,
        'trace-id': `trace-${poison.offset}`,
        '__connect.errors.topic': topic,
        '__connect.errors.partition': '0',
        '__connect.errors.offset': String(poison.offset),
        '__connect.errors.stage': poison.stage,
        '__connect.errors.exception.class.name': expect.stringMatching(/\S/),
        '__connect.errors.exception.message': expect.stringMatching(/\S/),
      });
    }

    // A NULL for a NOT NULL column is dead-lettered with an error that names the column.
    for (const [offset, column] of [
      [15, 'qty'],
      [20, 'note'],
      [22, 'qty'],
    ] as const) {
      expect({ offset, ...byOffset.get(String(offset))!.headers }).toMatchObject({
        offset,
        '__connect.errors.exception.message': expect.stringMatching(new RegExp(`\\b${column}\\b`)),
      });
    }

    const everything = deadLetters.map((d) => [d.key?.toString('latin1'), d.value?.toString('latin1'), ...Object.entries(d.headers).flat()].join('\n')).join('\n');
    expect(everything).not.toContain(secret);
    expect(await running.stop()).toBe(0);
    expect(running.logs()).not.toContain(secret);
  });
});
