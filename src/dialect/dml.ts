/**
 * The statements that write rows, as Databend takes them (verified on the engine, databend 1.2.895,
 * and on a server taking stage attachments, 1.2.780). A statement ending in `VALUES` is followed by
 * the rows: a stage-loaded CSV (the driver appends the stage), or a `VALUES` list of SQL literals
 * (dialect/encode-rows.ts). Data never goes through driver params.
 */
import { type IdentifierQuoting, type TableRef, qualifiedName, quoteIdentifier, sqlStringLiteral } from './identifiers';

function columnList(columns: readonly string[], quoting: IdentifierQuoting): string {
  return columns.map((c) => quoteIdentifier(c, quoting)).join(', ');
}

function tableName(table: TableRef, quoting: IdentifierQuoting): string {
  return qualifiedName(table.database, table.table, quoting);
}

/** `INSERT INTO t (c1, …) VALUES`. */
export function insertValuesSql(table: TableRef, columns: readonly string[], quoting: IdentifierQuoting): string {
  return `INSERT INTO ${tableName(table, quoting)} (${columnList(columns, quoting)}) VALUES`;
}

/** `REPLACE INTO t (c1, …) ON (k1, …)`: followed by `VALUES` or by a `SELECT` (`replaceSelectSql`). */
export function replaceIntoSql(table: TableRef, columns: readonly string[], keys: readonly string[], quoting: IdentifierQuoting): string {
  return `REPLACE INTO ${tableName(table, quoting)} (${columnList(columns, quoting)}) ON (${columnList(keys, quoting)})`;
}

/** `REPLACE INTO t (…) ON (…) SELECT c1, … FROM source`. */
export function replaceSelectSql(replaceInto: string, columns: readonly string[], source: TableRef, quoting: IdentifierQuoting): string {
  return `${replaceInto} SELECT ${columnList(columns, quoting)} FROM ${tableName(source, quoting)}`;
}

/**
 * `MERGE INTO t … WHEN MATCHED THEN UPDATE SET` the non-key columns from `source`, matched on the
 * keys: rows whose key is absent are not created. Null when there is no column to set.
 */
export function mergeUpdateSql(target: TableRef, source: TableRef, columns: readonly { name: string; key: boolean }[], keys: readonly string[], quoting: IdentifierQuoting): string | null {
  const q = (name: string) => quoteIdentifier(name, quoting);
  const on = keys.map((k) => `t.${q(k)} = s.${q(k)}`).join(' AND ');
  const set = columns.filter((c) => !c.key).map((c) => `${q(c.name)} = s.${q(c.name)}`);
  if (set.length === 0) return null;
  return `MERGE INTO ${tableName(target, quoting)} AS t USING (SELECT * FROM ${tableName(source, quoting)}) AS s ON ${on} WHEN MATCHED THEN UPDATE SET ${set.join(', ')}`;
}

/** `DELETE FROM t WHERE k IN (…)` (one key column) or `WHERE (k1, k2) IN ((…), …)`; `keys` are SQL literal tuples. */
export function deleteKeysSql(table: TableRef, keyColumns: readonly string[], keys: readonly (readonly string[])[], quoting: IdentifierQuoting): string {
  const single = keyColumns.length === 1;
  const columns = single ? quoteIdentifier(keyColumns[0], quoting) : `(${columnList(keyColumns, quoting)})`;
  const tuples = keys.map((k) => (single ? k[0] : `(${k.join(', ')})`));
  return `DELETE FROM ${tableName(table, quoting)} WHERE ${columns} IN (${tuples.join(', ')})`;
}

/** An empty table with `of`'s columns (types included), for loading rows before applying them. */
export function createEmptyCopySql(table: TableRef, of: TableRef, columns: readonly string[], quoting: IdentifierQuoting): string {
  return `CREATE TABLE ${tableName(table, quoting)} AS SELECT ${columnList(columns, quoting)} FROM ${tableName(of, quoting)} WHERE 1 = 0`;
}

export function dropTableSql(table: TableRef, quoting: IdentifierQuoting): string {
  return `DROP TABLE IF EXISTS ${tableName(table, quoting)}`;
}

/** A table's columns as the table manager reads them: name, type, nullability, DEFAULT (no rows: no such table). */
export function tableColumnsSql(database: string, table: string): string {
  return `SELECT name, data_type, is_nullable, default_expression FROM system.columns WHERE database = ${sqlStringLiteral(database)} AND table = ${sqlStringLiteral(table)}`;
}
