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
 */
import { SinkError } from '../errors';
import type { SinkRecord } from '../record/sink-record';
import type { StructValue, Value } from '../record/schema';
import type { ColumnSpec, TableShape } from './table-shape';
import { wallClockConverter } from './time-zone';
import { type EncoderContext, csvFieldEncoder } from './value-encoders';

export { sqlLiteral, defaultLiteral } from './sql-literal';

export type Row = (string | null)[];
export type RowEncoder = (record: SinkRecord) => Row;

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

/** Compiles the shape into a row encoder. Throws SinkError (no position; the caller pins it) for a bad value. */
export function compileRowEncoder(shape: TableShape, ctx: EncoderContext): RowEncoder {
  const n = shape.columns.length;
  const getters = shape.columns.map(getter);
  const encoders = shape.columns.map((c) => {
    const enc = csvFieldEncoder(c.schema, ctx);
    return (v: Value) => {
      try {
        return enc(v);
      } catch (err) {
        if (err instanceof SinkError && !err.position) {
          throw new SinkError(err.code, `column ${JSON.stringify(c.name)}: ${err.message}`, undefined, { cause: err });
        }
        throw err;
      }
    };
  });
  const required = shape.columns.map((c) => !c.nullable);
  const names = shape.columns.map((c) => c.name);
  return (record) => {
    const row: Row = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = getters[i](record);
      if (v === null || v === undefined) {
        if (required[i]) throw new SinkError('VALUE_OUT_OF_RANGE', `key column ${JSON.stringify(names[i])} is null`);
        row[i] = null;
      } else {
        row[i] = encoders[i](v);
      }
    }
    return row;
  };
}

function csvField(f: string | null): string {
  if (f === null) return '\\N';
  return f.includes('"') ? `"${f.replaceAll('"', '""')}"` : `"${f}"`;
}

/** CSV text (`,` separated, `\n` terminated) of rows, with the conventions above. */
export function encodeCsv(rows: readonly Row[]): string {
  const lines: string[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    let line = '';
    for (let i = 0; i < row.length; i++) line += (i > 0 ? ',' : '') + csvField(row[i]);
    lines[r] = line;
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}
