import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configJsonSchema, readSpec, type ConnectConfigKey } from './connect-plugin';

const key = (over: Partial<ConnectConfigKey>): ConnectConfigKey => ({
  name: 'k',
  type: 'STRING',
  required: false,
  default_value: null,
  importance: 'HIGH',
  documentation: 'doc',
  group: 'G',
  order: 1,
  width: 'NONE',
  display_name: 'K',
  dependents: [],
  ...over,
});

describe('configJsonSchema', () => {
  it('projects the definition the worker lists: types, defaults, required keys, PASSWORD as writeOnly', () => {
    const schema = configJsonSchema('com.x.Sink', [
      key({ name: 'connection.url', required: true }),
      key({ name: 'connection.password', type: 'PASSWORD' }),
      key({ name: 'batch.size', type: 'INT', default_value: '10' }),
      key({ name: 'pk.fields', type: 'LIST', default_value: '' }),
    ]) as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(schema.required).toEqual(['connection.url']);
    expect(schema.properties['connection.password']).toMatchObject({ type: 'string', writeOnly: true, 'x-type': 'PASSWORD' });
    expect(schema.properties['batch.size']).toMatchObject({ type: ['integer', 'string'], default: '10' });
    expect(schema.properties['pk.fields']).toMatchObject({ type: ['string', 'array'], items: { type: 'string' } });
    expect(schema.properties['connection.url']).not.toHaveProperty('default');
  });
});

describe('readSpec', () => {
  it('names every problem of a packaging spec', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spec-')), 'plugin.json');
    fs.writeFileSync(file, JSON.stringify({ connector: { jar: 'x.jar' }, dependencies: ['a:b', 'g:a:1'], manifest: {} }));
    const attempt = () => readSpec(file);
    expect(attempt).toThrow(/connector\.class/);
    expect(attempt).toThrow(/dependencies: an array of Maven coordinates group:artifact:version/);
    expect(attempt).toThrow(/license_file/);
    expect(attempt).toThrow(/manifest\.release_date: the connector's release date, YYYY-MM-DD/);
    fs.writeFileSync(file, '{');
    expect(attempt).toThrow(/cannot be read as JSON/);
  });

  it('accepts the vendor example', () => {
    expect(readSpec(path.join(__dirname, '..', 'vendor-example', 'databend-kafka-connect.plugin.json')).connector.class).toBe('com.databend.kafka.connect.DatabendSinkConnector');
  });
});
