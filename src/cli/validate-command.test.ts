import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT_CONFIG_INVALID, EXIT_OK, validateCommand } from './validate-command';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'configs');
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-command-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('validateCommand', () => {
  it('prints a short summary for a person by default', () => {
    const file = path.join(FIXTURES, 'five-mistakes.json');
    const r = validateCommand(file);
    expect(r.exitCode).toBe(EXIT_CONFIG_INVALID);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${file}: 5 problems`);
    expect(lines.slice(1).every((l) => l.startsWith('error: '))).toBe(true);
    expect(validateCommand(path.join(FIXTURES, 'confluent-cloud-avro-upsert.json')).stdout).toMatch(/confluent-cloud-avro-upsert\.json: valid\n$/);
  });

  it('--json: exits 0 with a clean Kafka Connect validate response for a valid config', () => {
    const r = validateCommand(path.join(FIXTURES, 'confluent-cloud-avro-upsert.json'), { json: true });
    expect(r.exitCode).toBe(EXIT_OK);
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({ name: 'com.databend.kafka.connect.DatabendSinkConnector', error_count: 0, warnings: [] });
    expect(Object.keys(body)).toEqual(['name', 'error_count', 'groups', 'configs', 'warnings', 'notes']);
    expect(body.configs[0]).toEqual({ definition: expect.objectContaining({ name: 'name' }), value: expect.objectContaining({ name: 'name', value: 'orders-to-databend' }) });
    expect(r.stderr).toMatch(/: valid\n$/);
  });

  it('exits 2 and lists every problem for an invalid config', () => {
    const r = validateCommand(path.join(FIXTURES, 'five-mistakes.json'), { json: true });
    expect(r.exitCode).toBe(EXIT_CONFIG_INVALID);
    expect(EXIT_CONFIG_INVALID).toBe(2);
    const body = JSON.parse(r.stdout);
    expect(body.error_count).toBe(5);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error: '))).toHaveLength(5);
    expect(r.stderr).toContain('error: insert.mode=merge: must be one of insert, upsert, update (case-insensitive)');
  });

  it('exits 2 for an unreadable or unparsable file, naming it', () => {
    const missing = validateCommand(path.join(dir, 'missing.json'), { json: true });
    expect(missing.exitCode).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error_code: 'CONFIG_INVALID', message: expect.stringContaining('missing.json: cannot read') });
    const file = path.join(dir, 'bad.properties');
    fs.writeFileSync(file, 'a=\\u00x');
    expect(validateCommand(file).stderr).toBe(`error: ${file}: line 1: malformed \\uXXXX escape (expected four hex digits)\n`);
    expect(JSON.parse(validateCommand(file, { json: true }).stdout).message).toBe(`${file}: line 1: malformed \\uXXXX escape (expected four hex digits)`);
  });

  it('reports duplicate .properties keys as warnings', () => {
    const file = path.join(dir, 'dup.properties');
    fs.writeFileSync(file, 'name=a\ntopics=t\nconnection.url=databend://h\nbootstrap.servers=b:9092\ntopics=u\n');
    const r = validateCommand(file, { json: true });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual([{ key: 'topics', value: null, message: 'is given more than once in the .properties file; the last value is used' }]);
    expect(r.stderr).toContain('warning: topics: is given more than once');
  });
});
