import type { LogicalType, Schema, SchemaType } from '../record/schema';
import { type ColumnType, columnTypeFor, formatColumnType, parseColumnType } from './type-mapping';

const s = (type: SchemaType, logical?: LogicalType, extra: Partial<Schema> = {}): Schema => ({ type, optional: true, logical, ...extra });
const mapped = (schema: Schema) => formatColumnType(columnTypeFor(schema));

describe('columnTypeFor (docs/type-mapping.md)', () => {
  it.each<[string, Schema, string]>([
    ['INT8', s('INT8'), 'TINYINT'],
    ['INT16', s('INT16'), 'SMALLINT'],
    ['INT32', s('INT32'), 'INT'],
    ['INT64', s('INT64'), 'BIGINT'],
    ['FLOAT32', s('FLOAT32'), 'FLOAT'],
    ['FLOAT64', s('FLOAT64'), 'DOUBLE'],
    ['BOOLEAN', s('BOOLEAN'), 'BOOLEAN'],
    ['STRING', s('STRING'), 'STRING'],
    ['enum', s('STRING', { kind: 'enum', symbols: ['A', 'B'] }), 'STRING'],
    ['uuid', s('STRING', { kind: 'uuid' }), 'STRING'],
    ['BYTES', s('BYTES'), 'BINARY'],
    ['Decimal(10, 2)', s('BYTES', { kind: 'decimal', precision: 10, scale: 2 }), 'DECIMAL(10, 2)'],
    ['Decimal(38, 0)', s('BYTES', { kind: 'decimal', precision: 38, scale: 0 }), 'DECIMAL(38, 0)'],
    ['Decimal(76, 76)', s('BYTES', { kind: 'decimal', precision: 76, scale: 76 }), 'DECIMAL(76, 76)'],
    ['Decimal(77, 2) beyond Databend', s('BYTES', { kind: 'decimal', precision: 77, scale: 2 }), 'STRING'],
    ['Decimal without precision', s('BYTES', { kind: 'decimal', precision: 0, scale: 4 }), 'DECIMAL(38, 4)'],
    ['Decimal without precision, scale 50', s('BYTES', { kind: 'decimal', precision: 0, scale: 50 }), 'DECIMAL(50, 50)'],
    ['Date', s('INT32', { kind: 'date' }), 'DATE'],
    ['Time millis', s('INT32', { kind: 'time', unit: 'millis' }), 'STRING'],
    ['Time micros', s('INT64', { kind: 'time', unit: 'micros' }), 'STRING'],
    ['Timestamp millis', s('INT64', { kind: 'timestamp', unit: 'millis', local: false }), 'TIMESTAMP'],
    ['Timestamp micros', s('INT64', { kind: 'timestamp', unit: 'micros', local: false }), 'TIMESTAMP'],
    ['local-timestamp', s('INT64', { kind: 'timestamp', unit: 'micros', local: true }), 'TIMESTAMP'],
    ['STRUCT', s('STRUCT', undefined, { fields: [] }), 'VARIANT'],
    ['MAP', s('MAP', undefined, { keys: s('STRING'), values: s('INT32') }), 'VARIANT'],
    ['union (variant)', s('STRING', { kind: 'variant' }), 'VARIANT'],
    ['ARRAY<INT32>', s('ARRAY', undefined, { items: s('INT32') }), 'ARRAY(INT)'],
    ['ARRAY<STRING>', s('ARRAY', undefined, { items: s('STRING') }), 'ARRAY(STRING)'],
    ['ARRAY<BYTES>', s('ARRAY', undefined, { items: s('BYTES') }), 'ARRAY(BINARY)'],
    ['ARRAY<Decimal>', s('ARRAY', undefined, { items: s('BYTES', { kind: 'decimal', precision: 5, scale: 2 }) }), 'ARRAY(DECIMAL(5, 2))'],
    ['ARRAY<Timestamp>', s('ARRAY', undefined, { items: s('INT64', { kind: 'timestamp', unit: 'millis', local: false }) }), 'ARRAY(TIMESTAMP)'],
    ['ARRAY<Time>', s('ARRAY', undefined, { items: s('INT64', { kind: 'time', unit: 'micros' }) }), 'ARRAY(STRING)'],
    ['ARRAY<STRUCT>', s('ARRAY', undefined, { items: s('STRUCT', undefined, { fields: [] }) }), 'VARIANT'],
    ['ARRAY<ARRAY<INT32>>', s('ARRAY', undefined, { items: s('ARRAY', undefined, { items: s('INT32') }) }), 'VARIANT'],
    ['ARRAY<MAP>', s('ARRAY', undefined, { items: s('MAP') }), 'VARIANT'],
    ['ARRAY<variant>', s('ARRAY', undefined, { items: s('STRING', { kind: 'variant' }) }), 'VARIANT'],
    ['ARRAY without items', s('ARRAY'), 'VARIANT'],
  ])('%s → %s', (_name, schema, expected) => {
    expect(mapped(schema)).toBe(expected);
  });
});

describe('parseColumnType', () => {
  const t = (text: string) => parseColumnType(text);
  const k = (kind: string): ColumnType => ({ kind }) as ColumnType;

  // DESC / information_schema / system.columns forms seen on databend 1.2.895.
  it.each<[string, ColumnType]>([
    ['INT', k('INT')],
    ['int', k('INT')],
    ['INT32', k('INT')],
    ['Int32', k('INT')],
    ['BIGINT', k('BIGINT')],
    ['Int64', k('BIGINT')],
    ['TINYINT', k('TINYINT')],
    ['Int8', k('TINYINT')],
    ['SMALLINT', k('SMALLINT')],
    ['FLOAT', k('FLOAT')],
    ['Float32', k('FLOAT')],
    ['DOUBLE', k('DOUBLE')],
    ['Float64', k('DOUBLE')],
    ['BOOLEAN', k('BOOLEAN')],
    ['VARCHAR', k('STRING')],
    ['varchar(16382)', k('STRING')],
    ['String', k('STRING')],
    ['BINARY', k('BINARY')],
    ['DATE', k('DATE')],
    ['TIMESTAMP', k('TIMESTAMP')],
    ['VARIANT', k('VARIANT')],
    ['DECIMAL(38, 10)', { kind: 'DECIMAL', precision: 38, scale: 10 }],
    ['decimal(20,3)', { kind: 'DECIMAL', precision: 20, scale: 3 }],
    ['Decimal(76, 0)', { kind: 'DECIMAL', precision: 76, scale: 0 }],
    ['DECIMAL', { kind: 'DECIMAL', precision: 18, scale: 3 }],
    ['ARRAY(INT64)', { kind: 'ARRAY', items: k('BIGINT') }],
    ['array(string)', { kind: 'ARRAY', items: k('STRING') }],
    ['ARRAY(ARRAY(INT32))', { kind: 'ARRAY', items: { kind: 'ARRAY', items: k('INT') } }],
    ['Array(Nullable(Int32))', { kind: 'ARRAY', items: k('INT') }],
    ['ARRAY(DECIMAL(5, 2))', { kind: 'ARRAY', items: { kind: 'DECIMAL', precision: 5, scale: 2 } }],
    ['MAP(STRING, INT32)', { kind: 'OTHER', text: 'MAP(STRING, INT32)' }],
    ['TUPLE(1 INT32, 2 STRING)', { kind: 'OTHER', text: 'TUPLE(1 INT32, 2 STRING)' }],
    ['SMALLINT UNSIGNED', { kind: 'OTHER', text: 'SMALLINT UNSIGNED' }],
    ['TIMESTAMPTZ', { kind: 'OTHER', text: 'TIMESTAMPTZ' }],
  ])('%s', (text, type) => {
    expect(t(text).type).toEqual(type);
  });

  it('reads nullability from Nullable(…) and NULL / NOT NULL suffixes', () => {
    expect(t('Nullable(Array(Nullable(Int32)))')).toEqual({ type: { kind: 'ARRAY', items: k('INT') }, nullable: true });
    expect(t('BIGINT NULL')).toEqual({ type: k('BIGINT'), nullable: true });
    expect(t('BIGINT NOT NULL')).toEqual({ type: k('BIGINT'), nullable: false });
    expect(t('Decimal(10, 2) NULL')).toEqual({ type: { kind: 'DECIMAL', precision: 10, scale: 2 }, nullable: true });
    expect(t('Array(Int64 NULL) NULL')).toEqual({ type: { kind: 'ARRAY', items: k('BIGINT') }, nullable: true });
    expect(t('Nullable(UInt16)')).toEqual({ type: { kind: 'OTHER', text: 'UINT16' }, nullable: true });
    expect(t('INT').nullable).toBeUndefined();
  });

  it('round-trips every type the sink creates', () => {
    const created: ColumnType[] = [
      ...['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'BOOLEAN', 'STRING', 'BINARY', 'DATE', 'TIMESTAMP', 'VARIANT'].map(k),
      { kind: 'DECIMAL', precision: 76, scale: 38 },
      { kind: 'ARRAY', items: { kind: 'DECIMAL', precision: 5, scale: 2 } },
      { kind: 'ARRAY', items: k('TIMESTAMP') },
    ];
    for (const c of created) expect(t(formatColumnType(c)).type).toEqual(c);
  });
});
