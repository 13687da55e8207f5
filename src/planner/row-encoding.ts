/**
 * Record → one row of field texts, compiled once per table shape (an array of per-column getters +
 * the dialect's value encoders; no schema walk per row). The planner encodes each value here, once:
 * the collapse of upserts and the table fit work on these texts, and dialect/encode-rows.ts turns
 * them into the CSV bytes or the `VALUES` list without touching a value again.
 *
 * A row holding a value the CSV cannot (an empty BINARY, see `csvCannotHold`) is encoded as SQL
 * literals instead (form `sql`), for `INSERT/REPLACE … VALUES ${encodeSqlValues(rows)}`.
 */
import { SinkError } from '../errors';
import type { SinkRecord } from '../record/sink-record';
import type { Value } from '../record/schema';
import type { Row } from '../dialect/encode-rows';
import type { ColumnSpec, TableShape } from './table-shape';
import { wallClockConverter } from '../dialect/time-zone';
import { type Encoder, type EncoderContext, csvCannotHold, csvFieldEncoder, sqlEncoder } from '../dialect/value-encoders';

export { sqlLiteral, defaultLiteral } from '../dialect/sql-literal';

/** `csv`: CSV field texts for the stage load (`encodeCsv`); `sql`: SQL literals (`encodeSqlValues`). */
export type RowForm = 'csv' | 'sql';
export interface EncodedRow {
  form: RowForm;
  fields: Row;
}
export type RowEncoder = (record: SinkRecord) => EncodedRow;

export interface RowEncoderOptions {
  /** `db.timezone`: where zone-less (local) timestamps hang. */
  timezone: string;
}

export function encoderContext(options: RowEncoderOptions): EncoderContext {
  return { wallClock: wallClockConverter(options.timezone) };
}

type Getter = (record: SinkRecord) => Value | undefined;

function getter(column: ColumnSpec): Getter {
  const s = column.source;
  switch (s.from) {
    case 'kafka':
      if (s.field === 'topic') return (r) => r.topic;
      if (s.field === 'partition') return (r) => r.partition;
      return (r) => BigInt(r.offset);
    case 'key':
      if (s.field === null) return (r) => r.key?.value;
      return structFieldGetter('key', s.field);
    case 'value':
      return structFieldGetter('value', s.field);
  }
}

/**
 * `record[side].value.fields[name]` as a function of its own: each column's property load then sees
 * one constant name (a monomorphic load), where one shared function would see every column's name.
 */
function structFieldGetter(side: 'key' | 'value', name: string): Getter {
  const body = `const sv = r.${side}; if (sv === null || sv === undefined) return undefined; const c = sv.value; if (c === null || c === undefined) return undefined; const f = c.fields; return f === undefined ? undefined : f[${JSON.stringify(name)}];`;
  return new Function('r', body) as Getter;
}

/**
 * Compiles the shape into a row encoder: CSV field texts, or SQL literals when a value of the row has
 * no CSV form. Throws SinkError (no position; the caller pins it) for a bad value.
 */
export function compileRowEncoder(shape: TableShape, ctx: EncoderContext): RowEncoder {
  const n = shape.columns.length;
  const getters = shape.columns.map(getter);
  const csvEncoders = shape.columns.map((c) => csvFieldEncoder(c.schema, ctx));
  const csvTests = shape.columns.flatMap((c, i) => {
    const cannotHold = csvCannotHold(c.schema);
    return cannotHold ? [{ get: getters[i], cannotHold }] : [];
  });
  const sqlEncoders: Encoder[] = csvTests.length > 0 ? shape.columns.map((c) => sqlEncoder(c.schema, ctx)) : csvEncoders;
  const required = shape.columns.map((c) => !c.nullable);
  const names = shape.columns.map((c) => c.name);
  const formOf = (record: SinkRecord): RowForm => {
    for (const { get, cannotHold } of csvTests) {
      const v = get(record);
      if (v !== null && v !== undefined && cannotHold(v)) return 'sql';
    }
    return 'csv';
  };
  return (record) => {
    const form: RowForm = csvTests.length === 0 ? 'csv' : formOf(record);
    const encoders = form === 'csv' ? csvEncoders : sqlEncoders;
    const row: Row = new Array(n);
    let i = 0;
    try {
      for (; i < n; i++) {
        const v = getters[i](record);
        if (v === null || v === undefined) {
          if (required[i]) throw new SinkError('VALUE_OUT_OF_RANGE', 'key column is null');
          row[i] = null;
        } else {
          row[i] = encoders[i](v);
        }
      }
    } catch (err) {
      if (err instanceof SinkError && !err.position) {
        const what = err.message === 'key column is null' ? `key column ${JSON.stringify(names[i])} is null` : `column ${JSON.stringify(names[i])}: ${err.message}`;
        throw new SinkError(err.code, what, undefined, { cause: err });
      }
      throw err;
    }
    return { form, fields: row };
  };
}
