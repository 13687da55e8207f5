/**
 * DDL for auto-create and auto-evolve (sink.md §2, §4).
 *
 * Verified on the embedded engine (databend 1.2.895):
 * - `CREATE TABLE IF NOT EXISTS "db"."t" ("k" BIGINT NOT NULL, "c" DECIMAL(10, 2) NULL DEFAULT 12.30, …)`;
 *   it fails with UnknownDatabase when the database is missing → `createDatabaseSql` first.
 * - `ALTER TABLE … ADD COLUMN IF NOT EXISTS "c" INT NULL DEFAULT 7` is idempotent (plain ADD COLUMN
 *   fails with AddColumnExistError the second time); one column per statement.
 * - `ALTER TABLE … MODIFY COLUMN "c" BIGINT NULL` widens in place and keeps the data, BUT DROPS the
 *   column's DEFAULT unless the statement repeats it: we always restate nullability and default.
 * - Columns are nullable unless NOT NULL is written (`ddl_column_type_nullable=1`); we write both explicitly.
 */
import { SinkError } from '../errors';
import { type IdentifierQuoting, qualifiedName, quoteIdentifier, storedIdentifier } from './identifiers';
import type { TableRef } from './table-name';
import type { ColumnSpec, TableShape } from './table-shape';
import { type ColumnType, formatColumnType, parseColumnType } from './type-mapping';
import { compareColumnTypes } from './type-widening';

export interface ExistingColumn {
  name: string;
  /** The type as Databend reports it (`DESC`, information_schema, system.columns) or already parsed. */
  type: string | ColumnType;
  /** Default true (Databend's default). */
  nullable?: boolean;
  /** The `Default` expression from `DESC` (`'NULL'` or absent: none); restated by MODIFY COLUMN. */
  defaultExpression?: string | null;
}

export interface DdlOptions {
  quoting: IdentifierQuoting;
}

export interface EvolutionOptions extends DdlOptions {
  autoEvolve: boolean;
}

export interface ColumnChange {
  column: string;
  from: string;
  to: string;
}

export interface EvolutionPlan {
  /** One statement per change, in order: additions (declaration order), then widenings. */
  statements: string[];
  added: string[];
  widened: ColumnChange[];
}

function columnDefinition(c: ColumnSpec, quoting: IdentifierQuoting): string {
  let def = `${quoteIdentifier(c.name, quoting)} ${formatColumnType(c.type)} ${c.nullable ? 'NULL' : 'NOT NULL'}`;
  if (c.defaultSql !== undefined) def += ` DEFAULT ${c.defaultSql}`;
  return def;
}

function describeTable(table: TableRef): string {
  return table.database === null ? table.table : `${table.database}.${table.table}`;
}

export function createDatabaseSql(database: string, options: DdlOptions): string {
  return `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database, options.quoting)}`;
}

/**
 * Throws SCHEMA_INCOMPATIBLE when two columns of the shape would be stored under one name: with
 * quote.sql.identifiers=never Databend folds bare names to lower case, so fields `Id` and `id`
 * both become `id` (Databend: "Duplicated column name"). The records of that shape are refused
 * (dead-lettered under errors.tolerance=all) instead of failing the table's DDL or load every time.
 */
export function checkDistinctColumnNames(table: TableRef, shape: TableShape, quoting: IdentifierQuoting): void {
  const byStored = new Map<string, string>();
  for (const c of shape.columns) {
    const stored = storedIdentifier(c.name, quoting);
    const other = byStored.get(stored);
    if (other !== undefined) {
      throw new SinkError(
        'SCHEMA_INCOMPATIBLE',
        `table ${describeTable(table)}: fields ${JSON.stringify(other)} and ${JSON.stringify(c.name)} would both be column ${JSON.stringify(stored)} ` +
          `(quote.sql.identifiers=${quoting} folds unquoted names to lower case); rename one of the fields or set quote.sql.identifiers=always`,
      );
    }
    byStored.set(stored, c.name);
  }
}

export function createTableSql(table: TableRef, shape: TableShape, options: DdlOptions): string {
  if (shape.columns.length === 0) {
    throw new SinkError('SCHEMA_INCOMPATIBLE', `table ${describeTable(table)} would have no columns`);
  }
  checkDistinctColumnNames(table, shape, options.quoting);
  const columns = shape.columns.map((c) => columnDefinition(c, options.quoting)).join(', ');
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(table.database, table.table, options.quoting)} (${columns})`;
}

/**
 * What must change in an existing table so that rows of `desired` can be written. Throws
 * SCHEMA_INCOMPATIBLE (naming table, column, existing and new type; also for a key column the table
 * lacks) before anything is planned, and EVOLUTION_DISABLED (naming the table and every missing or
 * too-narrow column) when autoEvolve is off and a change is needed. Columns the table has and the
 * shape lacks are left alone; nullability differences are ignored (§4).
 */
export function evolutionPlan(table: TableRef, existing: readonly ExistingColumn[], desired: TableShape, options: EvolutionOptions): EvolutionPlan {
  checkDistinctColumnNames(table, desired, options.quoting);
  const byName = new Map<string, ExistingColumn>();
  for (const e of existing) byName.set(e.name, e);
  const target = qualifiedName(table.database, table.table, options.quoting);
  const tableName = describeTable(table);

  const missing: ColumnSpec[] = [];
  const widen: { spec: ColumnSpec; existing: ExistingColumn; from: ColumnType; to: ColumnType }[] = [];
  for (const spec of desired.columns) {
    const found = byName.get(storedIdentifier(spec.name, options.quoting));
    if (!found) {
      if (spec.key) {
        throw new SinkError('SCHEMA_INCOMPATIBLE', `table ${tableName} has no key column ${JSON.stringify(spec.name)} and a key column cannot be added to an existing table`);
      }
      missing.push(spec);
      continue;
    }
    const from = typeof found.type === 'string' ? parseColumnType(found.type).type : found.type;
    const cmp = compareColumnTypes(from, spec.type);
    if (cmp.kind === 'incompatible') {
      throw new SinkError(
        'SCHEMA_INCOMPATIBLE',
        `table ${tableName}, column ${JSON.stringify(spec.name)}: existing type ${formatColumnType(from)} cannot hold the record's ${formatColumnType(spec.type)}`,
      );
    }
    if (cmp.kind === 'widen') widen.push({ spec, existing: found, from, to: cmp.to });
  }

  if (!options.autoEvolve && (missing.length > 0 || widen.length > 0)) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `${JSON.stringify(m.name)} ${formatColumnType(m.type)}`).join(', ')}`);
    if (widen.length > 0) parts.push(`column${widen.length > 1 ? 's' : ''} too narrow: ${widen.map((w) => `${JSON.stringify(w.spec.name)} ${formatColumnType(w.from)} → ${formatColumnType(w.to)}`).join(', ')}`);
    throw new SinkError('EVOLUTION_DISABLED', `table ${tableName} needs ${parts.join('; ')}, and auto.evolve is false`);
  }

  const statements: string[] = [];
  for (const spec of missing) {
    // Added columns are always nullable: rows already in the table have no value for them.
    statements.push(`ALTER TABLE ${target} ADD COLUMN IF NOT EXISTS ${columnDefinition({ ...spec, nullable: true }, options.quoting)}`);
  }
  for (const w of widen) {
    const nullable = w.existing.nullable ?? true;
    let def = `${quoteIdentifier(w.spec.name, options.quoting)} ${formatColumnType(w.to)} ${nullable ? 'NULL' : 'NOT NULL'}`;
    const keep = w.spec.defaultSql ?? (w.existing.defaultExpression && w.existing.defaultExpression.toUpperCase() !== 'NULL' ? w.existing.defaultExpression : undefined);
    if (keep !== undefined) def += ` DEFAULT ${keep}`;
    statements.push(`ALTER TABLE ${target} MODIFY COLUMN ${def}`);
  }
  return {
    statements,
    added: missing.map((m) => m.name),
    widened: widen.map((w) => ({ column: w.spec.name, from: formatColumnType(w.from), to: formatColumnType(w.to) })),
  };
}
