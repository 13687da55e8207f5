/**
 * Row programs: what the Kafka Connect plugin's Java side needs to encode rows itself.
 *
 * GraalJS on a stock JDK interprets this script, and every JavaScript step per record costs (about
 * 5 s of CPU per 100,000 records through hand-off, planning and CSV: docs/benchmarks.md). For each
 * distinct pair of Connect schemas the Java task asks once for a program: the table shape the
 * planner will plan such records with (`DatabendWriter.shapeFor`, the very object), as a list of
 * columns — where each value comes from and which of a few plain column kinds it is. The Java side
 * then writes each record's row as the field texts this script's encoders would give
 * (connect-plugin/…/RowProgram.java, checked against them by RowProgramTest), and the planner takes
 * them as the record's row (`SinkRecord.encoded`).
 *
 * Only plain columns are programmed: integers, booleans, strings, doubles and floats, decimals and
 * Connect's Date, Time and Timestamp. A schema with any other column (bytes, containers, unsigned,
 * micro-second or local times, …), a tombstone or
 * a value that is not a struct get no program: those
 * records take the general path (Connect JSON, record-handoff.ts), and so does any single value the
 * Java side cannot write exactly as the script would (it says so by not encoding the record).
 * Which values are written, refused or converted is decided here and in the encoders, never twice.
 */
import { connectSchemaFromJson } from '../converters/connect-json-schema';
import { parseJsonText } from '../converters/json-text';
import { SinkError } from '../errors';
import type { Schema, SchemaAndValue, StructValue, Value } from '../record/schema';
import type { ColumnSpec, TableShape } from '../planner/table-shape';
import { decimalDigitLimit } from '../dialect/value-encoders';

/** How the Java side writes a column's non-null value (RowProgram.java). */
export type ColumnKind = 'int' | 'bool' | 'string' | 'float' | 'timestamp' | 'date' | 'time' | 'decimal';

export interface ProgramColumn {
  /** topic, partition, offset: the record's position; key: the whole key (`field` null) or its field; value: a field of the value. */
  from: 'topic' | 'partition' | 'offset' | 'key' | 'value';
  field: string | null;
  kind: ColumnKind;
  nullable: boolean;
  /** decimal: the scale every value must have, and the most digits the column holds (0: no limit), as the script's encoder checks them. */
  scale?: number;
  maxDigits?: number;
}

/** What the Java side gets (as JSON). */
export interface RowProgramSpec {
  id: number;
  columns: ProgramColumn[];
}

export interface RowProgram {
  /** The key and value a record of this program is planned with: these schemas (so that the planner finds the shape the row was encoded for), no values. */
  key: SchemaAndValue | null;
  value: SchemaAndValue;
  shape: TableShape;
}

/**
 * The key and value of a record whose row the host encoded: never read (the planner takes the row,
 * and keys rows by their key columns' texts), loud if they are.
 */
export const ENCODED_BY_HOST: StructValue = Object.freeze({
  kind: 'struct' as const,
  get fields(): Record<string, Value> {
    throw new SinkError('INTERNAL', "the value of a record encoded by the plugin's Java side was read; only its row exists");
  },
});

function kindOf(schema: Schema): ColumnKind | undefined {
  const logical = schema.logical;
  if (logical) {
    switch (logical.kind) {
      case 'timestamp':
        return logical.unit === 'millis' && !logical.local ? 'timestamp' : undefined;
      case 'time':
        return logical.unit === 'millis' ? 'time' : undefined;
      case 'date':
        return 'date';
      case 'decimal':
        return 'decimal';
      default:
        return undefined;
    }
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return 'int';
    case 'BOOLEAN':
      return 'bool';
    case 'STRING':
      return 'string';
    case 'FLOAT32':
    case 'FLOAT64':
      return 'float';
    default:
      return undefined;
  }
}

function programColumn(c: ColumnSpec): ProgramColumn | undefined {
  const kind = kindOf(c.schema);
  if (kind === undefined) return undefined;
  const s = c.source;
  const from = s.from === 'kafka' ? s.field : s.from;
  const column: ProgramColumn = { from, field: s.from === 'kafka' ? null : s.field, kind, nullable: c.nullable };
  const logical = c.schema.logical;
  if (logical?.kind === 'decimal') Object.assign(column, { scale: logical.scale, maxDigits: decimalDigitLimit(logical) });
  return column;
}

function schemaOf(text: string): Schema {
  return connectSchemaFromJson(parseJsonText(text, 'JsonConverter schema').value);
}

export class RowPrograms {
  private programs: RowProgram[] = [];

  constructor(private readonly shapeFor: (key: Schema | null, value: Schema) => TableShape) {}

  /**
   * The program for records with these schemas (Connect JSON schema texts; the key's empty when the
   * records have no key schema), as JSON, or `null` when they take the general path.
   */
  define(keySchemaText: string, valueSchemaText: string): string {
    let keySchema: Schema | null;
    let valueSchema: Schema;
    let shape: TableShape;
    try {
      keySchema = keySchemaText === '' ? null : schemaOf(keySchemaText);
      valueSchema = schemaOf(valueSchemaText);
      if (valueSchema.type !== 'STRUCT') return 'null';
      shape = this.shapeFor(keySchema, valueSchema);
    } catch (err) {
      // The general path reports it, record by record.
      if (err instanceof SinkError) return 'null';
      throw err;
    }
    const columns: ProgramColumn[] = [];
    for (const c of shape.columns) {
      const column = programColumn(c);
      if (column === undefined) return 'null';
      columns.push(column);
    }
    const id = this.programs.length;
    this.programs.push({ key: keySchema === null ? null : { schema: keySchema, value: ENCODED_BY_HOST }, value: { schema: valueSchema, value: ENCODED_BY_HOST }, shape });
    return JSON.stringify({ id, columns } satisfies RowProgramSpec);
  }

  get(id: number): RowProgram {
    const program = this.programs[id];
    if (program === undefined) throw new SinkError('INTERNAL', `record hand-off: no row program ${id}`);
    return program;
  }

  /** The Java side forgets its programs at the same time (it bounds how many it keeps). */
  reset(): void {
    this.programs = [];
  }
}
