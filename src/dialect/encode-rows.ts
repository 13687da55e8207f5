/**
 * The encode stage of the write pipeline: rows of field texts (planner/row-encoding.ts) → the bytes
 * Databend loads, CSV for a stage load or a `VALUES` list of SQL literals.
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

/** Field texts in column order; null is NULL. */
export type Row = (string | null)[];

const QUOTE = /"/g;
/** Joins a row's texts when none holds it: then each one marks a field boundary. */
const UNIT_SEPARATOR = '\u001f';

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

/**
 * CSV text of rows: `encodeCsvBytes` as a string, built with the string built-ins (join, replace).
 * The Kafka Connect plugin runs the sink in an interpreter where those built-ins are compiled code
 * and a loop over fields is not; its session encodes the text to UTF-8 on the JVM. A row without
 * nulls and without U+001F in its texts is written with whole-row joins (its quotes doubled by one
 * `replaceAll`: a string pattern, no regular-expression engine); any other row field by field.
 */
export function encodeCsv(rows: readonly Row[]): string {
  const lines: string[] = new Array<string>(rows.length + 1);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const all = row.join('');
    if (row.length > 0 && row.indexOf(null) < 0 && all.indexOf(UNIT_SEPARATOR) < 0) {
      lines[r] = all.indexOf('"') < 0 ? `"${row.join('","')}"` : `"${row.join(UNIT_SEPARATOR).replaceAll('"', '""').replaceAll(UNIT_SEPARATOR, '","')}"`;
      continue;
    }
    const fields: string[] = new Array<string>(row.length);
    for (let i = 0; i < row.length; i++) {
      const f = row[i];
      fields[i] = f === null ? '\\N' : `"${f.indexOf('"') < 0 ? f : f.replaceAll('"', '""')}"`;
    }
    lines[r] = fields.join(',');
  }
  lines[rows.length] = '';
  return rows.length === 0 ? '' : lines.join('\n');
}

/** The rows of a `VALUES` clause, `(…), (…)`, from rows of form `sql`. */
export function encodeSqlValues(rows: readonly Row[]): string {
  return rows.map((row) => `(${row.map((f) => (f === null ? 'NULL' : f)).join(', ')})`).join(', ');
}
