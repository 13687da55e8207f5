import { median, percentile, rate, summarize } from './stats';

describe('bench stats', () => {
  it('takes the median of odd and even counts without reordering the input', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('summarises runs as median, min–max and relative spread', () => {
    expect(summarize([100, 90, 110])).toEqual({ runs: [100, 90, 110], median: 100, min: 90, max: 110, spread: 0.2 });
    expect(summarize([]).median).toBeNaN();
  });

  it('uses nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(() => percentile(values, 101)).toThrow('outside');
  });

  it('turns a count and milliseconds into a rate', () => {
    expect(rate(50_000, 1000)).toBe(50_000);
    expect(rate(1, 0)).toBeNaN();
  });
});
