import { RecordHandoff } from './record-handoff';

const ORDER = '{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":true,"field":"note"}],"optional":false,"name":"Order"}';
const KEY = '{"schema":{"type":"string","optional":false},"payload":"k1"}';

describe('RecordHandoff', () => {
  it('reads three lines per record: position, key, value (empty: none)', () => {
    const text = [
      'orders\t0\t41\t1700000000000', KEY, `{"schema":${ORDER},"payload":{"id":9007199254740993,"note":"a\\nb"}}`,
      'orders\t0\t42\t', '', '',
      '',
    ].join('\n');
    const { records, indexes, failures } = new RecordHandoff().read(text);
    expect(failures).toEqual([]);
    expect(indexes).toEqual([0, 1]);
    expect(records[0]).toMatchObject({ topic: 'orders', partition: 0, offset: '41', timestamp: '1700000000000', key: { value: 'k1' } });
    expect(records[0].value?.value).toEqual({ kind: 'struct', fields: { id: 9007199254740993n, note: 'a\nb' } });
    expect(records[1]).toMatchObject({ offset: '42', timestamp: '0', key: null, value: null });
  });

  it('reports a value that does not fit its schema by index and position, and goes on', () => {
    const text = ['t\t3\t7\t1', '', `{"schema":${ORDER},"payload":{"id":"x"}}`, 't\t3\t8\t1', '', `{"schema":${ORDER},"payload":{"id":1}}`, ''].join('\n');
    const { records, failures } = new RecordHandoff().read(text);
    expect(records.map((r) => r.offset)).toEqual(['8']);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ index: 0, stage: 'VALUE_CONVERTER' });
    expect(failures[0].error.message).toContain('topic t, partition 3, offset 7');
  });

  it('refuses a malformed position line', () => {
    expect(() => new RecordHandoff().read('t\t0\n\n\n')).toThrow(/record hand-off: line 1/);
  });
});
