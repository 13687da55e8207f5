/**
 * Schema evolution (auto.evolve), decided: which columns an existing table lacks or holds too
 * narrowly for rows of a shape, and whether that may change (docs/evolution.md). The statements
 * are spelled by dialect/ddl.ts.
 */
import { SinkError } from '../errors';
import { type DdlOptions, type ExistingColumn, addColumnSql, checkDistinctColumnNames, describeTable, modifyColumnSql } from '../dialect/ddl';
import { storedIdentifier, type TableRef } from '../dialect/identifiers';
import { type ColumnType, formatColumnType, parseColumnType } from '../dialect/type-mapping';
import type { ColumnSpec, TableShape } from './table-shape';
import { compareColumnTypes } from './type-widening';

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

/**
 * What must change in an existing table so that rows of `desired` can be written. Throws
 * SCHEMA_INCOMPATIBLE (naming table, column, existing and new type; also for a key column the table
 * lacks) before anything is planned, and EVOLUTION_DISABLED (naming the table and every missing or
 * too-narrow column) when autoEvolve is off and a change is needed. Columns the table has and the
 * shape lacks are left alone; nullability differences are ignored (docs/evolution.md).
 */
export function evolutionPlan(table: TableRef, existing: readonly ExistingColumn[], desired: TableShape, options: EvolutionOptions): EvolutionPlan {
  checkDistinctColumnNames(table, desired.columns, options.quoting);
  const byName = new Map<string, ExistingColumn>();
  for (const e of existing) byName.set(e.name, e);
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
    statements.push(addColumnSql(table, { ...spec, nullable: true }, options));
  }
  for (const w of widen) {
    const keep = w.spec.defaultSql ?? (w.existing.defaultExpression && w.existing.defaultExpression.toUpperCase() !== 'NULL' ? w.existing.defaultExpression : undefined);
    statements.push(modifyColumnSql(table, { name: w.spec.name, type: w.to, nullable: w.existing.nullable ?? true, ...(keep !== undefined ? { defaultSql: keep } : {}) }, options));
  }
  return {
    statements,
    added: missing.map((m) => m.name),
    widened: widen.map((w) => ({ column: w.spec.name, from: formatColumnType(w.from), to: formatColumnType(w.to) })),
  };
}
