import { parseBenchOptions } from './bench-options';

describe('bench options', () => {
  it('defaults to the full size with every scenario', () => {
    const o = parseBenchOptions([]);
    expect(o.size).toBe('full');
    expect(o.records).toBe(1_000_000);
    expect(o.runs).toBe(3);
    expect(o.only).toEqual(['converter', 'ceilings', 'append', 'append-exactly-once', 'upsert', 'json', 'connect-plugin', 'evolution', 'latency']);
    expect(o).toMatchObject({ connectRecords: 200_000, connectPasses: 3, connectRuns: 1 });
    expect(o.out).toBe('reports/bench.json');
  });

  it('takes the smoke size from the flag or BENCH_SIZE, and flags override its numbers', () => {
    expect(parseBenchOptions(['--size', 'smoke']).records).toBe(20_000);
    expect(parseBenchOptions([], { BENCH_SIZE: 'smoke' }).size).toBe('smoke');
    const o = parseBenchOptions(['--size=smoke', '--records', '5000', '--keys=100', '--only', 'append,latency', '--sink', 'source']);
    expect(o).toMatchObject({ records: 5000, keys: 100, only: ['append', 'latency'], sink: 'source' });
  });

  it('leaves the Kafka Connect workers out of the smoke size unless asked for', () => {
    expect(parseBenchOptions(['--size', 'smoke']).only).not.toContain('connect-plugin');
    expect(parseBenchOptions(['--size', 'smoke', '--only', 'connect-plugin', '--connect-records', '3000']).only).toEqual(['connect-plugin']);
    expect(parseBenchOptions(['--connect-passes', '4']).connectPasses).toBe(4);
  });

  it('names what is wrong', () => {
    expect(() => parseBenchOptions(['--size', 'huge'])).toThrow('allowed values are smoke, full');
    expect(() => parseBenchOptions(['--records', '-3'])).toThrow('positive integer');
    expect(() => parseBenchOptions(['--only', 'append,bogus'])).toThrow('bogus');
    expect(() => parseBenchOptions(['--frobnicate'])).toThrow('unknown option --frobnicate');
    expect(() => parseBenchOptions(['--records'])).toThrow('needs a value');
    expect(() => parseBenchOptions(['--records', '10', '--keys', '20'])).toThrow('larger than');
    expect(() => parseBenchOptions(['--connect-passes', '1'])).toThrow('at least 2');
  });
});
