import { sqlStringLiteral } from './identifiers';

/**
 * The statements every sink session runs at login, whoever sends them (databend-connection.ts, and
 * the Kafka Connect plugin's Java session verbatim): the session must not shift values, which the
 * sink renders in UTC; then `settings`, e.g. the exactly-once writer's.
 */
export function loginStatements(settings: Readonly<Record<string, string>>): string[] {
  return ["SET timezone = 'UTC'", ...Object.entries(settings).map(([name, value]) => `SET ${name} = ${sqlStringLiteral(value)}`)];
}
