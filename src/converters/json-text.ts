/**
 * JSON text → values, with numbers kept exact.
 *
 * Fast path: the native JSON.parse, when a scan of the number literals (strings skipped) finds none
 * whose JavaScript number would differ from what the exact path makes of it. Then
 * `integersAsNumbers` is set: every integral number came from an integer literal. A literal is
 * fine for JSON.parse when it is
 * - an integer of at most 16 digits and at most 2^53 in magnitude (a double holds it exactly), not `-0`;
 * - a fraction or an exponent whose double is finite and not integral (so it cannot pass for an
 *   integer, and 1e400, 1e-400, `1.0`, `1e3` stay on the exact path) — when `numberLiterals` is
 *   set (a DECIMAL is to be read), only with at most 15 digits, which a double gives back exactly.
 *   Ordinary doubles as JavaScript prints them (`0.30000000000000004`, 17 digits, `1e-7`) are fine:
 *   every consumer that does not need the literal (a FLOAT or VARIANT, an inferred DOUBLE) reads
 *   the same double from either path.
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

/**
 * Parses JSON text; `what` names the data in errors (never quoting it). `numberLiterals`: a DECIMAL
 * may read a number, so a fraction with more digits than a double gives back must keep its literal.
 */
export function parseJsonText(text: string, what: string, numberLiterals = true): ParsedJson {
  const fast = !needsExactParse(text, numberLiterals);
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

/** 2^53: integers up to it in magnitude are exact doubles; its 16 digits compare as text with others of 16. */
const TWO_TO_53 = '9007199254740992';

/**
 * Whether a number literal in `text` needs lossless-json (see the top of this file). Strings are
 * skipped; malformed text may go either way (both parsers refuse it with the same error).
 */
function needsExactParse(text: string, numberLiterals: boolean): boolean {
  // Most texts hold none of these shapes anywhere (strings included): one regular-expression test
  // settles it in compiled code, where the scan below runs interpreted in the Kafka Connect plugin
  // (GraalJS). Every number the scan flags holds one of them.
  if (!MAYBE_INEXACT.test(text)) return false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = afterString(text, i);
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      if (c === 45) i++;
      const intStart = i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      const intDigits = i - intStart;
      let fracStart = i;
      let fracDigits = 0;
      if (text.charCodeAt(i) === 46 /* . */) {
        fracStart = ++i;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        fracDigits = i - fracStart;
      }
      let exponent = false;
      const e = text.charCodeAt(i);
      if (e === 101 || e === 69 /* e E */) {
        exponent = true;
        i++;
        const sign = text.charCodeAt(i);
        if (sign === 43 || sign === 45) i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
      }
      if (fracDigits === 0 && !exponent) {
        // An integer: exact as a double up to 2^53; -0 is the integer 0 on the exact path.
        if (intDigits > 16 || (intDigits === 16 && text.slice(intStart, i) > TWO_TO_53)) return true;
        if (c === 45 && intDigits === 1 && text.charCodeAt(intStart) === 48) return true;
        continue;
      }
      const digits = intDigits + fracDigits;
      if (!exponent && digits <= 15) {
        if (!hasNonZero(text, fracStart, i)) return true;
        continue;
      }
      if (numberLiterals && digits > 15) return true;
      if (!exponent && fractionKeepsDoubleNonIntegral(text, intDigits, fracStart, i)) continue;
      const v = Number(text.slice(start, i));
      if (!Number.isFinite(v) || Number.isInteger(v)) return true;
    } else {
      i++;
    }
  }
  return false;
}

/** An exponent, 16 digits (dots between them counted), a fraction of zeros or none, or -0. */
const MAYBE_INEXACT = /[0-9][eE]|[0-9][0-9.]{15}|[0-9]\.0*(?![0-9])|-0(?![.0-9])/;

/** Just past the string opening at `at` (its closing quote is the next one not escaped), or the end of the text. */
function afterString(text: string, at: number): number {
  for (let q = text.indexOf('"', at + 1); q >= 0; q = text.indexOf('"', q + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 92 /* \ */) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
  }
  return text.length;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hasNonZero(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) !== 48) return true;
  return false;
}

/**
 * Whether the digits alone show that `I.f` (I of `intDigits` digits) has no integral double, without
 * converting it: when the first 15 − intDigits digits of f hold a digit other than 0 and one other
 * than 9, the distance to the nearest integer is more than 10^(intDigits − 15), far more than half a
 * double's spacing there (below 10^intDigits × 1.2e-16).
 */
function fractionKeepsDoubleNonIntegral(text: string, intDigits: number, fracStart: number, fracEnd: number): boolean {
  const end = Math.min(fracEnd, fracStart + 15 - intDigits);
  let nonZero = false;
  let nonNine = false;
  for (let i = fracStart; i < end; i++) {
    const d = text.charCodeAt(i);
    if (d !== 48) nonZero = true;
    if (d !== 57) nonNine = true;
  }
  return nonZero && nonNine;
}

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
