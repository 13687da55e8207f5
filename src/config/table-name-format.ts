/**
 * `table.name.format` → an optional fixed database and a table-name template in which `${topic}`
 * is the only placeholder. The database part is the literal text before the one dot that stands
 * outside the placeholder; the topic is substituted whole (its own dots stay in the table name).
 */
export interface TableNameFormat {
  /** Database named by the format, or null for connection.database. */
  database: string | null;
  /** The table part, still holding `${topic}` where the topic goes. */
  template: string;
}

export const TOPIC_PLACEHOLDER = '${topic}';

export function parseTableNameFormat(format: string): TableNameFormat {
  if (format.trim() === '') throw new Error('must not be empty');
  const placeholders = format.match(/\$\{[^}]*\}?/g) ?? [];
  const others = placeholders.filter((p) => p !== TOPIC_PLACEHOLDER);
  if (others.length > 0) {
    throw new Error(`has unknown placeholder ${others.map((o) => JSON.stringify(o)).join(', ')}; \${topic} is the only placeholder`);
  }
  // Dots outside the placeholder separate database and table.
  const literal = format.split(TOPIC_PLACEHOLDER).join('\u0000');
  const dots = [...literal].flatMap((c, i) => (c === '.' ? [i] : []));
  if (dots.length === 0) return { database: null, template: format };
  if (dots.length > 1) throw new Error('may have at most one "." (between database and table)');
  const database = literal.slice(0, dots[0]);
  const table = literal.slice(dots[0] + 1).split('\u0000').join(TOPIC_PLACEHOLDER);
  if (database.includes('\u0000')) throw new Error('database part must be a fixed name, without ${topic}');
  if (database.trim() === '') throw new Error('database part before "." must not be empty');
  if (table.trim() === '') throw new Error('table part after "." must not be empty');
  return { database, template: table };
}

/** The table name for one topic. */
export function tableNameFor(format: TableNameFormat, topic: string): string {
  return format.template.split(TOPIC_PLACEHOLDER).join(topic);
}
