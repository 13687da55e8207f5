import { scenario } from '../harness/scenario';
import { PoisonedAvroTopic } from '../support/avro-poison';
import { numbered } from '../support/stopped-sink';

const EXIT_WAIT_MS = 60_000;

/**
 * errors.tolerance=none: an Avro record cut short in the middle of partition 1 stops the sink
 * (sink.md §5): it fails by itself, naming topic, partition and offset in one line of what it says
 * about the failure (Kafka Connect's keys for logging a failed record with its position,
 * `errors.log.enable` and `errors.log.include.messages`, are set); the committed offset of that
 * partition does not pass the record, every record it did commit is in the table, and no record
 * after it is. (Whether the records before it are written before the sink stops is its own
 * business: a sink that fails a whole poll — Kafka Connect converts a poll before putting any of
 * it — has committed none of them, and will write them after the poison is dealt with.)
 */
scenario('errors.poison-stop', (s) => {
  s.it('a truncated Avro record stops the sink at its offset', async () => {
    const topic = await s.createTopic('readings', 2);
    const avro = await PoisonedAvroTopic.register(s, topic);
    const poisonOffset = 6;
    // Partition 1: ids 1…6 at offsets 0…5, the poison at offset 6, ids 8…10 after it.
    const partition1 = [];
    for (let id = 1; id <= 10; id++) {
      const value = id === poisonOffset + 1 ? await avro.truncatedBody(id) : await avro.reading({ id, name: `r${id}`, qty: id, day: null });
      partition1.push({ partition: 1, key: String(id), value });
    }
    const partition0 = [];
    for (let id = 101; id <= 103; id++) partition0.push({ partition: 0, key: String(id), value: await avro.reading({ id, name: `r${id}`, qty: id, day: null }) });
    await s.produce(topic, [...partition0, ...partition1]);

    const config = s.config({
      topics: topic,
      'insert.mode': 'insert',
      'errors.tolerance': 'none',
      'errors.log.enable': 'true',
      'errors.log.include.messages': 'true',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
    });
    const running = await s.start(config);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([running.exited, new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), EXIT_WAIT_MS)))]);
    clearTimeout(timer);
    expect(code).not.toBe('still running');
    expect(code).not.toBe(0);

    const named = running
      .failureOutput()
      .split('\n')
      .filter((line) => line.includes(topic) && numbered('partition', 1).test(line) && numbered('offset', poisonOffset).test(line));
    expect(named).not.toEqual([]);

    const committed = Number((await s.committedOffsets(s.groupId(config), topic))[1]);
    expect(committed).toBeLessThanOrEqual(poisonOffset);

    // Partition 1's id is its offset + 1: committed ones must be written; the poison and later ones must not.
    const written = (await s.tableExists(topic)) ? (await s.query(`SELECT id::String FROM "${topic}" WHERE id <= 10 ORDER BY id`)).map(([id]) => Number(id)) : [];
    const committedIds = Array.from({ length: Math.max(0, committed) }, (_, offset) => offset + 1);
    expect({ committedButMissing: committedIds.filter((id) => !written.includes(id)), pastThePoison: written.filter((id) => id > poisonOffset) }).toEqual({ committedButMissing: [], pastThePoison: [] });
  });
});
