/**
 * Exact text forms of single values, shared by the CSV row encoder, SQL literals and JSON.
 * No schema walks here: callers pick the function once per column.
 *
 * Ranges verified on the embedded engine (databend 1.2.895):
 * - DATE loads 0000-01-01 … 9999-12-31; `-0001-01-01` and `10000-01-01` are rejected.
 * - TIMESTAMP loads 0001-01-01 00:00:00 UTC … 9999-12-30 22:00:00.999999 UTC (the jiff library's
 *   range); earlier values are silently CLAMPED to 0001-01-01 and later ones rejected, so both are
 *   refused here with VALUE_OUT_OF_RANGE before they reach the engine.
 * - Zone-less timestamp text is read in the SESSION time zone (with `timezone='Asia/Tokyo'`,
 *   `2020-01-01 00:00:00` loaded as 2019-12-31 15:00 UTC); text with `+00:00` is exact in any
 *   session, in CSV scalars, CSV arrays and SQL literals alike. We therefore always write `+00:00`.
 */
import { SinkError } from '../errors';
import type { Decimal, VariantValue } from '../record/schema';

const MICROS_PER_DAY = 86_400_000_000;
const MICROS_PER_DAY_N = 86_400_000_000n;

export const MIN_DATE_DAYS = -719_528; // 0000-01-01
export const MAX_DATE_DAYS = 2_932_896; // 9999-12-31
export const MIN_TIMESTAMP_MICROS = -62_135_596_800_000_000n; // 0001-01-01 00:00:00 UTC
export const MAX_TIMESTAMP_MICROS = 253_402_207_200_999_999n; // 9999-12-30 22:00:00.999999 UTC

function outOfRange(message: string): SinkError {
  return new SinkError('VALUE_OUT_OF_RANGE', message);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function pad4(n: number): string {
  return n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : `${n}`;
}

function pad6(n: number): string {
  const s = `${n}`;
  return s.length >= 6 ? s : '000000'.slice(s.length) + s;
}

/** Civil date from days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm). */
function civil(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

/**
 * Texts of the days seen: values of a batch (dates, the day part of timestamps) mostly fall on a few
 * days, and `civil` builds several strings. Keyed by day rather than holding the last one, since the
 * columns of a row (an order's timestamp, its shipping date) alternate between days. Bounded.
 */
const dayTexts = new Map<number, string>();
const DAY_TEXTS_MAX = 4096;

function civilCached(days: number): string {
  let text = dayTexts.get(days);
  if (text === undefined) {
    if (dayTexts.size >= DAY_TEXTS_MAX) dayTexts.clear();
    text = civil(days);
    dayTexts.set(days, text);
  }
  return text;
}

/** `YYYY-MM-DD` for days since the epoch; VALUE_OUT_OF_RANGE outside 0000-01-01 … 9999-12-31. */
export function dateText(days: number): string {
  if (!Number.isInteger(days) || days < MIN_DATE_DAYS || days > MAX_DATE_DAYS) {
    throw outOfRange(`date ${days} (days since 1970-01-01) is outside Databend's DATE range 0000-01-01 … 9999-12-31`);
  }
  return civilCached(days);
}

/**
 * `HH:MM:SS.` of each second of the day, filled as seen: values of a batch mostly fall in few
 * seconds, and the text takes several intermediate strings to build.
 */
const secondTexts: (string | undefined)[] = [];

function secondText(secs: number): string {
  let text = secondTexts[secs];
  if (text === undefined) {
    const h = Math.floor(secs / 3600);
    const mi = Math.floor((secs - h * 3600) / 60);
    text = `${pad2(h)}:${pad2(mi)}:${pad2(secs - h * 3600 - mi * 60)}.`;
    secondTexts[secs] = text;
  }
  return text;
}

function clock(microsOfDay: number): string {
  const secs = Math.floor(microsOfDay / 1_000_000);
  return secondText(secs) + pad6(microsOfDay - secs * 1_000_000);
}

/** `HH:MM:SS.ffffff` for microseconds since midnight. */
export function timeText(micros: bigint | number): string {
  const n = Number(micros);
  if (!Number.isInteger(n) || n < 0 || n >= MICROS_PER_DAY) {
    throw outOfRange(`time of day ${micros} µs is outside 00:00:00 … 23:59:59.999999`);
  }
  return clock(n);
}

/**
 * `YYYY-MM-DD HH:MM:SS.ffffff` (UTC, no zone suffix) for microseconds since the epoch;
 * `separator` 'T' gives the RFC 3339 body. VALUE_OUT_OF_RANGE outside Databend's TIMESTAMP range.
 */
export function timestampText(micros: bigint, separator: ' ' | 'T' = ' '): string {
  if (micros < MIN_TIMESTAMP_MICROS || micros > MAX_TIMESTAMP_MICROS) {
    throw outOfRange(`timestamp ${micros} µs is outside Databend's TIMESTAMP range 0001-01-01 00:00:00 … 9999-12-30 22:00:00.999999 UTC`);
  }
  let days: number;
  let rest: number;
  const n = Number(micros);
  if (Number.isSafeInteger(n)) {
    days = Math.floor(n / MICROS_PER_DAY);
    rest = n - days * MICROS_PER_DAY;
  } else {
    let d = micros / MICROS_PER_DAY_N;
    let r = micros - d * MICROS_PER_DAY_N;
    if (r < 0n) {
      d -= 1n;
      r += MICROS_PER_DAY_N;
    }
    days = Number(d);
    rest = Number(r);
  }
  return `${civilCached(days)}${separator}${clock(rest)}`;
}

const TEN = 10n;

/**
 * Plain decimal text (`-12.345`, `0.001`, `42`) with exactly `scale` fraction digits. The value is
 * rescaled exactly when its own scale differs (VALUE_OUT_OF_RANGE if that would drop non-zero
 * digits); more than `precision` digits (when precision > 0) is VALUE_OUT_OF_RANGE.
 */
export function decimalText(value: Decimal, scale: number, precision: number): string {
  let u = value.unscaled;
  if (value.scale !== scale) {
    if (value.scale < scale) u *= TEN ** BigInt(scale - value.scale);
    else {
      const div = TEN ** BigInt(value.scale - scale);
      if (u % div !== 0n) throw outOfRange(`decimal ${decimalText(value, value.scale, 0)} has more than ${scale} fraction digits`);
      u /= div;
    }
  }
  const negative = u < 0n;
  const digits = (negative ? -u : u).toString();
  if (precision > 0 && digits.length > precision && u !== 0n) {
    throw outOfRange(`decimal ${decimalText({ unscaled: u, scale }, scale, 0)} does not fit DECIMAL(${precision}, ${scale})`);
  }
  let body: string;
  if (scale <= 0) body = digits;
  else {
    const padded = digits.length > scale ? digits : '0'.repeat(scale - digits.length + 1) + digits;
    body = `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  }
  return negative ? `-${body}` : body;
}

/**
 * Shortest text that reads back as exactly `n` (ECMAScript's Number→String is shortest-round-trip).
 * -0 keeps its sign; NaN/Infinity/-Infinity as is (Databend's CSV loader accepts `NaN`, `Infinity`,
 * `-Infinity`, `inf` for top-level FLOAT/DOUBLE fields — but NOT inside arrays; callers decide).
 */
export function floatText(n: number): string {
  if (n === 0 && 1 / n < 0) return '-0';
  return String(n);
}

/** RECORD error for strings that are not valid Unicode (lone UTF-16 surrogates cannot be written as UTF-8). */
export function checkWellFormed(s: string): string {
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) {
    throw new SinkError('RECORD_UNDECODABLE', 'string contains a lone UTF-16 surrogate: it is not valid Unicode and cannot be written as UTF-8');
  }
  return s;
}

/** JSON string literal of a well-formed string. */
export function jsonString(s: string): string {
  return JSON.stringify(checkWellFormed(s));
}

function isDecimal(v: object): v is Decimal {
  return typeof (v as Decimal).unscaled === 'bigint' && typeof (v as Decimal).scale === 'number';
}

/**
 * JSON text of a schemaless variant value: bigint exact, Buffers as base64 strings, Decimal objects
 * as exact JSON numbers. Non-finite numbers have no JSON form (Databend would store null: verified
 * `1e400` → null) and are VALUE_OUT_OF_RANGE.
 */
export function variantJson(v: VariantValue | Buffer | Decimal): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw outOfRange(`${v} cannot be written in a JSON (VARIANT) value`);
      return floatText(v);
    case 'bigint':
      return v.toString();
    case 'string':
      return jsonString(v);
    default:
      break;
  }
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + variantJson(v[i]);
    return out + ']';
  }
  if (Buffer.isBuffer(v)) return `"${v.toString('base64')}"`;
  if (isDecimal(v)) return decimalText(v, v.scale, 0);
  let out = '{';
  let first = true;
  for (const k of Object.keys(v)) {
    out += (first ? '' : ',') + jsonString(k) + ':' + variantJson((v as Record<string, VariantValue>)[k]);
    first = false;
  }
  return out + '}';
}
