import * as fs from 'node:fs';
import * as path from 'node:path';

const JSON_FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'json');

/** The text of `fixtures/json/<scenario>/<name>`. */
export function jsonFixture(scenario: string, name: string): string {
  return fs.readFileSync(path.join(JSON_FIXTURES, scenario, name), 'utf8');
}

/** The JSON texts of a `.jsonl` fixture, one per line, kept as text so that int64 literals reach Kafka exactly as written. */
export function jsonFixtureLines(scenario: string, name: string): string[] {
  return jsonFixture(scenario, name)
    .split('\n')
    .filter((line) => line.trim() !== '');
}
