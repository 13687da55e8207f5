/**
 * Whether values of an incoming column type can be written to an existing column (docs/evolution.md):
 * they fit as is, the column must be widened first, or the change is incompatible.
 *
 * The rule: a widening never changes a value already stored (docs/type-mapping.md). So
 * TINYINT → SMALLINT → INT → BIGINT; FLOAT → DOUBLE; TINYINT/SMALLINT/INT → DOUBLE for a float
 * (every such integer is exact in a DOUBLE); TINYINT/SMALLINT fit a FLOAT exactly and INT/BIGINT
 * widen a FLOAT column to DOUBLE (every FLOAT value is exact in a DOUBLE); DECIMAL widens to the
 * smallest DECIMAL holding both (integer digits and scale), up to precision 76; an integer fits a
 * DECIMAL with enough integer digits; ARRAY(T) widens with its items. BIGINT UNSIGNED (Protobuf
 * uint64) takes only itself: no signed type holds 2^63 and up, and it holds no negative value.
 * A BIGINT column never becomes DOUBLE: integers beyond 2^53 already stored would be rounded
 * (9007199254740993 → 9007199254740992), so a float arriving for a BIGINT column is incompatible
 * (SCHEMA_INCOMPATIBLE: the record is refused, to the dead letter queue under errors.tolerance=all).
 * An integer arriving for a FLOAT/DOUBLE column fits the type; whether each value is exact there is
 * checked per value (table-fit.ts), since only some integers are.
 * Everything else must match.
 * Verified on the engine: `MODIFY COLUMN` for INT→BIGINT, TINYINT→SMALLINT→DOUBLE, FLOAT→DOUBLE,
 * DECIMAL(10,2)→DECIMAL(20,2)/(12,4)/(40,2), ARRAY(INT)→ARRAY(BIGINT) all keep the data;
 * STRING→BIGINT fails ("fail to auto cast column").
 */
import { type ColumnType, MAX_DECIMAL_PRECISION, sameColumnType } from '../dialect/type-mapping';

export type Compatibility = { kind: 'fits' } | { kind: 'widen'; to: ColumnType } | { kind: 'incompatible' };

const INT_RANK: Record<string, number> = { TINYINT: 1, SMALLINT: 2, INT: 3, BIGINT: 4 };
const INT_DIGITS: Record<string, number> = { TINYINT: 3, SMALLINT: 5, INT: 10, BIGINT: 19, 'BIGINT UNSIGNED': 20 };

const FITS: Compatibility = { kind: 'fits' };
const INCOMPATIBLE: Compatibility = { kind: 'incompatible' };
const DOUBLE: ColumnType = { kind: 'DOUBLE' };

export function compareColumnTypes(existing: ColumnType, incoming: ColumnType): Compatibility {
  if (sameColumnType(existing, incoming)) return FITS;
  const e = existing.kind;
  const i = incoming.kind;
  if (INT_RANK[e] !== undefined) {
    if (INT_RANK[i] !== undefined) return INT_RANK[i] <= INT_RANK[e] ? FITS : { kind: 'widen', to: incoming };
    // A DOUBLE holds every INT exactly, not every BIGINT.
    if ((i === 'FLOAT' || i === 'DOUBLE') && e !== 'BIGINT') return { kind: 'widen', to: DOUBLE };
    return INCOMPATIBLE;
  }
  if (e === 'FLOAT') {
    if (i === 'TINYINT' || i === 'SMALLINT') return FITS;
    if (i === 'INT' || i === 'BIGINT' || i === 'DOUBLE') return { kind: 'widen', to: DOUBLE };
    return INCOMPATIBLE;
  }
  if (e === 'DOUBLE') {
    return INT_RANK[i] !== undefined || i === 'FLOAT' ? FITS : INCOMPATIBLE;
  }
  if (existing.kind === 'DECIMAL') {
    let inc: { precision: number; scale: number } | null = null;
    if (incoming.kind === 'DECIMAL') inc = incoming;
    else if (INT_DIGITS[i] !== undefined) inc = { precision: INT_DIGITS[i], scale: 0 };
    if (!inc) return INCOMPATIBLE;
    const scale = Math.max(existing.scale, inc.scale);
    const digits = Math.max(existing.precision - existing.scale, inc.precision - inc.scale);
    const precision = digits + scale;
    if (precision === existing.precision && scale === existing.scale) return FITS;
    if (precision > MAX_DECIMAL_PRECISION) return INCOMPATIBLE;
    return { kind: 'widen', to: { kind: 'DECIMAL', precision, scale } };
  }
  if (existing.kind === 'ARRAY' && incoming.kind === 'ARRAY') {
    const items = compareColumnTypes(existing.items, incoming.items);
    if (items.kind === 'widen') return { kind: 'widen', to: { kind: 'ARRAY', items: items.to } };
    return items;
  }
  return INCOMPATIBLE;
}
