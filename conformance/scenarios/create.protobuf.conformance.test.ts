import { scenario } from '../harness/scenario';
import { caughtUp } from '../support/caught-up';
import { confluentRecord, MESSAGE_INDEXES, ProtobufFixtureEncoder, protobufFixture, registerProtobuf } from '../support/protobuf-fixture';
import { landMessages, loadTypeFixture, typeFixtureTests } from '../support/type-fixture';

const CONVERTER = 'io.confluent.connect.protobuf.ProtobufConverter';
const MESSAGE = 'conformance.create.EveryType';

/**
 * One Protobuf message (`fixtures/protobuf/create.protobuf/value.proto`) with every scalar type,
 * an enum, proto3 `optional`, a nested message, repeated, map, oneof and the well-known types,
 * written as Confluent's serializer writes it: the message is the file's second, so every record
 * carries the message indexes [1]. Auto-created, each field becomes the column type
 * docs/type-mapping.md gives it, and three records land with their exact values. Records no
 * Protobuf reader can decode (an unknown message index, a schema id of an Avro schema, a cut
 * payload) go to the dead letter queue naming their topic, partition and offset.
 */
scenario('create.protobuf', (s) => {
  const schema = protobufFixture('create.protobuf', 'value');
  const encoder = new ProtobufFixtureEncoder(schema, MESSAGE);

  typeFixtureTests(s, loadTypeFixture('create.protobuf', 'protobuf'), async (fixture) => {
    const topic = await s.createTopic('values');
    const id = await registerProtobuf(s, `${topic}-value`, schema);
    const messages = fixture.records.map((r) => ({ key: String(r.value.id), value: confluentRecord(id, MESSAGE_INDEXES.second, encoder.payload(r.value)) }));
    return landMessages(s, topic, messages, { 'value.converter': CONVERTER });
  });

  s.it('undecodable Protobuf records go to the DLQ with their topic, partition and offset; the others are written', async () => {
    const topic = await s.createTopic('poison');
    const dlq = s.name('dlq');
    const id = await registerProtobuf(s, `${topic}-value`, schema);
    const avroId = await s.registerAvro(`${topic}-avro-value`, { type: 'record', name: 'Other', fields: [{ name: 'id', type: 'long' }] });
    const good = (n: number) => confluentRecord(id, MESSAGE_INDEXES.second, encoder.payload({ id: n, text: `record ${n}` }));
    const poisons = new Map([
      [1, confluentRecord(id, MESSAGE_INDEXES.sixth, encoder.payload({ id: 91 }))],
      [3, confluentRecord(avroId, MESSAGE_INDEXES.first, encoder.payload({ id: 93 }))],
      [4, confluentRecord(id, MESSAGE_INDEXES.second, encoder.payload({ id: 94, text: 'cut short' }).subarray(0, -4))],
    ]);
    const messages = [good(1), poisons.get(1)!, good(2), poisons.get(3)!, poisons.get(4)!, good(3)].map((value, offset) => ({ key: `k${offset}`, value }));
    await s.produce(topic, messages);
    const config = s.config({
      topics: topic,
      'insert.mode': 'insert',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.context.headers.enable': 'true',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': CONVERTER,
    });
    const running = await s.start(config);
    await caughtUp(s, running, config, topic);

    expect(await s.query(`SELECT id::String, text FROM "${topic}" ORDER BY id`)).toEqual([
      ['1', 'record 1'],
      ['2', 'record 2'],
      ['3', 'record 3'],
    ]);
    const deadLetters = await s.readTopic(dlq, poisons.size);
    expect(Object.values(await s.endOffsets(dlq)).reduce((sum, end) => sum + Number(end), 0)).toBe(poisons.size);
    for (const [offset, value] of poisons) {
      const dead = deadLetters.find((d) => d.headers['__connect.errors.offset'] === String(offset));
      expect({ offset, found: dead !== undefined }).toEqual({ offset, found: true });
      expect({ offset, key: dead!.key?.toString(), value: dead!.value?.toString('hex') }).toEqual({ offset, key: `k${offset}`, value: value.toString('hex') });
      expect({ offset, ...dead!.headers }).toMatchObject({
        offset,
        '__connect.errors.topic': topic,
        '__connect.errors.partition': '0',
        '__connect.errors.offset': String(offset),
        '__connect.errors.stage': 'VALUE_CONVERTER',
        '__connect.errors.exception.class.name': expect.stringMatching(/\S/),
        '__connect.errors.exception.message': expect.stringMatching(/\S/),
      });
    }
    expect(await running.stop()).toBe(0);
  });
});
