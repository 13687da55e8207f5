import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateConfig } from '../config/validate-config';
import { connectConfigDefinitions, taskRawConfig, validateTaskConfig } from './connect-config';

const seed = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/configs/confluent-cloud-avro-upsert.json'), 'utf8')) as { name: string; config: Record<string, string> });
const props = { name: seed.name, ...seed.config };

describe('connectConfigDefinitions', () => {
  const keys = connectConfigDefinitions();
  const names = keys.map((k) => k.name);

  it('declares the sink keys and none that the worker owns', () => {
    expect(names).toEqual(expect.arrayContaining(['connection.url', 'connection.password', 'insert.mode', 'pk.mode', 'auto.create', 'batch.size', 'max.retries']));
    for (const owned of ['name', 'topics', 'tasks.max', 'key.converter', 'value.converter', 'errors.tolerance', 'errors.deadletterqueue.topic.name', 'bootstrap.servers', 'sasl.jaas.config', 'metrics.port']) {
      expect(names).not.toContain(owned);
    }
  });

  it('lists dependents without a cycle, each declared after its key (Connect follows them recursively)', () => {
    const position = new Map(names.map((n, i) => [n, i]));
    for (const [i, key] of keys.entries()) for (const d of key.dependents) expect(position.get(d)).toBeGreaterThan(i);
    expect(keys.find((k) => k.name === 'delete.enabled')?.dependents).toEqual(['pk.mode']);
  });

  it('marks PASSWORD keys sensitive and offers enum values', () => {
    const byName = new Map(keys.map((k) => [k.name, k]));
    expect(byName.get('connection.password')).toMatchObject({ type: 'PASSWORD', sensitive: true });
    expect(byName.get('connection.url')).toMatchObject({ required: true, sensitive: false });
    expect(byName.get('insert.mode')?.recommended_values).toEqual(expect.arrayContaining(['insert', 'upsert', 'update']));
  });
});

describe('taskRawConfig', () => {
  it("validates the Confluent Cloud seed config unchanged, Kafka's and the converters' keys left to the worker", () => {
    const raw = taskRawConfig(props);
    expect(raw['value.converter']).toBe('org.apache.kafka.connect.json.JsonConverter');
    expect(raw['value.converter.schemas.enable']).toBe('true');
    expect(raw).not.toHaveProperty('value.converter.basic.auth.user.info');
    expect(raw).not.toHaveProperty('sasl.jaas.config');
    expect(raw).not.toHaveProperty('bootstrap.servers');
    const { config, problems } = validateConfig(raw, { inConnectWorker: true });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ name: 'orders-to-databend', insertMode: 'upsert', pkFields: ['id'], connection: { database: 'analytics', ssl: true } });
  });

  it('still names a bad sink key', () => {
    const { problems } = validateConfig(taskRawConfig({ ...props, 'insert.mode': 'merge' }), { inConnectWorker: true });
    expect(problems.map((p) => p.key)).toEqual(['insert.mode']);
  });

  it('requires bootstrap.servers outside a worker', () => {
    const { problems } = validateConfig(taskRawConfig(props));
    expect(problems.map((p) => p.key)).toEqual(['bootstrap.servers']);
  });
});

describe('validateTaskConfig', () => {
  it('takes exactly.once.enabled in insert mode, its offsets kept under the consumer group Connect gives the connector', () => {
    const eo = { ...props, 'insert.mode': 'insert', 'pk.mode': 'none', 'pk.fields': '', 'exactly.once.enabled': 'true' };
    expect(validateTaskConfig(eo)).toMatchObject({ problems: [], config: { exactlyOnce: { offsetsTable: { table: '_databend_sink_offsets' } }, kafka: { groupId: 'connect-orders-to-databend' } } });
    expect(validateTaskConfig({ ...eo, 'consumer.override.group.id': 'orders-eo' }).config?.kafka.groupId).toBe('orders-eo');
  });

  it('refuses exactly.once.enabled where the standalone sink refuses it: upsert mode, deletes', () => {
    expect(validateTaskConfig({ ...props, 'exactly.once.enabled': 'true' }).problems).toEqual([expect.objectContaining({ key: 'exactly.once.enabled', message: expect.stringContaining('applies to insert.mode=insert only') })]);
    const deletes = validateTaskConfig({ ...props, 'insert.mode': 'insert', 'pk.mode': 'record_key', 'pk.fields': '', 'delete.enabled': 'true', 'exactly.once.enabled': 'true' });
    expect(deletes.problems.map((p) => p.key)).toEqual(['exactly.once.enabled']);
  });

  it('gives the config of the seed', () => {
    expect(validateTaskConfig(props)).toMatchObject({ problems: [], config: { insertMode: 'upsert' } });
  });
});
