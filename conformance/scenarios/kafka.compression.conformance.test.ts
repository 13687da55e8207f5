import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { scenario } from '../harness/scenario';
import { consoleProduce, javaConsume, KAFKA_CODECS, type KafkaCodec } from '../support/kafka-console';

const RECORDS = 2_000;
const KAFKAJS_CODEC: Record<KafkaCodec, Exclude<CompressionTypes, CompressionTypes.None>> = {
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** Record i of a codec's topic; the text varies in length so that batches hold mixed sizes. */
function row(codec: KafkaCodec, i: number): { id: number; codec: string; text: string } {
  return { id: i, codec, text: `${codec}-${i}-${'x'.repeat(i % 50)}` };
}

/**
 * Topics written with each of Kafka's compression codecs by Kafka's own Java producer
 * (kafka.tools.ConsoleProducer --compression-codec), as Java applications, Debezium and Connect
 * sources write them: one sink reads all four, and every row must arrive exact. Then the other
 * direction: a sink's dead-letter records, written with each codec (producer.override.compression.type),
 * must be readable by Kafka's own Java consumer, and must really be compressed with that codec
 * (the suite's own reader decompresses the batches with it).
 */
scenario('kafka.compression', (s) => {
  s.it(
    `gzip, snappy, lz4 and zstd topics written by Kafka's Java producer: ${RECORDS} rows each, exact`,
    async () => {
      const topics = new Map<KafkaCodec, string>();
      for (const codec of KAFKA_CODECS) {
        const topic = await s.createTopic(codec);
        topics.set(codec, topic);
        await consoleProduce(s.endpoints.kafka, topic, Array.from({ length: RECORDS }, (_, i) => ({ key: String(i), value: JSON.stringify(row(codec, i)) })), codec);
        // Judged is reading the codecs, not table creation from schemaless JSON (json.schemaless judges that).
        await s.db.exec(`CREATE TABLE "${s.database}"."${topic}" (id BIGINT NULL, codec VARCHAR NULL, text VARCHAR NULL)`);
      }
      const config = s.config({
        topics: [...topics.values()].join(','),
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
      });
      await s.start(config);
      for (const [codec, topic] of topics) {
        const expected = Array.from({ length: RECORDS }, (_, i) => row(codec, i)).map((r) => [String(r.id), r.codec, r.text]);
        await s.eventuallyRows(`SELECT t.id::String, t.codec, t.text FROM ${topic} t ORDER BY t.id`, (rows) => expect(rows).toEqual(expected), `${RECORDS} ${codec} rows in ${topic}`, 120_000);
      }
    },
    240_000,
  );

  s.it(
    "dead-letter records written with each codec are read back by Kafka's Java consumer, compressed with that codec",
    async () => {
      const poison = 'not json {';
      const sinks = await Promise.all(
        KAFKA_CODECS.map(async (codec) => {
          const topic = await s.createTopic(`dlqsrc_${codec}`);
          const dlq = s.name(`dlq_${codec}`);
          await s.produce(topic, [{ key: `k-${codec}`, value: poison }]);
          await s.start(
            s.config({
              topics: topic,
              'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
              'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
              'value.converter.schemas.enable': 'false',
              'errors.tolerance': 'all',
              'errors.deadletterqueue.topic.name': dlq,
              'producer.override.compression.type': codec,
            }),
          );
          return { codec, dlq };
        }),
      );

      // Counts the suite's own decompressions per codec, to see how each dead-letter batch was written.
      const decompressed = new Map<KafkaCodec, number>();
      for (const codec of KAFKA_CODECS) {
        const original = CompressionCodecs[KAFKAJS_CODEC[codec]] as () => { compress: unknown; decompress: (b: Buffer) => Promise<Buffer> };
        CompressionCodecs[KAFKAJS_CODEC[codec]] = () => {
          const inner = original();
          return { ...inner, decompress: (b: Buffer) => (decompressed.set(codec, (decompressed.get(codec) ?? 0) + 1), inner.decompress(b)) };
        };
      }
      for (const { codec, dlq } of sinks) {
        const before = new Map(decompressed);
        const [record] = await s.readTopic(dlq, 1, 120_000);
        expect(record.value?.toString()).toBe(poison);
        expect(decompressed.get(codec) ?? 0).toBeGreaterThan(before.get(codec) ?? 0);
        expect(await javaConsume(s.endpoints.kafka, dlq, 1)).toEqual([`k-${codec}|${poison}`]);
      }
    },
    240_000,
  );
});
