import { scenario } from '../harness/scenario';
import type { RunningSink } from '../sink-under-test/sink-under-test';
import { localConfig, USER_V1, USER_V2, uploadedConfig, V1_ROWS, V1_ROWS_SQL, V2_ROWS, V2_ROWS_SQL, v1Records, v2Records } from '../support/confluent-cloud-walkthrough';
import { eventually } from '../support/eventually';

/**
 * The config Confluent Cloud stores for Databend's Java connector in the seed's walk-through
 * (fixtures/configs/confluent-cloud-walkthrough.json: the keys the walk-through types, plus
 * `kafka.auth.mode`, `kafka.api.key`/`kafka.api.secret` and the `confluent.*` platform keys), with
 * only endpoints and credentials changed (conformance/support/confluent-cloud-walkthrough.ts): the
 * API key is a PLAIN user of the environment's SASL_SSL listener, and the sink is given what
 * Confluent Cloud would inject — bootstrap.servers and the registry URL. The sink accepts it as
 * written and runs: the Avro topic's table is created and upserted by id (batch.size 1, as
 * written), the schema evolves once, every row is exact, and the group commits to the end. The
 * API secret and the Databend password never appear in its output.
 */
scenario('config.confluent-cloud', (s) => {
  let topic: string;
  let table: string;
  let running: RunningSink;
  let config: ReturnType<typeof localConfig>;

  s.it('the uploaded config runs as written: table created, upserted by id, rows exact', async () => {
    topic = await s.createTopic('topic_avrob');
    table = `${s.database}.${topic}`;
    config = localConfig({ endpoints: s.endpoints, topic, database: s.database, name: `confluent-cloud-${s.suffix}` });
    // Only endpoints and credentials (and the run's own topic and database) differ from the upload.
    const uploaded = uploadedConfig().config;
    const changed = Object.keys(config.config).filter((k) => config.config[k] !== uploaded[k]).sort();
    expect(changed).toEqual(
      ['bootstrap.servers', 'connection.database', 'connection.password', 'connection.url', 'connection.user', 'kafka.api.key', 'kafka.api.secret', 'ssl.truststore.location', 'table.name.format', 'topics', 'value.converter.schema.registry.url', ...(s.endpoints.schemaRegistry.basicAuthUserInfo ? ['value.converter.basic.auth.credentials.source', 'value.converter.basic.auth.user.info'] : [])].sort(),
    );
    expect(Object.keys(uploaded).filter((k) => !(k in config.config))).toEqual([]);

    const v1 = await s.registerAvro(`${topic}-value`, USER_V1);
    await s.produce(topic, await Promise.all(v1Records().map(async (r) => ({ key: r.key, value: await s.encode(v1, r.value) }))));
    running = await s.start(config);

    await s.eventuallyRows(V1_ROWS_SQL(table), (rows) => expect(rows).toEqual(V1_ROWS));
    expect(await s.columns(topic)).toEqual([
      ['active', 'BOOLEAN', 'YES'],
      ['id', 'BIGINT', 'NO'],
      ['name', 'VARCHAR', 'YES'],
      ['score', 'DECIMAL(10, 2)', 'YES'],
      ['signed_up', 'TIMESTAMP', 'YES'],
    ]);
  });

  s.it('the schema evolves once: the column is added, old rows NULL in it, the group commits to the end', async () => {
    const v2 = await s.registerAvro(`${topic}-value`, USER_V2);
    await s.produce(topic, await Promise.all(v2Records().map(async (r) => ({ key: r.key, value: await s.encode(v2, r.value) }))));
    await s.eventuallyRows(V2_ROWS_SQL(table), (rows) => expect(rows).toEqual(V2_ROWS));
    const end = await s.endOffsets(topic);
    await eventually(async () => expect(await s.committedOffsets(s.groupId(config), topic)).toEqual(end), 'offsets committed to the end', 30_000);
    expect(await running.stop()).toBe(0);
    const logs = running.logs();
    for (const secret of [config.config['kafka.api.secret'], config.config['connection.password']]) {
      // The local Databend password is the word "databend", which the log names anyway.
      if (secret !== 'databend') expect(logs).not.toContain(secret);
    }
  });
});
