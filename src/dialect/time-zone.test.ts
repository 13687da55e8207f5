import { SinkError } from '../errors';
import { isUtcZone, wallClockConverter, wallClockMicrosToUtc } from './time-zone';

const wall = (iso: string) => Date.parse(`${iso}Z`);
const utc = (ms: number) => new Date(ms).toISOString();

describe('wallClockConverter', () => {
  it('is the identity for UTC spellings', () => {
    for (const z of ['UTC', 'Etc/UTC', 'utc', 'GMT']) {
      expect(isUtcZone(z)).toBe(true);
      expect(wallClockConverter(z)(123)).toBe(123);
    }
    expect(isUtcZone('Europe/London')).toBe(false);
  });

  it('applies fixed and seasonal offsets', () => {
    expect(utc(wallClockConverter('Asia/Tokyo')(wall('2020-01-01T09:00:00.000')))).toBe('2020-01-01T00:00:00.000Z');
    const ny = wallClockConverter('America/New_York');
    expect(utc(ny(wall('2024-01-15T12:00:00.000')))).toBe('2024-01-15T17:00:00.000Z');
    expect(utc(ny(wall('2024-07-15T12:00:00.000')))).toBe('2024-07-15T16:00:00.000Z');
    expect(utc(wallClockConverter('Asia/Kolkata')(wall('2024-07-15T12:00:00.000')))).toBe('2024-07-15T06:30:00.000Z');
  });

  it('shifts a wall time in a DST gap forward by the gap (java.time ofLocal)', () => {
    // 2024-03-10 02:30 does not exist in New York; ofLocal gives 03:30 EDT = 07:30Z.
    expect(utc(wallClockConverter('America/New_York')(wall('2024-03-10T02:30:00.000')))).toBe('2024-03-10T07:30:00.000Z');
  });

  it('takes the earlier offset in a DST overlap (java.time ofLocal)', () => {
    // 2024-11-03 01:30 happens twice in New York; the first (EDT, -4) wins → 05:30Z.
    expect(utc(wallClockConverter('America/New_York')(wall('2024-11-03T01:30:00.000')))).toBe('2024-11-03T05:30:00.000Z');
    expect(utc(wallClockConverter('Europe/Berlin')(wall('2024-10-27T02:30:00.000')))).toBe('2024-10-27T00:30:00.000Z');
  });

  it('handles instants just around a transition', () => {
    const ny = wallClockConverter('America/New_York');
    expect(utc(ny(wall('2024-03-10T01:59:59.000')))).toBe('2024-03-10T06:59:59.000Z');
    expect(utc(ny(wall('2024-03-10T03:00:00.000')))).toBe('2024-03-10T07:00:00.000Z');
  });

  it('works far from 1970 (pre-1900 local mean time, far future)', () => {
    const ny = wallClockConverter('America/New_York');
    expect(utc(ny(wall('9999-06-01T00:00:00.000')))).toBe('9999-06-01T04:00:00.000Z');
    // New York kept local mean time (-4:56:02) until 1883-11-18.
    expect(utc(ny(wall('1800-01-01T00:00:00.000')))).toBe('1800-01-01T04:56:02.000Z');
  });

  it('rejects an unknown zone as a config error', () => {
    expect(() => wallClockConverter('Mars/Olympus')).toThrow(SinkError);
    expect(() => wallClockConverter('Mars/Olympus')).toThrow(/db.timezone/);
  });
});

describe('wallClockMicrosToUtc', () => {
  it('keeps the microseconds, also before 1970', () => {
    const tokyo = wallClockConverter('Asia/Tokyo');
    expect(wallClockMicrosToUtc(tokyo, 32_400_000_000n + 7n)).toBe(7n);
    expect(wallClockMicrosToUtc(tokyo, -1n)).toBe(-32_400_000_001n);
    expect(wallClockMicrosToUtc(wallClockConverter('UTC'), -1_999n)).toBe(-1_999n);
  });
});
