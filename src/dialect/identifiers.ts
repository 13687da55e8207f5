/**
 * Identifier quoting and SQL string literals for Databend (default `sql_dialect=PostgreSQL`).
 *
 * Verified on the embedded engine (databend 1.2.895):
 * - `"…"` quotes an identifier; `""` inside stands for one `"`; the name is case-sensitive.
 *   A backslash inside `"…"` is kept verbatim (`"a\b"` names `a\b`) EXCEPT that the tokenizer pairs
 *   `\` with the next character, so `"x\"` never terminates and `"z\"w"` is rejected. Names with a
 *   backslash are therefore written with backticks, whose content is verbatim (no escapes at all:
 *   `` `x\` `` names `x\`; `` `c``d` `` is a syntax error, so a backtick cannot appear inside).
 * - Unquoted identifiers are folded to lower case (`MixedCase` → `mixedcase`, `Ünï` → `ünï`).
 * - Reserved keywords (`select`, `offset`, `order`, …) are rejected unquoted.
 * - The engine accepts an empty quoted identifier `""`; we refuse it (a column named '' is a bug).
 * - String literals: `'…'`; backslash is an escape (`\\`, `\'`, `\n`, `\0`, `\x41`); `''` is a quote;
 *   unknown escapes keep the backslash. Raw newlines are allowed inside a literal.
 */
import { SinkError } from '../errors';

export type IdentifierQuoting = 'always' | 'never';

/** A table as SQL names it. */
export interface TableRef {
  /** null: the connection's database. */
  database: string | null;
  table: string;
}

/**
 * Keywords that Databend rejects (or may reject, depending on the position) as bare identifiers:
 * the union of the engine's reserved-identifier and reserved-function-name lists, kept
 * conservative — quoting a word that did not need it is harmless.
 */
export const RESERVED_KEYWORDS: ReadonlySet<string> = new Set(
  (
    'all analyze and any anti array as asc asof attach between bigint block boolean both by case cast character ' +
    'column connection create cross cube current_date current_time current_timestamp date_add date_between date_diff ' +
    'date_part date_sub date_trunc dateadd datebetween datediff datepart datesub default delete desc distinct do ' +
    'double drop else end except exists extract false fetch float for format from full function grant group having ' +
    'identifier ignore_result in inner insert int integer intersect interval into is join last_day lateral leading ' +
    'left like limit masking natural next_day not notification null of offset on or order over partition pipe pivot ' +
    'policy position previous_day procedure qualify right rollup row rows sample select semi sequence set share ' +
    'shares smallint some stage stream substr substring table task then time_slice to trailing true trunc try_cast ' +
    'udf union unpivot update using values varchar when where window with'
  ).split(' '),
);

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when `quoteIdentifier(name, 'never')` emits the name bare (the engine then folds it to lower case). */
export function isBareIdentifier(name: string): boolean {
  return PLAIN_IDENTIFIER.test(name) && !RESERVED_KEYWORDS.has(name.toLowerCase());
}

/**
 * The identifier as SQL text. `always`: every name quoted. `never`: plain, non-reserved ASCII names
 * bare (Databend folds them to lower case, as the Java/JDBC connector's `never` does); every other
 * name is still quoted so that it is escaped correctly. Throws SCHEMA_INCOMPATIBLE for a name that
 * cannot be written (empty, or containing both a backslash and a backtick).
 */
export function quoteIdentifier(name: string, quoting: IdentifierQuoting = 'always'): string {
  if (name.length === 0) {
    throw new SinkError('SCHEMA_INCOMPATIBLE', 'an empty name cannot be a Databend table or column name');
  }
  if (quoting === 'never' && isBareIdentifier(name)) return name;
  if (!name.includes('\\')) return `"${name.replaceAll('"', '""')}"`;
  if (!name.includes('`')) return `\`${name}\``;
  throw new SinkError(
    'SCHEMA_INCOMPATIBLE',
    `the name ${JSON.stringify(name)} contains both a backslash and a backtick and cannot be written as a Databend identifier`,
  );
}

/** The name as Databend stores it after parsing `quoteIdentifier(name, quoting)`. */
export function storedIdentifier(name: string, quoting: IdentifierQuoting = 'always'): string {
  return quoting === 'never' && isBareIdentifier(name) ? name.toLowerCase() : name;
}

/** `db.table`, each part quoted; `database` null → the table alone (the session's database). */
export function qualifiedName(database: string | null, table: string, quoting: IdentifierQuoting = 'always'): string {
  const t = quoteIdentifier(table, quoting);
  return database === null ? t : `${quoteIdentifier(database, quoting)}.${t}`;
}

/** A Databend string literal holding exactly `text`. */
export function sqlStringLiteral(text: string): string {
  let out = "'";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x27) out += "''";
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0) out += '\\0';
    else out += text[i];
  }
  return out + "'";
}
