/**
 * SQL literals for values (DELETE/UPDATE key predicates) and column DEFAULT clauses.
 *
 * Verified on the embedded engine: `DELETE … WHERE (k, ts, d, dec, b, bo) IN ((-9223372036854775808,
 * '1969-12-31 23:59:59.999999+00:00', '1969-12-31', -1.50, FROM_HEX('00ff'), TRUE))` matches the row;
 * DEFAULTs `'a''b\\c'`, `-128`, `'1.5'::DOUBLE` (floats are always string casts, see value-encoders.ts),
 * `true`, `'2020-01-01'`, `'2020-01-01 00:00:00.000001+00:00'`, `12.30`, `[1, 2]`, `['x', 'y']`,
 * `'{"a":1}'` (VARIANT), `'NaN'::DOUBLE`, `-9223372036854775808` all work.
 * A BINARY DEFAULT is evaluated through a string cast, so `X'00ff'` / `FROM_HEX('00ff')` fail with
 * "invalid utf8 sequence": only UTF-8 byte strings can be defaults; others get no DEFAULT.
 */
import { SinkError } from '../errors';
import type { Schema, Value } from '../record/schema';
import { sqlStringLiteral } from './identifiers';
import { columnTypeFor } from './type-mapping';
import { type EncoderContext, UTC_CONTEXT, jsonEncoder, sqlEncoder } from './value-encoders';

/** SQL literal of `value` (NULL for null). Throws the encoders' SinkErrors (VALUE_OUT_OF_RANGE, …). */
export function sqlLiteral(value: Value, schema: Schema, ctx: EncoderContext = UTC_CONTEXT): string {
  if (value === null || value === undefined) return 'NULL';
  return sqlEncoder(schema, ctx)(value);
}

function hasBytes(schema: Schema): boolean {
  return (schema.type === 'BYTES' && !schema.logical) || (schema.type === 'ARRAY' && !!schema.items && hasBytes(schema.items));
}

/**
 * The DEFAULT expression for a schema default, or undefined when Databend cannot hold it as a
 * default (non-UTF-8 bytes, or a default value that is itself invalid for the type).
 */
export function defaultLiteral(value: Value, schema: Schema): string | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    const type = columnTypeFor(schema);
    if (type.kind === 'VARIANT') return sqlStringLiteral(jsonEncoder(schema, UTC_CONTEXT)(value));
    if (schema.type === 'BYTES' && !schema.logical) {
      if (!Buffer.isBuffer(value)) return undefined;
      const text = value.toString('utf8');
      return Buffer.from(text, 'utf8').toString('hex') === value.toString('hex') ? sqlStringLiteral(text) : undefined;
    }
    if (hasBytes(schema)) return undefined;
    return sqlEncoder(schema, UTC_CONTEXT)(value);
  } catch (err) {
    if (err instanceof SinkError) return undefined;
    throw err;
  }
}
