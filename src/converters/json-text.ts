/**
 * JSON text → values, with numbers kept exact.
 *
 * Fast path: when a quick scan finds no number a double could misrepresent (integers of at most 15
 * digits, non-integral fractions of at most 15 digits, no exponents), the native JSON.parse runs
 * and `integersAsNumbers` is set: every integral number came from an integer literal.
 * Otherwise lossless-json parses: an integer literal becomes a bigint, whatever its size; any other
 * number a JS number when it has at most 15 significant digits (a double holds those exactly),
 * else a `JsonBigFloat` holding the literal, so a DECIMAL can still be exact.
 * Either way, of duplicate keys the last one wins, as with Jackson (Kafka Connect's parser).
 */
import { parse } from 'lossless-json';
import type { VariantValue } from '../record/schema';
import { undecodable } from './converter-errors';
import { decodeUtf8 } from './strict-utf8';

/** A non-integer JSON number with more digits than a double keeps exactly. */
export class JsonBigFloat {
  constructor(readonly text: string) {}
  toNumber(): number {
    return Number(this.text);
  }
}

export type JsonValue = null | boolean | string | number | bigint | JsonBigFloat | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

let sawBigFloat = false;

function parseNumber(text: string): number | bigint | JsonBigFloat {
  let digits = 0;
  let integer = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46) integer = false;
    else if (c === 101 || c === 69) {
      integer = false;
      break;
    }
  }
  if (integer) return BigInt(text);
  if (digits <= 15) {
    const n = Number(text);
    // 1e400 and 1e-400 have few digits but no double: kept as text, refused where a double is needed.
    if (doubleHolds(text, n)) return n;
  }
  sawBigFloat = true;
  return new JsonBigFloat(text);
}

/** Whether `n` = Number(text) is the number itself up to rounding: finite, and not a non-zero literal that underflowed to 0. */
function doubleHolds(text: string, n: number): boolean {
  return Number.isFinite(n) && (n !== 0 || !/[1-9]/.test(text.split(/[eE]/)[0]));
}

/**
 * The double a JSON number stands for, or undefined when no double holds it: beyond ±1.8e308 (it
 * would be stored as ±inf) or a non-zero smaller than 5e-324 (it would be stored as 0). Callers
 * refuse such a record (VALUE_OUT_OF_RANGE), as they refuse an integer beyond its type.
 */
export function doubleOf(v: number | JsonBigFloat): number | undefined {
  if (typeof v === 'number') return v;
  const n = v.toNumber();
  return doubleHolds(v.text, n) ? n : undefined;
}

const PARSE_OPTIONS = { parseNumber, onDuplicateKey: (info: { newValue: unknown }) => info.newValue };

export interface ParsedJson {
  value: JsonValue;
  /** Whether a JsonBigFloat occurs anywhere in `value` (otherwise it is plain JSON already). */
  hasBigFloat: boolean;
  /** Fast path: integer literals are JS numbers, and an integral number always was one. */
  integersAsNumbers: boolean;
}

let lastParsed: ParsedJson = { value: null, hasBigFloat: false, integersAsNumbers: false };

/** Parses JSON text; `what` names the data in errors (never quoting it). */
export function parseJsonText(text: string, what: string): ParsedJson {
  const fast = !needsExactParse(text);
  sawBigFloat = false;
  let value: JsonValue;
  try {
    value = fast ? (JSON.parse(text) as JsonValue) : (parse(text, null, PARSE_OPTIONS) as JsonValue);
  } catch {
    throw undecodable(`${what} is not valid JSON`);
  }
  lastParsed = { value, hasBigFloat: sawBigFloat, integersAsNumbers: fast };
  return lastParsed;
}

/**
 * Whether a number in `text` needs lossless-json: an integer of 16+ digits, an exponent, a
 * fraction of zeros (JSON.parse would make `1.0` look like the integer 1), or 16+ digits in a
 * fraction. Strings are skipped; malformed text returns true (lossless-json then reports it).
 */
function needsExactParse(text: string): boolean {
  // Most texts have none of these shapes anywhere (strings included): one regular-expression test
  // then settles it, in compiled code where the scan below would run interpreted (GraalJS in the
  // Kafka Connect plugin). In valid JSON every number the scan flags contains one of them.
  if (!MAYBE_INEXACT.test(text)) return false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
      i++;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let digits = 0;
      let dot = false;
      let nonZeroFraction = false;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d >= 48 && d <= 57) {
          digits++;
          if (dot && d !== 48) nonZeroFraction = true;
        } else if (d === 46 /* . */) dot = true;
        else if (d === 101 || d === 69 || d === 43 /* e E + */) return true;
        else if (d !== 45) break;
      }
      if (digits > 15 || (dot && !nonZeroFraction)) return true;
    } else {
      i++;
    }
  }
  return false;
}

/** A digit before an exponent, a run of 16 digits or dots from a digit (16+ digits), a fraction of zeros or none. */
const MAYBE_INEXACT = /[0-9][eE+]|[0-9][0-9.]{15}|[0-9]\.0*(?![0-9])/;

/** Strict UTF-8, then JSON; a leading byte order mark is skipped. */
export function decodeJsonText(bytes: Buffer, start: number, what: string): string {
  let text = decodeUtf8(bytes, start, bytes.length, what);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/**
 * The flags of the most recent `parseJsonText`. Conversion runs synchronously right after parsing,
 * so compiled converters use this instead of re-walking every variant.
 */
export function lastParse(): ParsedJson {
  return lastParsed;
}

/** JSON for a VARIANT: JsonBigFloat → number, in place (only walked when one occurs). */
export function toVariantJson(value: JsonValue, hasBigFloat: boolean): VariantValue {
  return hasBigFloat ? replaceBigFloats(value) : (value as VariantValue);
}

function replaceBigFloats(value: JsonValue): VariantValue {
  if (value instanceof JsonBigFloat) return value.toNumber();
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = replaceBigFloats(value[i]) as JsonValue;
  } else if (value !== null && typeof value === 'object') {
    // Own properties only (lossless-json defines `__proto__` as one), so assignment is safe.
    for (const key of Object.keys(value)) {
      const inner = value[key];
      if (inner !== null && typeof inner === 'object') value[key] = replaceBigFloats(inner) as JsonValue;
    }
  }
  return value as VariantValue;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof JsonBigFloat);
}

/** Where the members of a top-level object sit in the text, without parsing their values. */
export interface ObjectMembers {
  [key: string]: { start: number; end: number };
}

/**
 * Finds the top-level members of an object by scanning brackets and strings only: lets the
 * JsonConverter envelope's schema be looked up by its text before anything is parsed. Returns
 * undefined for anything unusual; the caller then parses the whole text, which reports the error.
 * Member values are not validated here: the caller parses each one it uses.
 */
export function scanObjectMembers(text: string): ObjectMembers | undefined {
  const n = text.length;
  let i = skipWhitespace(text, 0);
  if (text.charCodeAt(i) !== 123 /* { */) return undefined;
  i = skipWhitespace(text, i + 1);
  const members: ObjectMembers = Object.create(null) as ObjectMembers;
  if (text.charCodeAt(i) === 125 /* } */) return skipWhitespace(text, i + 1) === n ? members : undefined;
  for (;;) {
    if (text.charCodeAt(i) !== 34 /* " */) return undefined;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return undefined;
    const rawKey = text.slice(i + 1, keyEnd - 1);
    const key = rawKey.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : rawKey;
    i = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(i) !== 58 /* : */) return undefined;
    const start = skipWhitespace(text, i + 1);
    const end = skipValue(text, start);
    if (end < 0) return undefined;
    members[key] = { start, end };
    i = skipWhitespace(text, end);
    const c = text.charCodeAt(i);
    if (c === 44 /* , */) {
      i = skipWhitespace(text, i + 1);
      continue;
    }
    if (c === 125 /* } */) return skipWhitespace(text, i + 1) === n ? members : undefined;
    return undefined;
  }
}

function skipWhitespace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** From an opening quote to just past the closing one; -1 if unterminated. */
function skipString(text: string, i: number): number {
  const n = text.length;
  for (i++; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34) return i + 1;
  }
  return -1;
}

function skipValue(text: string, i: number): number {
  const n = text.length;
  const first = text.charCodeAt(i);
  if (first === 34) return skipString(text, i);
  if (first === 123 || first === 91) {
    let depth = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i = skipString(text, i) - 1;
        if (i < 0) return -1;
      } else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  const start = i;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 125 || c === 93 || c === 32 || c === 10 || c === 13 || c === 9) break;
    i++;
  }
  return i > start ? i : -1;
}
