import { SinkError } from '../errors';
import { checkTableNameFormat, compileTableNameFormat, tableNameFor } from './table-name';

describe('table.name.format', () => {
  it('maps ${topic} to a table in the connection database', () => {
    expect(tableNameFor('${topic}', 'orders')).toEqual({ database: null, table: 'orders' });
  });

  it('keeps dots of the topic in the table name', () => {
    expect(tableNameFor('${topic}', 'orders.v1')).toEqual({ database: null, table: 'orders.v1' });
    expect(tableNameFor('kafka_${topic}', 'a.b.c')).toEqual({ database: null, table: 'kafka_a.b.c' });
  });

  it('splits the database at a literal dot of the format', () => {
    expect(tableNameFor('db.${topic}', 'orders.v1')).toEqual({ database: 'db', table: 'orders.v1' });
    expect(tableNameFor('${topic}_db.events', 'x.y')).toEqual({ database: 'x.y_db', table: 'events' });
    expect(tableNameFor('raw.${topic}_${topic}', 't')).toEqual({ database: 'raw', table: 't_t' });
  });

  it('allows a constant table and hostile topics', () => {
    expect(tableNameFor('all_events', 'anything')).toEqual({ database: null, table: 'all_events' });
    expect(tableNameFor('${topic}', 'a"b`c d')).toEqual({ database: null, table: 'a"b`c d' });
    expect(tableNameFor('${topic}', 'Ünï')).toEqual({ database: null, table: 'Ünï' });
  });

  it('compiles once and maps many topics', () => {
    const f = compileTableNameFormat('db.t_${topic}');
    expect(f('a')).toEqual({ database: 'db', table: 't_a' });
    expect(f('b')).toEqual({ database: 'db', table: 't_b' });
  });

  it.each([
    ['a.b.${topic}', /at most one literal/],
    ['.${topic}', /must not be empty/],
    ['${topic}.', /must not be empty/],
    ['${topic}_${partition}', /unknown placeholder \$\{partition\}/],
    ['', /must not be empty/],
  ])('rejects %j', (format, message) => {
    expect(checkTableNameFormat(format).join('; ')).toMatch(message);
    expect(() => compileTableNameFormat(format)).toThrow(SinkError);
    expect(() => compileTableNameFormat(format)).toThrow(message);
  });

  it('reports CONFIG_INVALID', () => {
    try {
      compileTableNameFormat('a.b.c');
      throw new Error('expected an error');
    } catch (err) {
      expect((err as SinkError).code).toBe('CONFIG_INVALID');
    }
  });

  it('accepts valid formats without problems', () => {
    expect(checkTableNameFormat('${topic}')).toEqual([]);
    expect(checkTableNameFormat('db.${topic}')).toEqual([]);
  });
});
