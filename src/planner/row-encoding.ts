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
import type { Value } from '../record/schema';
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

const QUOTE = /"/g;

/**
 * CSV bytes (UTF-8, `,` separated, `\n` terminated) of rows, with the conventions above, written
 * straight into one buffer: building the text by concatenation made a tree of partial strings as
 * large as the rows, alive (and copied by every young-generation GC) until the text was complete,
 * then flattened and encoded once more by the file write.
 */
export function encodeCsvBytes(rows: readonly Row[]): Buffer {
  // Upper bound: 3 bytes per UTF-16 unit (a doubled quote takes 2), 2 quotes and a separator per field.
  let size = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let i = 0; i < row.length; i++) {
      const f = row[i];
      size += f === null ? 3 : 3 * f.length + 3;
    }
    size += 1;
  }
  const buf = Buffer.allocUnsafe(size) as Utf8Writable;
  let pos = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let i = 0; i < row.length; i++) {
      const f = row[i];
      if (i > 0) buf[pos++] = COMMA;
      if (f === null) {
        buf[pos++] = BACKSLASH;
        buf[pos++] = LETTER_N;
        continue;
      }
      buf[pos++] = DOUBLE_QUOTE;
      pos += buf.utf8Write(f.indexOf('"') < 0 ? f : f.replace(QUOTE, '""'), pos);
      buf[pos++] = DOUBLE_QUOTE;
    }
    buf[pos++] = NEWLINE;
  }
  return buf.subarray(0, pos);
}

/** Node's unchecked UTF-8 writer (present on every Buffer, absent from @types/node); returns bytes written. */
type Utf8Writable = Buffer & { utf8Write(text: string, offset: number): number };

const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const LETTER_N = 0x4e;
const DOUBLE_QUOTE = 0x22;
const NEWLINE = 0x0a;

/** CSV text of rows: `encodeCsvBytes` as a string. */
export function encodeCsv(rows: readonly Row[]): string {
  return encodeCsvBytes(rows).toString('utf8');
}

/** The rows of a `VALUES` clause, `(…), (…)`, from rows of form `sql`. */
export function encodeSqlValues(rows: readonly Row[]): string {
  return rows.map((row) => `(${row.map((f) => (f === null ? 'NULL' : f)).join(', ')})`).join(', ');
}
