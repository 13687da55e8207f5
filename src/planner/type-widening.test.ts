import type { ColumnType } from '../dialect/type-mapping';
import { compareColumnTypes } from './type-widening';

const k = (kind: string): ColumnType => ({ kind }) as ColumnType;
const dec = (precision: number, scale: number): ColumnType => ({ kind: 'DECIMAL', precision, scale });
const arr = (items: ColumnType): ColumnType => ({ kind: 'ARRAY', items });

describe('compareColumnTypes (docs/evolution.md)', () => {
  it.each([
    ['TINYINT', 'SMALLINT'],
    ['TINYINT', 'INT'],
    ['TINYINT', 'BIGINT'],
    ['SMALLINT', 'INT'],
    ['SMALLINT', 'BIGINT'],
    ['INT', 'BIGINT'],
    ['FLOAT', 'DOUBLE'],
  ])('widens %s to %s', (from, to) => {
    expect(compareColumnTypes(k(from), k(to))).toEqual({ kind: 'widen', to: k(to) });
  });

  it.each([
    ['SMALLINT', 'TINYINT'],
    ['BIGINT', 'INT'],
    ['BIGINT', 'TINYINT'],
    ['DOUBLE', 'FLOAT'],
    ['DOUBLE', 'INT'],
    ['DOUBLE', 'BIGINT'],
    ['FLOAT', 'TINYINT'],
    ['FLOAT', 'SMALLINT'],
    ['STRING', 'STRING'],
    ['VARIANT', 'VARIANT'],
    ['TIMESTAMP', 'TIMESTAMP'],
    ['DATE', 'DATE'],
    ['BINARY', 'BINARY'],
    ['BOOLEAN', 'BOOLEAN'],
  ])('a narrower or equal incoming type fits: column %s, record %s', (column, record) => {
    expect(compareColumnTypes(k(column), k(record))).toEqual({ kind: 'fits' });
  });

  it('widens integers up to INT to DOUBLE for a float (int → double)', () => {
    expect(compareColumnTypes(k('INT'), k('DOUBLE'))).toEqual({ kind: 'widen', to: k('DOUBLE') });
    expect(compareColumnTypes(k('SMALLINT'), k('FLOAT'))).toEqual({ kind: 'widen', to: k('DOUBLE') });
    expect(compareColumnTypes(k('FLOAT'), k('INT'))).toEqual({ kind: 'widen', to: k('DOUBLE') });
    expect(compareColumnTypes(k('FLOAT'), k('BIGINT'))).toEqual({ kind: 'widen', to: k('DOUBLE') });
  });

  it('widens decimals by precision and scale, up to 76', () => {
    expect(compareColumnTypes(dec(10, 2), dec(20, 2))).toEqual({ kind: 'widen', to: dec(20, 2) });
    expect(compareColumnTypes(dec(20, 2), dec(10, 2))).toEqual({ kind: 'fits' });
    expect(compareColumnTypes(dec(10, 2), dec(12, 4))).toEqual({ kind: 'widen', to: dec(12, 4) });
    expect(compareColumnTypes(dec(10, 4), dec(10, 2))).toEqual({ kind: 'widen', to: dec(12, 4) });
    expect(compareColumnTypes(dec(38, 0), dec(76, 0))).toEqual({ kind: 'widen', to: dec(76, 0) });
    expect(compareColumnTypes(dec(76, 0), dec(76, 1))).toEqual({ kind: 'incompatible' });
  });

  it('lets integers into decimals with enough integer digits', () => {
    expect(compareColumnTypes(dec(21, 2), k('BIGINT'))).toEqual({ kind: 'fits' });
    expect(compareColumnTypes(dec(20, 2), k('BIGINT'))).toEqual({ kind: 'widen', to: dec(21, 2) });
    expect(compareColumnTypes(dec(10, 2), k('INT'))).toEqual({ kind: 'widen', to: dec(12, 2) });
    expect(compareColumnTypes(dec(5, 0), k('TINYINT'))).toEqual({ kind: 'fits' });
  });

  it('widens arrays with their items', () => {
    expect(compareColumnTypes(arr(k('INT')), arr(k('BIGINT')))).toEqual({ kind: 'widen', to: arr(k('BIGINT')) });
    expect(compareColumnTypes(arr(k('BIGINT')), arr(k('INT')))).toEqual({ kind: 'fits' });
    expect(compareColumnTypes(arr(k('STRING')), arr(k('INT')))).toEqual({ kind: 'incompatible' });
  });

  it.each<[ColumnType, ColumnType]>([
    [k('STRING'), k('INT')],
    [k('INT'), k('STRING')],
    [k('BIGINT'), dec(10, 2)],
    [k('DOUBLE'), dec(10, 2)],
    [dec(10, 2), k('DOUBLE')],
    [k('STRING'), k('VARIANT')],
    [k('VARIANT'), k('STRING')],
    [k('DATE'), k('TIMESTAMP')],
    [k('TIMESTAMP'), k('DATE')],
    [k('BINARY'), k('STRING')],
    [k('BOOLEAN'), k('TINYINT')],
    [arr(k('INT')), k('INT')],
    [k('STRING'), arr(k('STRING'))],
    [{ kind: 'OTHER', text: 'INT UNSIGNED' }, k('INT')],
    [{ kind: 'OTHER', text: 'TIMESTAMPTZ' }, k('TIMESTAMP')],
  ])('incompatible: column %j, record %j', (column, record) => {
    expect(compareColumnTypes(column, record)).toEqual({ kind: 'incompatible' });
  });

  it('an unknown type fits only itself', () => {
    expect(compareColumnTypes({ kind: 'OTHER', text: 'MAP(STRING, INT32)' }, { kind: 'OTHER', text: 'MAP(STRING, INT32)' })).toEqual({ kind: 'fits' });
  });
});

describe('regression: a fraction widened a BIGINT column to DOUBLE and rounded stored integers (issue 13, point 3)', () => {
  it('a float for a BIGINT column is incompatible: 9007199254740993 already stored would become 9007199254740992', () => {
    expect(compareColumnTypes(k('BIGINT'), k('DOUBLE'))).toEqual({ kind: 'incompatible' });
    expect(compareColumnTypes(k('BIGINT'), k('FLOAT'))).toEqual({ kind: 'incompatible' });
    expect(Number('9007199254740993')).toBe(9007199254740992);
  });
});
