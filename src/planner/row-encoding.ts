/**
 * Record → one row of CSV field texts for a stage load, compiled once per table shape
 * (an array of per-column getters + encoders; no schema walk per row), and the CSV text itself.
 *
 * CSV conventions, verified with `COPY INTO … FILE_FORMAT=(TYPE=CSV)` (default options) on the engine:
 * - `\N` unquoted is NULL; `"\N"` quoted is the two-character string; `""` is the empty string
 *   (while an unquoted empty field is NULL); quotes inside are doubled; newlines inside quotes are kept;
 *   backslash is NOT an escape at the CSV level (`\\N` is three characters).
 * So every non-null field is quoted and null is written `\N`.
 *
 * Note for the writer: databend-driver's `streamLoad(sql, string[][])` cannot express this — it has no
 * null and its CSV writer leaves `\N` and `` unquoted (→ NULL). Write `encodeCsv` output and load it
 * (`loadFile`), or otherwise keep these conventions.
 *
 * A row holding a value the CSV cannot (an empty BINARY, see `csvCannotHold`) is encoded as SQL
 * literals instead (form `sql`), for `INSERT/REPLACE … VALUES ${encodeSqlValues(rows)}`.
 */
import { SinkError } from '../errors';
import type { SinkRecord } from '../record/sink-record';
import type { StructValue, Value } from '../record/schema';
import type { ColumnSpec, TableShape } from './table-shape';
import { wallClockConverter } from './time-zone';
import { type Encoder, type EncoderContext, csvCannotHold, csvFieldEncoder, sqlEncoder } from './value-encoders';

export { sqlLiteral, defaultLiteral } from './sql-literal';

/** Field texts in `shape.columns` order; null is NULL. */
export type Row = (string | null)[];
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

function structField(container: Value | undefined, name: string): Value | undefined {
  if (container === null || container === undefined) return undefined;
  return (container as StructValue).fields?.[name];
}

function getter(column: ColumnSpec): Getter {
  const s = column.source;
  switch (s.from) {
    case 'kafka':
      if (s.field === 'topic') return (r) => r.topic;
      if (s.field === 'partition') return (r) => r.partition;
      return (r) => BigInt(r.offset);
    case 'key':
      if (s.field === null) return (r) => r.key?.value;
      return (r) => structField(r.key?.value, s.field as string);
    case 'value':
      return (r) => structField(r.value?.value, s.field);
  }
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

const QUOTE = /"/g;

/** CSV text (`,` separated, `\n` terminated) of rows, with the conventions above. */
export function encodeCsv(rows: readonly Row[]): string {
  let out = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let i = 0; i < row.length; i++) {
      const f = row[i];
      if (i > 0) out += ',';
      if (f === null) out += '\\N';
      else if (f.indexOf('"') < 0) out += '"' + f + '"';
      else out += '"' + f.replace(QUOTE, '""') + '"';
    }
    out += '\n';
  }
  return out;
}

/** The rows of a `VALUES` clause, `(…), (…)`, from rows of form `sql`. */
export function encodeSqlValues(rows: readonly Row[]): string {
  return rows.map((row) => `(${row.map((f) => (f === null ? 'NULL' : f)).join(', ')})`).join(', ');
}
