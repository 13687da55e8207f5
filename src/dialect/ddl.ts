/**
 * DDL for auto-create and auto-evolve (docs/type-mapping.md, docs/evolution.md).
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
import { type IdentifierQuoting, type TableRef, qualifiedName, quoteIdentifier, storedIdentifier } from './identifiers';
import type { ColumnType } from './type-mapping';
import { formatColumnType } from './type-mapping';

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

/** A column as DDL spells it (planner/table-shape.ts's ColumnSpec is one). */
export interface ColumnDefinition {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /** SQL text of the DEFAULT, if any. */
  defaultSql?: string;
}

export function columnDefinition(c: ColumnDefinition, quoting: IdentifierQuoting): string {
  let def = `${quoteIdentifier(c.name, quoting)} ${formatColumnType(c.type)} ${c.nullable ? 'NULL' : 'NOT NULL'}`;
  if (c.defaultSql !== undefined) def += ` DEFAULT ${c.defaultSql}`;
  return def;
}

export function describeTable(table: TableRef): string {
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
export function checkDistinctColumnNames(table: TableRef, columns: readonly ColumnDefinition[], quoting: IdentifierQuoting): void {
  const byStored = new Map<string, string>();
  for (const c of columns) {
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

export function createTableSql(table: TableRef, shape: { readonly columns: readonly ColumnDefinition[] }, options: DdlOptions): string {
  const columns = shape.columns;
  if (columns.length === 0) {
    throw new SinkError('SCHEMA_INCOMPATIBLE', `table ${describeTable(table)} would have no columns`);
  }
  checkDistinctColumnNames(table, columns, options.quoting);
  const list = columns.map((c) => columnDefinition(c, options.quoting)).join(', ');
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(table.database, table.table, options.quoting)} (${list})`;
}

/** Adds a column (idempotent: IF NOT EXISTS); one column per statement. */
export function addColumnSql(table: TableRef, column: ColumnDefinition, options: DdlOptions): string {
  return `ALTER TABLE ${qualifiedName(table.database, table.table, options.quoting)} ADD COLUMN IF NOT EXISTS ${columnDefinition(column, options.quoting)}`;
}

/** Changes a column's type in place; nullability and DEFAULT are restated (MODIFY COLUMN drops a default it does not repeat). */
export function modifyColumnSql(table: TableRef, column: ColumnDefinition, options: DdlOptions): string {
  return `ALTER TABLE ${qualifiedName(table.database, table.table, options.quoting)} MODIFY COLUMN ${columnDefinition(column, options.quoting)}`;
}
