import { parseTableNameFormat, tableNameFor } from './table-name-format';

describe('parseTableNameFormat', () => {
  it.each([
    ['${topic}', null, '${topic}'],
    ['kafka_${topic}', null, 'kafka_${topic}'],
    ['analytics.${topic}', 'analytics', '${topic}'],
    ['analytics.kafka_${topic}_v1', 'analytics', 'kafka_${topic}_v1'],
    ['fixed', null, 'fixed'],
    ['db.fixed', 'db', 'fixed'],
    ['${topic}${topic}', null, '${topic}${topic}'],
  ])('%s → database %p, table %p', (format, database, template) => {
    expect(parseTableNameFormat(format)).toEqual({ database, template });
  });

  it.each([
    ['', /must not be empty/],
    ['${Topic}', /unknown placeholder "\$\{Topic\}"/],
    ['${topic}_${partition}', /unknown placeholder "\$\{partition\}"/],
    ['${}', /unknown placeholder/],
    ['t_${topic', /unknown placeholder "\$\{topic"/],
    ['a.b.${topic}', /at most one "\."/],
    ['${topic}.x', /fixed name/],
    ['.${topic}', /database part/],
    ['db.', /table part/],
  ])('rejects %j', (format, message) => {
    expect(() => parseTableNameFormat(format)).toThrow(message);
  });
});

describe('tableNameFor', () => {
  it('substitutes the whole topic, dots included', () => {
    expect(tableNameFor(parseTableNameFormat('db.kafka_${topic}'), 'orders')).toBe('kafka_orders');
    expect(tableNameFor(parseTableNameFormat('${topic}'), 'eu.orders')).toBe('eu.orders');
    expect(tableNameFor(parseTableNameFormat('fixed'), 'x')).toBe('fixed');
  });
});
