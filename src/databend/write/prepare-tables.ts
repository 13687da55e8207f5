import { SinkError } from '../../errors';
import { UNOBSERVED, type SinkEventPublisher } from '../../events/sink-events';
import type { Logger } from '../../logging/logger';
import { createDatabaseSql, createTableSql, type ExistingColumn } from '../../dialect/ddl';
import { tableColumnsSql } from '../../dialect/dml';
import { type IdentifierQuoting, qualifiedName, type TableRef } from '../../dialect/identifiers';
import { evolutionPlan } from '../../planner/evolution';
import type { TableShape } from '../../planner/table-shape';
import { DatabendQueryError, isMissingTable, type DatabendSession } from '../databend-session';

export interface PrepareTablesOptions {
  autoCreate: boolean;
  autoEvolve: boolean;
  quoteIdentifiers: IdentifierQuoting;
  /** `connection.database`: where a table without a database part is. */
  database: string;
}

/**
 * The prepare-tables stage of the write pipeline: makes a table ready for rows of a given shape,
 * creating it (auto.create) or evolving it (auto.evolve), and caches what it knows. The metadata is re-read after every DDL and when DDL
 * fails — another sink process may have changed the table meanwhile.
 */
export class TableManager {
  private readonly columns = new Map<string, ExistingColumn[] | null>();
  /** Shapes already known to fit the cached columns of a table. */
  private readonly fitting = new Map<string, WeakSet<TableShape>>();

  constructor(
    private readonly config: PrepareTablesOptions,
    private readonly log: Logger,
    private readonly events: SinkEventPublisher = UNOBSERVED,
  ) {}

  /** Throws SinkError: TABLE_MISSING (stop), SCHEMA_INCOMPATIBLE / EVOLUTION_DISABLED (the records of this shape fail). */
  async ensure(session: DatabendSession, table: TableRef, shape: TableShape): Promise<void> {
    const id = this.id(table);
    if (this.fitting.get(id)?.has(shape)) return;
    let existing = this.columns.has(id) ? (this.columns.get(id) as ExistingColumn[] | null) : await this.load(session, table);
    if (existing === null) {
      existing = await this.create(session, table, shape);
    }
    const options = { autoEvolve: this.config.autoEvolve, quoting: this.config.quoteIdentifiers };
    let plan = evolutionPlan(table, existing, shape, options);
    if (plan.statements.length > 0) {
      try {
        for (const sql of plan.statements) await session.exec(sql);
      } catch (err) {
        if (!(err instanceof DatabendQueryError)) throw err;
        // Another process may have evolved the table first: re-read and plan again once.
        existing = (await this.load(session, table)) ?? [];
        plan = evolutionPlan(table, existing, shape, options);
        for (const sql of plan.statements) await session.exec(sql);
      }
      this.log.info({ table: this.describe(table), added: plan.added, widened: plan.widened }, 'table evolved');
      this.events.publish('table', { table: this.describe(table), event: 'evolved', added: plan.added, widened: plan.widened.map((w) => w.column) });
      await this.load(session, table);
    }
    let shapes = this.fitting.get(id);
    if (!shapes) {
      shapes = new WeakSet();
      this.fitting.set(id, shapes);
    }
    shapes.add(shape);
  }

  /** The table's columns as last read (after `ensure`, which reads them when unknown). */
  columnsOf(table: TableRef): readonly ExistingColumn[] {
    return this.columns.get(this.id(table)) ?? [];
  }

  /** Forgets what is known about a table (after a statement on it failed in a way metadata may explain). */
  invalidate(table: TableRef): void {
    this.columns.delete(this.id(table));
    this.fitting.delete(this.id(table));
  }

  private async create(session: DatabendSession, table: TableRef, shape: TableShape): Promise<ExistingColumn[]> {
    if (!this.config.autoCreate) {
      throw new SinkError('TABLE_MISSING', `table ${this.describe(table)} does not exist and auto.create is false: create it, or set auto.create=true`);
    }
    const quoting = { quoting: this.config.quoteIdentifiers };
    if (table.database !== null) await session.exec(createDatabaseSql(table.database, quoting));
    await session.exec(createTableSql(table, shape, quoting));
    this.log.info({ table: this.describe(table), columns: shape.columns.map((c) => c.name) }, 'table created');
    this.events.publish('table', { table: this.describe(table), event: 'created', added: shape.columns.map((c) => c.name), widened: [] });
    const created = await this.load(session, table);
    if (created === null) throw new SinkError('INTERNAL', `table ${this.describe(table)} was created but cannot be read back`);
    return created;
  }

  /** Reads the table's columns (null: no such table), and caches them. */
  private async load(session: DatabendSession, table: TableRef): Promise<ExistingColumn[] | null> {
    const id = this.id(table);
    this.fitting.delete(id);
    let rows: (string | null)[][];
    try {
      rows = await session.query(tableColumnsSql(table.database ?? this.config.database, table.table));
    } catch (err) {
      if (isMissingTable(err)) rows = [];
      else throw err;
    }
    const columns =
      rows.length === 0
        ? null
        : rows.map(([name, type, nullable, defaultExpression]) => ({
            name: name as string,
            type: type as string,
            nullable: nullable === 'YES' || nullable === '1' || nullable === 'true',
            defaultExpression,
          }));
    this.columns.set(id, columns);
    return columns;
  }

  private id(table: TableRef): string {
    return qualifiedName(table.database ?? this.config.database, table.table, 'always');
  }

  describe(table: TableRef): string {
    return `${table.database ?? this.config.database}.${table.table}`;
  }
}
