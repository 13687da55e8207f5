import { planOptions } from '../../test-support/plan-options';
import { BatchPlanner, type BatchPlanOptions } from '../planner/batch-plan';
import { RecordHandoff } from './record-handoff';
import { RowPrograms, type RowProgramSpec } from './row-programs';

const KEY = '{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"}],"optional":false,"name":"Key"}';
const ORDER =
  '{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":true,"field":"note"},{"type":"double","optional":false,"field":"amount"},{"type":"boolean","optional":false,"field":"ok"},{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"at"}],"optional":false,"name":"Order"}';

function programs(over: Partial<BatchPlanOptions> = {}): { planner: BatchPlanner; programs: RowPrograms } {
  const planner = new BatchPlanner(planOptions(over));
  return { planner, programs: new RowPrograms((k, v) => planner.shapeFor(k, v)) };
}

describe('RowPrograms', () => {
  it('describes the planned shape column by column: where each value comes from, its kind, and whether the column takes a null (value columns all do)', () => {
    const spec = JSON.parse(programs({ pkMode: 'kafka' }).programs.define(KEY, ORDER)) as RowProgramSpec;
    expect(spec.id).toBe(0);
    expect(spec.columns).toEqual([
      { from: 'topic', field: null, kind: 'string', nullable: false },
      { from: 'partition', field: null, kind: 'int', nullable: false },
      { from: 'offset', field: null, kind: 'int', nullable: false },
      { from: 'value', field: 'id', kind: 'int', nullable: true },
      { from: 'value', field: 'note', kind: 'string', nullable: true },
      { from: 'value', field: 'amount', kind: 'float', nullable: true },
      { from: 'value', field: 'ok', kind: 'bool', nullable: true },
      { from: 'value', field: 'at', kind: 'timestamp', nullable: true },
    ]);
  });

  it('gives decimals their scale and digit limit, and programs Connect Dates and Times', () => {
    const typed = ORDER.replace(
      '{"type":"double","optional":false,"field":"amount"}',
      '{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2","connect.decimal.precision":"6"},"field":"amount"},{"type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","field":"day"},{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","field":"tod"}',
    );
    const spec = JSON.parse(programs().programs.define('', typed)) as RowProgramSpec;
    expect(spec.columns.filter((c) => ['amount', 'day', 'tod'].includes(c.field ?? ''))).toEqual([
      { from: 'value', field: 'amount', kind: 'decimal', nullable: true, scale: 2, maxDigits: 6 },
      { from: 'value', field: 'day', kind: 'date', nullable: true },
      { from: 'value', field: 'tod', kind: 'time', nullable: true },
    ]);
  });

  it('reads key fields from the key (pk.mode=record_key)', () => {
    const spec = JSON.parse(programs({ pkMode: 'record_key', pkFields: ['id'], insertMode: 'upsert' }).programs.define(KEY, ORDER)) as RowProgramSpec;
    expect(spec.columns[0]).toEqual({ from: 'key', field: 'id', kind: 'int', nullable: false });
  });

  it('leaves to the general path schemas with a column it has no kind for, values that are not structs, and schemas the planner refuses', () => {
    const { programs: p } = programs({ pkMode: 'record_value', pkFields: ['missing'] });
    const withBytes = ORDER.replace('{"type":"double","optional":false,"field":"amount"}', '{"type":"bytes","optional":false,"field":"amount"}');
    expect(programs().programs.define('', withBytes)).toBe('null');
    const withMicros = ORDER.replace('"name":"org.apache.kafka.connect.data.Timestamp"', '"name":"io.debezium.time.MicroTimestamp"');
    expect(programs().programs.define('', withMicros)).toBe('null');
    expect(programs().programs.define('', '{"type":"string","optional":false}')).toBe('null');
    expect(p.define('', ORDER)).toBe('null');
    expect(programs().programs.define('', '{"type":"nonsense"}')).toBe('null');
  });

  it('hands the records of a program to the planner with their row as the Java side wrote it', () => {
    const { planner, programs: p } = programs({ insertMode: 'upsert', pkMode: 'record_value', pkFields: ['id'] });
    const { id } = JSON.parse(p.define(KEY, ORDER)) as RowProgramSpec;
    const row = (...f: string[]) => f.join('\u001f');
    const text = [`t\t0\t5\t17\t${id}`, '', row('1', '\u001e', '2.5', 'true', '2023-11-14 22:13:20.000000+00:00'), `t\t0\t6\t\t${id}`, '', row('1', 'say "hi"', '0.1', 'false', '1970-01-01 00:00:00.000000+00:00'), ''].join('\n');
    const { records, failures } = new RecordHandoff(p).read(text);
    expect(failures).toEqual([]);
    expect(records.map((r) => [r.offset, r.timestamp])).toEqual([['5', '17'], ['6', '0']]);
    expect(records[0].encoded?.fields).toEqual(['1', null, '2.5', 'true', '2023-11-14 22:13:20.000000+00:00']);
    expect(() => (records[0].value?.value as { fields: unknown }).fields).toThrow(/only its row exists/);
    const plan = planner.plan(records);
    expect(plan.operations).toHaveLength(1);
    expect(plan.operations[0]).toMatchObject({ kind: 'upsert', rows: [['1', 'say "hi"', '0.1', 'false', '1970-01-01 00:00:00.000000+00:00']] });
    expect(plan.superseded.map((r) => r.offset)).toEqual(['5']);
  });

  it('turns U+001D in a row back into the newline the Java side carried it as', () => {
    const { programs: p } = programs();
    const { id } = JSON.parse(p.define('', ORDER)) as RowProgramSpec;
    const row = ['1', 'call first\u001dsecond line\u001d', '2.5', 'true', '1970-01-01 00:00:00.000000+00:00'].join('\u001f');
    const { records } = new RecordHandoff(p).read(`t\t0\t1\t\t${id}\n\n${row}\n`);
    expect(records[0].encoded?.fields).toEqual(['1', 'call first\nsecond line\n', '2.5', 'true', '1970-01-01 00:00:00.000000+00:00']);
  });

  it('refuses a row whose field count is not its program\'s, and an unknown program (internal errors: never guessed)', () => {
    const { programs: p } = programs();
    const { id } = JSON.parse(p.define('', ORDER)) as RowProgramSpec;
    expect(() => new RecordHandoff(p).read(`t\t0\t1\t\t${id}\n\n1\u001f2\n`)).toThrow(/a row of 2 fields for 5 columns \(topic t, partition 0, offset 1\)/);
    p.reset();
    expect(() => new RecordHandoff(p).read(`t\t0\t1\t\t${id}\n\n1\n`)).toThrow(/no row program 0/);
  });
});
