/**
 * The statements of the exactly-once offsets table (`exactly.once.offsets.table`): one row per
 * consumer group, topic and partition holding the offset of the partition's next record, advanced
 * in the transaction that writes the partition's rows. Verified on the engine (databend 1.2.895):
 * two transactions that both UPDATE the same row cannot both commit (the second gets `[4001]
 * Unresolvable conflict`), while rows in blocks of their own are updated by concurrent transactions
 * without conflict — hence one row per block and per segment, which compaction keeps apart.
 */
import { createDatabaseSql } from './ddl';
import { type IdentifierQuoting, type TableRef, qualifiedName, sqlStringLiteral } from './identifiers';

/** The partition a row of the offsets table is about. */
export interface OffsetKey {
  groupId: string;
  topic: string;
  partition: number;
}

/** The columns the table must have (name → type as `system.columns` shows it, nullability aside). */
export const OFFSETS_COLUMNS: Readonly<Record<string, string>> = {
  group_id: 'VARCHAR',
  topic: 'VARCHAR',
  kafka_partition: 'INT',
  next_offset: 'BIGINT',
  updated_at: 'TIMESTAMP',
};

/** `next_offset` of a row made before any record of its partition was written: nothing is known. */
export const NO_OFFSET = -1n;

export function createOffsetsTableSql(table: TableRef, quoting: IdentifierQuoting): string[] {
  const columns = Object.entries(OFFSETS_COLUMNS)
    .map(([name, type]) => `${name} ${type} NOT NULL`)
    .join(', ');
  return [
    ...(table.database !== null ? [createDatabaseSql(table.database, { quoting })] : []),
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(table.database, table.table, quoting)} (${columns}) ROW_PER_BLOCK = 1 BLOCK_PER_SEGMENT = 1`,
  ];
}

function where(key: OffsetKey): string {
  return `group_id = ${sqlStringLiteral(key.groupId)} AND topic = ${sqlStringLiteral(key.topic)} AND kafka_partition = ${key.partition}`;
}

/** Adds the partition's row (`next_offset` -1) unless it is there. Run outside a transaction. */
export function seedOffsetSql(table: TableRef, key: OffsetKey, quoting: IdentifierQuoting): string {
  const name = qualifiedName(table.database, table.table, quoting);
  return (
    `INSERT INTO ${name} (group_id, topic, kafka_partition, next_offset, updated_at) ` +
    `SELECT ${sqlStringLiteral(key.groupId)}, ${sqlStringLiteral(key.topic)}, ${key.partition}, ${NO_OFFSET}, now() ` +
    `FROM (SELECT count(*) AS n FROM ${name} WHERE ${where(key)}) AS existing WHERE n = 0`
  );
}

/**
 * The partition's stored offset and how many rows hold it: the largest `next_offset` wins (two
 * processes seeding at once may leave two rows; an advance moves every row that holds the largest).
 */
export function readOffsetSql(table: TableRef, key: OffsetKey, quoting: IdentifierQuoting): string {
  return `SELECT max(next_offset)::String, count(*)::String FROM ${qualifiedName(table.database, table.table, quoting)} WHERE ${where(key)}`;
}

/** Moves the partition's offset from `from` (as read in the same transaction) to `to`. */
export function advanceOffsetSql(table: TableRef, key: OffsetKey, from: bigint, to: bigint, quoting: IdentifierQuoting): string {
  return `UPDATE ${qualifiedName(table.database, table.table, quoting)} SET next_offset = ${to}, updated_at = now() WHERE ${where(key)} AND next_offset = ${from}`;
}

/**
 * Compaction of a table the exactly-once writer loads, run outside its transactions. Databend's
 * compaction after a write (`enable_compact_after_write`) would run inside the transaction and
 * rewrite segments that concurrent transactions of other partitions rewrite too, making them
 * conflict ([4001]); the writer's sessions turn it off and compact this way instead, at most
 * `segments` segments at a time.
 */
export function compactTableSql(table: TableRef, segments: number, quoting: IdentifierQuoting): string {
  return `OPTIMIZE TABLE ${qualifiedName(table.database, table.table, quoting)} COMPACT LIMIT ${segments}`;
}
