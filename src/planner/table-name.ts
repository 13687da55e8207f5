/**
 * `table.name.format` → the table a topic's records go to.
 *
 * `${topic}` is the only placeholder. A literal `.` written in the format string itself separates
 * the database from the table (`db.${topic}`, `${topic}_db.t`); dots that come from the topic name
 * never do (`orders.v1` with `${topic}` is the table `orders.v1` in the connection's database).
 * A format with more than one literal dot, an empty part or another `${…}` placeholder is a
 * CONFIG_INVALID error (`checkTableNameFormat` lists the problems for config validation).
 */
import { SinkError } from '../errors';
import type { TableRef } from '../dialect/identifiers';

const PLACEHOLDER = '${topic}';

type Part = { literal: string } | { topic: true };

function tokenize(format: string): Part[] {
  const parts: Part[] = [];
  let rest = format;
  while (rest.length > 0) {
    const at = rest.indexOf(PLACEHOLDER);
    if (at < 0) {
      parts.push({ literal: rest });
      break;
    }
    if (at > 0) parts.push({ literal: rest.slice(0, at) });
    parts.push({ topic: true });
    rest = rest.slice(at + PLACEHOLDER.length);
  }
  return parts;
}

/** Every problem with a format, as messages (empty when valid). */
export function checkTableNameFormat(format: string): string[] {
  const problems: string[] = [];
  const parts = tokenize(format);
  const literals = parts.flatMap((p) => ('literal' in p ? [p.literal] : []));
  const other = literals.join('\u0000').match(/\$\{[^}]*\}/g);
  if (other) problems.push(`unknown placeholder ${other.join(', ')}: \${topic} is the only one`);
  const dots = literals.reduce((n, l) => n + l.split('.').length - 1, 0);
  if (dots > 1) problems.push('at most one literal "." (database.table) is allowed');
  const [db, table] = split(parts);
  if (table.length === 0 || (db !== null && db.length === 0)) problems.push('the database and table parts must not be empty');
  return problems;
}

function split(parts: Part[]): [Part[] | null, Part[]] {
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if ('literal' in p) {
      const dot = p.literal.indexOf('.');
      if (dot >= 0) {
        const before: Part[] = [...parts.slice(0, i)];
        if (dot > 0) before.push({ literal: p.literal.slice(0, dot) });
        const after: Part[] = [];
        if (dot < p.literal.length - 1) after.push({ literal: p.literal.slice(dot + 1) });
        after.push(...parts.slice(i + 1));
        return [before, after];
      }
    }
  }
  return [null, parts];
}

function render(parts: Part[], topic: string): string {
  let out = '';
  for (const p of parts) out += 'literal' in p ? p.literal : topic;
  return out;
}

/** Compiles a format once; the returned function maps a topic to its table. */
export function compileTableNameFormat(format: string): (topic: string) => TableRef {
  const problems = checkTableNameFormat(format);
  if (problems.length > 0) {
    throw new SinkError('CONFIG_INVALID', `table.name.format ${JSON.stringify(format)}: ${problems.join('; ')}`);
  }
  const [db, table] = split(tokenize(format));
  return (topic) => ({ database: db === null ? null : render(db, topic), table: render(table, topic) });
}

/** One-off form of `compileTableNameFormat`. */
export function tableNameFor(format: string, topic: string): TableRef {
  return compileTableNameFormat(format)(topic);
}
