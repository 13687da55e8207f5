import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_KEYS } from './config-definitions';
import { configDefinitions, configJsonSchema, configMarkdown, sensitiveKeys, validateResponse } from './config-projections';

const BASE: Record<string, string> = {
  name: 'sink',
  'connection.url': 'jdbc:databend://localhost:8000',
  topics: 'orders',
  'bootstrap.servers': 'localhost:9092',
};

describe('configJsonSchema', () => {
  const schema = configJsonSchema() as { properties: Record<string, Record<string, unknown>>; [k: string]: unknown };

  it('is a draft 2020-12 object schema with every declared key', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(CONFIG_KEYS.map((k) => k.name));
    expect(schema.required).toEqual(['name', 'connection.url', 'bootstrap.servers']);
    expect(schema.additionalProperties).toBe(true);
  });

  it('carries enums, ranges, defaults, writeOnly and x-group/x-order', () => {
    expect(schema.properties['insert.mode']).toMatchObject({ type: 'string', enum: ['insert', 'upsert', 'update'], default: 'insert', 'x-group': 'Writes', 'x-order': 1 });
    expect(schema.properties['batch.size']).toMatchObject({ type: ['integer', 'string'], minimum: 1, default: 10000 });
    expect(schema.properties['tasks.max']).toMatchObject({ minimum: 1, maximum: 1024 });
    expect(schema.properties['auto.create']).toMatchObject({ type: ['boolean', 'string'], default: false });
    expect(schema.properties['connection.password']).toMatchObject({ writeOnly: true });
    expect(schema.properties['sasl.jaas.config']).toMatchObject({ writeOnly: true });
    expect(schema.properties['connection.url']).not.toHaveProperty('writeOnly');
    expect(schema.properties['connection.url']).not.toHaveProperty('default');
    expect(String(schema.properties['db.timezone'].description)).toMatch(/Valid values: an IANA time zone/);
  });

  it('states exactly one of topics and topics.regex', () => {
    expect(schema.allOf).toEqual([
      {
        oneOf: [
          { required: ['topics'], properties: { topics: { minLength: 1, minItems: 1 } } },
          { required: ['topics.regex'], properties: { 'topics.regex': { minLength: 1, minItems: 1 } } },
        ],
      },
    ]);
  });

  it('covers the connection.*, consumer.override.* and ssl.* families', () => {
    expect(Object.keys(schema.patternProperties as object)).toEqual(['^connection\\.', '^consumer\\.override\\.', '^confluent\\.', '^ssl\\.']);
  });
});

describe('configDefinitions', () => {
  it("lists keys in Kafka Connect's ConfigKeyInfo shape", () => {
    const defs = configDefinitions();
    expect(defs).toHaveLength(CONFIG_KEYS.length);
    expect(defs.find((d) => d.name === 'batch.size')).toEqual({
      name: 'batch.size',
      type: 'INT',
      required: false,
      default_value: '10000',
      importance: 'MEDIUM',
      documentation: expect.stringContaining('Most rows written in one batch'),
      group: 'Writes',
      order: 2,
      width: 'SHORT',
      display_name: 'Batch size',
      dependents: [],
    });
    expect(defs.find((d) => d.name === 'connection.url')).toMatchObject({ required: true, default_value: null, importance: 'HIGH' });
    for (const d of defs) expect(Object.keys(d)).toEqual(['name', 'type', 'required', 'default_value', 'importance', 'documentation', 'group', 'order', 'width', 'display_name', 'dependents']);
  });
});

describe('validateResponse', () => {
  it('is clean for a valid config', () => {
    const r = validateResponse(BASE);
    expect(r.name).toBe('com.databend.kafka.connect.DatabendSinkConnector');
    expect(r.error_count).toBe(0);
    expect(r.groups).toEqual(['Common', 'Connection', 'Writes', 'Data Mapping', 'DDL Support', 'Retries', 'Converters', 'Error Handling', 'Kafka Client', 'Confluent Cloud', 'Operations']);
    expect(r.configs).toHaveLength(CONFIG_KEYS.length);
    expect(r.configs.find((c) => c.value.name === 'batch.size')!.value).toEqual({ name: 'batch.size', value: '10000', recommended_values: [], errors: [], visible: true });
    expect(r.configs.find((c) => c.value.name === 'insert.mode')!.value.recommended_values).toEqual(['insert', 'upsert', 'update']);
    expect(r.configs.find((c) => c.value.name === 'value.converter')!.value.recommended_values).toHaveLength(6);
  });

  it('lists each problem under its key and counts them', () => {
    const r = validateResponse({ ...BASE, 'insert.mode': 'merge', 'batch.size': '0' });
    expect(r.error_count).toBe(2);
    expect(r.configs.find((c) => c.value.name === 'insert.mode')!.value).toMatchObject({ value: 'merge', errors: ['must be one of insert, upsert, update (case-insensitive)'] });
    expect(r.configs.find((c) => c.value.name === 'batch.size')!.value.errors).toEqual(['must be at least 1']);
  });

  it('adds an entry for an undeclared key that has a problem', () => {
    const r = validateResponse({ ...BASE, 'connection.query.timeout': '120' });
    expect(r.error_count).toBe(1);
    const entry = r.configs.find((c) => c.value.name === 'connection.query.timeout')!;
    expect(entry.definition).toMatchObject({ name: 'connection.query.timeout', group: 'Connection' });
    expect(entry.value.errors).toEqual([expect.stringMatching(/is neither a key of this sink nor a databend-driver option .*; did you mean connection\.query_timeout\?$/)]);
  });

  it('masks sensitive values and shows visibility', () => {
    const r = validateResponse({ ...BASE, 'connection.password': 'pw', 'connection.url': 'jdbc:databend://u:urlpw@h' });
    expect(r.configs.find((c) => c.value.name === 'connection.password')!.value.value).toBe('[hidden]');
    expect(r.configs.find((c) => c.value.name === 'connection.url')!.value.value).toBe('jdbc:databend://u:[hidden]@h');
    expect(r.configs.find((c) => c.value.name === 'pk.fields')!.value.visible).toBe(false);
    expect(r.configs.find((c) => c.value.name === 'value.converter.schemas.enable')!.value.visible).toBe(true);
    expect(r.configs.find((c) => c.value.name === 'value.converter.schema.registry.url')!.value.visible).toBe(false);
    expect(validateResponse({ ...BASE, 'errors.tolerance': 'ALL' }).configs.find((c) => c.value.name === 'errors.deadletterqueue.topic.name')!.value.visible).toBe(true);
  });

  it('shows the outer name', () => {
    const rest = { ...BASE };
    delete (rest as Partial<typeof rest>).name;
    expect(validateResponse(rest, { name: 'outer' }).configs.find((c) => c.value.name === 'name')!.value.value).toBe('outer');
  });
});

describe('sensitiveKeys', () => {
  it('lists every declared sensitive key', () => {
    expect(sensitiveKeys()).toEqual(CONFIG_KEYS.filter((k) => k.sensitive).map((k) => k.name));
    expect(sensitiveKeys()).toContain('sasl.jaas.config');
  });
});

describe('docs/CONFIG.md', () => {
  it('is up to date (regenerate with `npm run docs:config`)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'CONFIG.md'), 'utf8');
    expect(committed).toBe(configMarkdown());
  });

  it('documents every key under its group', () => {
    const md = configMarkdown();
    for (const k of CONFIG_KEYS) expect(md).toContain(`### \`${k.name}\``);
    expect(md).toContain('## Rules across keys');
  });
});
