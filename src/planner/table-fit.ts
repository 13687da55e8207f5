/**
 * A planned write operation checked against the columns the target table really has (read from
 * system.columns, after auto.create / auto.evolve). Pure. The planner only knows the record
 * schemas; a table the user created may say more:
 *
 * - A NOT NULL column receives no NULL. The CSV stage load writes NULL as `\N`, which Databend reads
 *   into a NOT NULL string column as the two-character text (verified, databend 1.2.895): the sink
 *   refuses such a record itself (VALUE_OUT_OF_RANGE naming table and column) before loading. This
 *   holds for a null value of a field the record's schema has (also a schemaless JSON null member,
 *   which makes no column of its own), whether or not the column has a DEFAULT.
 * - A field the record's schema lacks leaves its column out of the row: the column DEFAULT applies,
 *   else NULL; a NOT NULL column without a DEFAULT cannot take such a row (Databend rejects it), so
 *   insert/upsert records are refused up front with a message naming the column (update leaves the
 *   column as it is).
 * - An integer for a FLOAT or DOUBLE column must be exact there: Databend would round
 *   9007199254740993 to 9007199254740992 (a DOUBLE has 53 bits of mantissa, a FLOAT 24), so such
 *   a record is refused (VALUE_OUT_OF_RANGE naming table and column) rather than stored changed.
 * - A record with no typed member (schemaless `{}`, `{"a":null}`) has no column of its own:
 *   `INSERT … ()` is not SQL Databend takes. Its row is written as NULL in every nullable column
 *   without a DEFAULT (the other columns get their DEFAULT), as SQL literals. Never `DEFAULT` for a
 *   NOT NULL column without one: Databend would store the type's zero value ('' or 0).
 */
import { SinkError } from '../errors';
import { UNTYPED_NULL_SCHEMA } from '../record/schema';
import type { SinkRecord } from '../record/sink-record';
import type { WriteOperation } from './batch-plan';
import type { ExistingColumn } from '../dialect/ddl';
import { type IdentifierQuoting, storedIdentifier } from '../dialect/identifiers';
import type { ColumnSpec } from './table-shape';
import { parseColumnType } from '../dialect/type-mapping';

export interface TableFitOptions {
  quoting: IdentifierQuoting;
  /** `db.table`, for messages. */
  tableName: string;
}

export interface TableFit {
  /** The operation to run (rows of refused records removed); null when no row is left. */
  op: WriteOperation | null;
  /** Refused records, errors not yet pinned to them. */
  refused: { record: SinkRecord; error: SinkError }[];
}

/** A real DEFAULT: system.columns shows none as `''` (DESC as `NULL`). */
export function hasDefault(column: ExistingColumn): boolean {
  const d = column.defaultExpression;
  return d !== null && d !== undefined && d.trim() !== '' && d.trim().toUpperCase() !== 'NULL';
}

function untypedNullMembers(record: SinkRecord): readonly { name: string }[] {
  const fields = record.value?.schema.fields;
  return fields ? fields.filter((f) => f.schema === UNTYPED_NULL_SCHEMA) : [];
}

export function fitToTable(op: WriteOperation, table: readonly ExistingColumn[], options: TableFitOptions): TableFit {
  const stored = new Map(op.shape.columns.map((c, i) => [storedIdentifier(c.name, options.quoting), i]));
  const notNull = table.filter((c) => c.nullable === false);
  const refusedAt = new Map<number, SinkError>();
  const refuse = (i: number, column: string, why: string) => {
    if (!refusedAt.has(i)) refusedAt.set(i, new SinkError('VALUE_OUT_OF_RANGE', `table ${options.tableName}, column ${JSON.stringify(column)} is NOT NULL ${why}`));
  };

  // update sets only the record's columns: the others keep their values.
  const absentWithoutDefault = op.kind === 'update' ? [] : notNull.filter((c) => !stored.has(c.name) && !hasDefault(c));
  const inShape = notNull.flatMap((c) => {
    const i = stored.get(c.name);
    return i === undefined ? [] : [{ name: c.name, i }];
  });
  const outsideShape = notNull.filter((c) => !stored.has(c.name));
  const inexactIntegers = integersIntoFloats(op, table, options.quoting);
  // Most tables need no check per row (nullable columns, no integer into a float): skip the loop.
  const rowChecks = inShape.length + inexactIntegers.length + outsideShape.length + absentWithoutDefault.length;
  for (let r = 0; rowChecks > 0 && r < op.records.length; r++) {
    for (const { name, i } of inShape) if (op.rows[r][i] === null) refuse(r, name, "but the record's value is null");
    for (const { name, i, bits } of inexactIntegers) {
      const text = op.rows[r][i];
      if (text !== null && !exactInFloat(text, bits) && !refusedAt.has(r)) {
        refusedAt.set(r, new SinkError('VALUE_OUT_OF_RANGE', `table ${options.tableName}, column ${JSON.stringify(name)} is ${bits === 53 ? 'DOUBLE' : 'FLOAT'}, which cannot hold the record's integer exactly (beyond 2^${bits} it would be stored rounded)`));
      }
    }
    if (outsideShape.length > 0) {
      for (const member of untypedNullMembers(op.records[r])) {
        const column = outsideShape.find((c) => c.name === storedIdentifier(member.name, options.quoting));
        if (column) refuse(r, column.name, "but the record's value is null");
      }
    }
    if (absentWithoutDefault.length > 0) {
      const c = absentWithoutDefault[0];
      refuse(r, c.name, `and has no DEFAULT, but the record has no field ${JSON.stringify(c.name)}`);
    }
  }

  const refused = [...refusedAt].map(([r, error]) => ({ record: op.records[r], error }));
  const keep = (_: unknown, r: number) => !refusedAt.has(r);
  let fitted: WriteOperation = refusedAt.size === 0 ? op : { ...op, rows: op.rows.filter(keep), records: op.records.filter(keep) };
  if (fitted.records.length === 0) return { op: null, refused };
  if (fitted.shape.columns.length === 0) {
    const columns = rowWithoutColumns(table, options);
    if (columns === null) {
      const error = new SinkError('VALUE_OUT_OF_RANGE', `table ${options.tableName} has no column the record can be written to: the record has no typed field`);
      return { op: null, refused: [...refused, ...fitted.records.map((record) => ({ record, error }))] };
    }
    fitted = {
      ...fitted,
      form: 'sql',
      shape: { columns: columns.map((c) => c.spec), keyColumns: [] },
      rows: fitted.records.map(() => columns.map((c) => c.literal)),
    };
  }
  return { op: fitted, refused };
}

/** Row positions whose record field is an integer and whose table column a FLOAT (24-bit mantissa) or DOUBLE (53). */
function integersIntoFloats(op: WriteOperation, table: readonly ExistingColumn[], quoting: IdentifierQuoting): { name: string; i: number; bits: 24 | 53 }[] {
  const out: { name: string; i: number; bits: 24 | 53 }[] = [];
  op.shape.columns.forEach((c, i) => {
    if (!INTEGER_KINDS.has(c.type.kind)) return;
    const column = table.find((t) => t.name === storedIdentifier(c.name, quoting));
    if (!column) return;
    const kind = (typeof column.type === 'string' ? parseColumnType(column.type).type : column.type).kind;
    if (kind === 'DOUBLE' || kind === 'FLOAT') out.push({ name: column.name, i, bits: kind === 'DOUBLE' ? 53 : 24 });
  });
  return out;
}

const INTEGER_KINDS: ReadonlySet<string> = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT']);

/** Whether the integer written as `text` (CSV field or SQL literal: plain digits) is exact in a float of `bits` mantissa bits. */
export function exactInFloat(text: string, bits: 24 | 53): boolean {
  let n: bigint;
  try {
    n = BigInt(text.replace(/^'|'$/g, ''));
  } catch {
    return true;
  }
  if (n < 0n) n = -n;
  if (n < 1n << BigInt(bits)) return true;
  // Exact when the bits beyond the mantissa are all zero.
  const shift = BigInt(n.toString(2).length - bits);
  return n % (1n << shift) === 0n;
}

/**
 * The columns (and SQL literals) of a row for a record without typed fields: every nullable column
 * without a DEFAULT as NULL; if there is none, one column with a DEFAULT as `DEFAULT`. Only columns
 * whose name `quoteIdentifier` reproduces. Null: no such column.
 */
function rowWithoutColumns(table: readonly ExistingColumn[], options: TableFitOptions): { spec: ColumnSpec; literal: string | null }[] | null {
  const writable = table.filter((c) => storedIdentifier(c.name, options.quoting) === c.name);
  const spec = (c: ExistingColumn): ColumnSpec => ({
    name: c.name,
    type: typeof c.type === 'string' ? parseColumnType(c.type).type : c.type,
    nullable: c.nullable !== false,
    key: false,
    schema: UNTYPED_NULL_SCHEMA,
    source: { from: 'value', field: c.name },
  });
  const nulls = writable.filter((c) => c.nullable !== false && !hasDefault(c));
  if (nulls.length > 0) return nulls.map((c) => ({ spec: spec(c), literal: null }));
  const withDefault = writable.find(hasDefault);
  return withDefault ? [{ spec: spec(withDefault), literal: 'DEFAULT' }] : null;
}

