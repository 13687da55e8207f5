/**
 * Zone-less (Avro local-timestamp-*) values are wall-clock times; `db.timezone` says where that wall
 * clock hangs. This turns a wall-clock instant into the UTC instant, with Intl for the zone rules.
 *
 * Gaps and overlaps follow java.time's `ZonedDateTime.ofLocal` (what Kafka Connect users expect):
 * a wall time inside a DST gap is shifted forward by the gap's length; in an overlap the earlier
 * offset (the one before the transition) wins.
 */
import { SinkError } from '../errors';

const MS_PER_DAY = 86_400_000;
const UTC_NAMES = new Set(['UTC', 'ETC/UTC', 'ETC/UCT', 'UCT', 'GMT', 'ETC/GMT', 'ZULU', 'ETC/ZULU', 'UNIVERSAL', 'ETC/UNIVERSAL']);

/** Converts wall-clock milliseconds (as if UTC) to UTC milliseconds. */
export type WallClockConverter = (wallMs: number) => number;

export function isUtcZone(zone: string): boolean {
  return UTC_NAMES.has(zone.toUpperCase());
}

/** CONFIG_INVALID when Intl does not know the zone. */
export function wallClockConverter(zone: string): WallClockConverter {
  if (isUtcZone(zone)) return (ms) => ms;
  let dtf: Intl.DateTimeFormat;
  try {
    dtf = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch (err) {
    throw new SinkError('CONFIG_INVALID', `db.timezone ${JSON.stringify(zone)} is not a known IANA time zone`, undefined, { cause: err });
  }

  /** Offset (ms) of the zone at a UTC instant, to the second. */
  const offsetAt = (utcMs: number): number => {
    const whole = Math.floor(utcMs / 1000) * 1000;
    const f: Record<string, string> = {};
    for (const p of dtf.formatToParts(whole)) f[p.type] = p.value;
    let year = Number(f.year);
    if (f.era === 'BC' || f.era === 'B') year = 1 - year;
    const d = new Date(0);
    d.setUTCFullYear(year, Number(f.month) - 1, Number(f.day));
    d.setUTCHours(Number(f.hour), Number(f.minute), Number(f.second), 0);
    return d.getTime() - whole;
  };

  // A day whose neighbourhood (one day either side) has a single offset converts with that offset.
  const stableOffsetByDay = new Map<number, number | null>();
  const dayOffset = (day: number): number | null => {
    let o = stableOffsetByDay.get(day);
    if (o === undefined) {
      const before = offsetAt((day - 1) * MS_PER_DAY);
      const after = offsetAt((day + 2) * MS_PER_DAY);
      o = before === after && offsetAt((day + 1) * MS_PER_DAY) === before ? before : null;
      if (stableOffsetByDay.size > 50_000) stableOffsetByDay.clear();
      stableOffsetByDay.set(day, o);
    }
    return o;
  };

  return (wallMs) => {
    const stable = dayOffset(Math.floor(wallMs / MS_PER_DAY));
    if (stable !== null) return wallMs - stable;
    const before = offsetAt(wallMs - MS_PER_DAY);
    const after = offsetAt(wallMs + MS_PER_DAY);
    if (offsetAt(wallMs - before) === before) return wallMs - before; // valid (earlier offset wins in an overlap)
    if (offsetAt(wallMs - after) === after) return wallMs - after;
    return wallMs - before; // gap: shifted forward by the gap's length
  };
}

/** Wall-clock microseconds → UTC microseconds, exact to the microsecond. */
export function wallClockMicrosToUtc(convert: WallClockConverter, wallMicros: bigint): bigint {
  const ms = wallMicros / 1000n - (wallMicros % 1000n < 0n ? 1n : 0n);
  const sub = wallMicros - ms * 1000n;
  return BigInt(convert(Number(ms))) * 1000n + sub;
}
