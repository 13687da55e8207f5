import { SinkError } from '../errors';
import { isBareIdentifier, qualifiedName, quoteIdentifier, RESERVED_KEYWORDS, sqlStringLiteral, storedIdentifier } from './identifiers';

// Forms verified on the embedded engine (databend 1.2.895): CREATE TABLE / DESC with every quoted
// name below stored the exact name; `select`, `offset`, `order` unquoted are syntax errors; unquoted
// `MixedCase` is stored as `mixedcase`; `"x\"` never terminates while `` `x\` `` names `x\`.
describe('quoteIdentifier, always', () => {
  it.each([
    ['plain', '"plain"'],
    ['MixedCase', '"MixedCase"'],
    ['a"b', '"a""b"'],
    ['x.y', '"x.y"'],
    ['drop table', '"drop table"'],
    ['select', '"select"'],
    ['Ünï 😀', '"Ünï 😀"'],
    ['`bt`', '"`bt`"'],
    ['new\nline', '"new\nline"'],
    ["it's", `"it's"`],
    ['""', '""""""'],
  ])('%j → %s', (name, quoted) => {
    expect(quoteIdentifier(name, 'always')).toBe(quoted);
  });

  it('defaults to always', () => {
    expect(quoteIdentifier('a')).toBe('"a"');
  });

  it('writes names with a backslash in backticks (verbatim there; a backslash in "…" pairs with the next character)', () => {
    expect(quoteIdentifier('x\\', 'always')).toBe('`x\\`');
    expect(quoteIdentifier('c\\"d', 'always')).toBe('`c\\"d`');
    expect(quoteIdentifier('a\\nb', 'never')).toBe('`a\\nb`');
  });

  it('refuses names it cannot write, as a record-level schema error', () => {
    for (const bad of ['', 'a\\`b']) {
      const attempt = () => quoteIdentifier(bad);
      expect(attempt).toThrow(SinkError);
      try {
        attempt();
      } catch (err) {
        expect((err as SinkError).code).toBe('SCHEMA_INCOMPATIBLE');
        expect((err as SinkError).isRecordError).toBe(true);
      }
    }
  });
});

describe('quoteIdentifier, never', () => {
  it('leaves plain non-reserved names bare', () => {
    expect(quoteIdentifier('order_id', 'never')).toBe('order_id');
    expect(quoteIdentifier('_x1', 'never')).toBe('_x1');
    expect(quoteIdentifier('OrderId', 'never')).toBe('OrderId');
  });

  it('still escapes everything else', () => {
    expect(quoteIdentifier('a"b', 'never')).toBe('"a""b"');
    expect(quoteIdentifier('x.y', 'never')).toBe('"x.y"');
    expect(quoteIdentifier('drop table', 'never')).toBe('"drop table"');
    expect(quoteIdentifier('Ünï', 'never')).toBe('"Ünï"');
    expect(quoteIdentifier('1abc', 'never')).toBe('"1abc"');
    expect(quoteIdentifier('a$b', 'never')).toBe('"a$b"');
    expect(quoteIdentifier('`', 'never')).toBe('"`"');
  });

  it.each(['select', 'SELECT', 'Offset', 'order', 'from', 'table', 'default', 'null', 'where'])('quotes the reserved word %s', (word) => {
    expect(quoteIdentifier(word, 'never')).toBe(`"${word}"`);
    expect(isBareIdentifier(word)).toBe(false);
  });

  it('keeps the reserved list lower case', () => {
    for (const w of RESERVED_KEYWORDS) expect(w).toBe(w.toLowerCase());
  });
});

describe('storedIdentifier', () => {
  it('is the exact name when quoted', () => {
    expect(storedIdentifier('MixedCase', 'always')).toBe('MixedCase');
    expect(storedIdentifier('Select', 'never')).toBe('Select');
  });

  it('is folded to lower case when bare (as Databend folds unquoted names)', () => {
    expect(storedIdentifier('MixedCase', 'never')).toBe('mixedcase');
  });
});

describe('qualifiedName', () => {
  it('quotes each part; a dot inside a part stays inside', () => {
    expect(qualifiedName('db', 'orders.v1')).toBe('"db"."orders.v1"');
    expect(qualifiedName(null, 'orders.v1')).toBe('"orders.v1"');
    expect(qualifiedName('db', 'orders', 'never')).toBe('db.orders');
  });
});

describe('sqlStringLiteral', () => {
  // Verified: 'a''b' → a'b, 'a\\b' → a\b (length 3), raw newline kept, '\0' → NUL.
  it.each([
    ['plain', "'plain'"],
    ["a'b", "'a''b'"],
    ['a\\b', "'a\\\\b'"],
    ["\\'", "'\\\\'''"],
    ['line\nbreak', "'line\nbreak'"],
    ['nul\u0000x', "'nul\\0x'"],
    ['é😀', "'é😀'"],
    ['', "''"],
    ["'; DROP TABLE t; --", "'''; DROP TABLE t; --'"],
  ])('%j → %s', (text, literal) => {
    expect(sqlStringLiteral(text)).toBe(literal);
  });
});
