import { SinkError } from '../errors';
import { JsonBigFloat, parseJsonText, scanObjectMembers, toVariantJson } from './json-text';

describe('parseJsonText', () => {
  it.each([
    ['small integers and fractions', '{"a": 1, "b": -2.5, "c": [0.125]}', true],
    ['numbers inside strings', '{"a": "1.0 1e5 12345678901234567890"}', true],
    ['an escaped quote before a number', '{"a": "x\\"", "b": 3}', true],
    ['an escaped backslash ending a string, then an integral fraction', '{"a": "x\\\\", "b": 1.0}', false],
    ['escaped backslashes and quotes around a fraction inside a string', '{"a": "\\\\\\"1.0\\\\"}', true],
    ['a 16-digit integer up to 2^53', '{"a": 9007199254740992}', true],
    ['a 16-digit integer beyond 2^53', '{"a": 9007199254740993}', false],
    ['a 17-digit integer', '{"a": 12345678901234567}', false],
    ['an integral fraction', '{"a": 1.0}', false],
    ['an exponent', '[1e3]', false],
    ['a long fraction (a DECIMAL may read it)', '0.12345678901234567', false],
  ])('takes the %s path (native JSON.parse: %s)', (_name, text, fast) => {
    expect(parseJsonText(text, 'data').integersAsNumbers).toBe(fast);
  });

  it('keeps integers exact as bigint and long fractions as literals on the exact path', () => {
    const parsed = parseJsonText('{"big": 9223372036854775807, "neg": -9007199254740993, "f": 3.14159265358979323846, "one": 1.0}', 'data');
    expect(parsed.value).toEqual({ big: 9223372036854775807n, neg: -9007199254740993n, f: new JsonBigFloat('3.14159265358979323846'), one: 1 });
    expect(parsed.hasBigFloat).toBe(true);
    expect(toVariantJson(parsed.value, true)).toEqual({ big: 9223372036854775807n, neg: -9007199254740993n, f: 3.141592653589793, one: 1 });
  });

  it('lets the last duplicate key win on both paths', () => {
    expect(parseJsonText('{"a": 1, "a": 2}', 'data').value).toEqual({ a: 2 });
    expect(parseJsonText('{"a": 1.0, "a": 2.0}', 'data').value).toEqual({ a: 2 });
  });

  it('reports invalid JSON as RECORD_UNDECODABLE naming only what it was', () => {
    for (const text of ['{"k": tru}', '{"k": 1.0,}', '', '[1e]', '{"a":1}{}']) {
      try {
        parseJsonText(text, 'JSON data');
        throw new Error(`accepted ${text}`);
      } catch (err) {
        expect(err).toBeInstanceOf(SinkError);
        expect((err as SinkError).message).toBe('JSON data is not valid JSON');
      }
    }
  });
});

describe('scanObjectMembers', () => {
  it('finds member values without parsing them', () => {
    const text = ' { "schema" : {"a": "}]"} , "payload":[1,{"b":"\\""}], "n": -1.5e3 } ';
    const members = scanObjectMembers(text)!;
    expect(Object.keys(members)).toEqual(['schema', 'payload', 'n']);
    expect(text.slice(members.schema.start, members.schema.end)).toBe('{"a": "}]"}');
    expect(text.slice(members.payload.start, members.payload.end)).toBe('[1,{"b":"\\""}]');
    expect(text.slice(members.n.start, members.n.end)).toBe('-1.5e3');
  });

  it('decodes escaped keys and accepts an empty object', () => {
    expect(Object.keys(scanObjectMembers('{"sch\\u0065ma": 1}')!)).toEqual(['schema']);
    expect(scanObjectMembers('{}')).toEqual({});
  });

  it.each(['[1]', '{"a" 1}', '{"a": 1', '{"a": 1} x', '{"a": "x}', '{a: 1}', '{"a": }'])('gives up on %s', (text) => {
    expect(scanObjectMembers(text)).toBeUndefined();
  });
});
