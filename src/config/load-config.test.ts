import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SinkError } from '../errors';
import { findMalformedEscapeLine, loadConfig, parseConfigText } from './load-config';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-config-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function failure(fn: () => unknown): SinkError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SinkError);
    expect((err as SinkError).code).toBe('CONFIG_INVALID');
    return err as SinkError;
  }
  throw new Error('expected a failure');
}

describe('JSON', () => {
  it('reads a flat map', () => {
    const loaded = loadConfig(write('flat.json', '{"name": "s", "topics": "a"}'));
    expect(loaded).toEqual({ raw: { name: 's', topics: 'a' }, duplicateKeys: [] });
    expect('name' in loaded).toBe(false);
  });

  it("reads Confluent's {name, config} shape", () => {
    expect(loadConfig(write('wrapped.json', JSON.stringify({ name: 'orders', config: { 'connector.class': 'DatabendSinkConnector', topics: 'a' } })))).toEqual({
      name: 'orders',
      raw: { 'connector.class': 'DatabendSinkConnector', topics: 'a' },
      duplicateKeys: [],
    });
    expect(parseConfigText('{"config": {"topics": "a"}}', 'x.json')).toEqual({ raw: { topics: 'a' }, duplicateKeys: [] });
  });

  it('turns numbers, booleans and scalar lists into strings; null leaves a key unset', () => {
    expect(parseConfigText('{"batch.size": 500, "auto.create": true, "linger.ms": 0.5, "topics": ["a", "b"], "pk.fields": null, "x": ""}', 'c.json').raw).toEqual({
      'batch.size': '500',
      'auto.create': 'true',
      'linger.ms': '0.5',
      topics: 'a,b',
      x: '',
    });
  });

  it('detects JSON by content when the extension says nothing, and skips a BOM', () => {
    expect(parseConfigText('\uFEFF  {"a": "1"}', 'connector.conf').raw).toEqual({ a: '1' });
  });

  it.each([
    ['{"a": 1,}', /c\.json: is not valid JSON/],
    ['[1, 2]', /c\.json: must hold a JSON object/],
    ['"text"', /must hold a JSON object/],
    ['{"a": {"b": 1}}', /c\.json: value of "a" must be a string, number, boolean or list of them/],
    ['{"a": [{"b": 1}]}', /value of "a"/],
    ['{"config": "x"}', /"config" must be an object/],
    ['{"name": "n", "config": {}, "tasks": []}', /unexpected top-level key\(s\) "tasks"/],
    ['{"name": 5, "config": {}}', /"name" must be a string/],
  ])('rejects %s naming the file', (text, message) => {
    expect(failure(() => parseConfigText(text, 'c.json')).message).toMatch(message);
  });

  it('names the line of a JSON syntax error when the parser gives a position, never the text', () => {
    const err = failure(() => parseConfigText('{\n"a": "1",\n"password": "TOPSECRET" "b"\n}', 'c.json'));
    expect(err.message).not.toContain('TOPSECRET');
    expect(err.message).toMatch(/^c\.json: is not valid JSON( at line 3)?$/);
  });

  it('names an unreadable file', () => {
    expect(failure(() => loadConfig(path.join(dir, 'missing.json'))).message).toMatch(/missing\.json: cannot read the config file \(ENOENT\)/);
  });
});

describe('.properties', () => {
  const read = (text: string) => parseConfigText(text, 'sink.properties');

  it('reads separators, comments and blank lines', () => {
    expect(read('# comment\n! other comment\n\nname=sink\ntopics : a,b\nbatch.size 500\n  insert.mode  =  upsert\nempty=\nbare\n').raw).toEqual({
      name: 'sink',
      topics: 'a,b',
      'batch.size': '500',
      'insert.mode': 'upsert',
      empty: '',
      bare: '',
    });
  });

  it('joins continuation lines, dropping the leading blanks of the next line', () => {
    expect(read('topics=a,\\\n     b,\\\n     c\nnext=1').raw).toEqual({ topics: 'a,b,c', next: '1' });
  });

  it('an even number of trailing backslashes is not a continuation', () => {
    expect(read('a=x\\\\\nb=y').raw).toEqual({ a: 'x\\', b: 'y' });
  });

  it('unescapes \\t \\n \\uXXXX \\\\ \\= \\: and spaces in keys', () => {
    expect(read('k\\ with\\ space=v\na\\=b=c\nd\\:e:f\nu=\\u0041\\u00e9\\t|\\n|\\\\').raw).toEqual({ 'k with space': 'v', 'a=b': 'c', 'd:e': 'f', u: 'A\u00e9\t|\n|\\' });
  });

  it('keeps = and : inside values, and trailing blanks', () => {
    expect(read('connection.url=jdbc:databend://h:8000/db?ssl=true&a=b\ntable.name.format=db.${topic}  ').raw).toEqual({
      'connection.url': 'jdbc:databend://h:8000/db?ssl=true&a=b',
      'table.name.format': 'db.${topic}  ',
    });
  });

  it('handles CRLF, a BOM and a JAAS line with quotes', () => {
    const jaas = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="k" password="s";';
    expect(read(`\uFEFFa=1\r\nsasl.jaas.config=${jaas}\r\n`).raw).toEqual({ a: '1', 'sasl.jaas.config': jaas });
  });

  it('a comment marker inside a continued line is text', () => {
    expect(read('a=1\\\n  # not a comment\nb=2').raw).toEqual({ a: '1# not a comment', b: '2' });
  });

  it('the last repeated key wins and is reported', () => {
    expect(read('a=1\nb=2\na=3')).toEqual({ raw: { a: '3', b: '2' }, duplicateKeys: ['a'] });
  });

  it('names file and line of a malformed \\u escape, never the text', () => {
    const err = failure(() => read('a=1\n# \\uZZZZ in a comment is fine\nsecret=TOPSECRET\\u00G1'));
    expect(err.message).toBe('sink.properties: line 3: malformed \\uXXXX escape (expected four hex digits)');
  });

  it('rejects an empty key with its line', () => {
    expect(failure(() => read('a=1\n=orphan')).message).toBe('sink.properties: line 2: a property has an empty key');
  });

  it('reads from a file', () => {
    expect(loadConfig(write('x.properties', 'name=x\n')).raw).toEqual({ name: 'x' });
  });
});

describe('findMalformedEscapeLine', () => {
  it('skips escaped backslashes and comment lines, follows continuations', () => {
    expect(findMalformedEscapeLine('a=\\\\u00ZZ')).toBeUndefined();
    expect(findMalformedEscapeLine('# \\uZZ\na=1')).toBeUndefined();
    expect(findMalformedEscapeLine('a=1\\\n# \\uZZ')).toBe(2);
    expect(findMalformedEscapeLine('a=\\u004')).toBe(1);
  });
});
