import type { ScenarioContext } from '../harness/scenario-context';
import type { ConnectorConfig } from '../sink-under-test/sink-under-test';

/**
 * What `fixtures/avro/evolution/v1.avsc` becomes (sink.md §2), as `s.columnTypes` lists it. The
 * evolution scenarios judge the nullability only of the columns their change adds or empties; the
 * mapping's rule for the others is judged where tables are created (`create.avro`, `types.matrix`).
 */
const V1_COLUMN_TYPES = [
  ['id', 'BIGINT'],
  ['note', 'VARCHAR'],
  ['qty', 'INT'],
  ['sensor', 'VARCHAR'],
];

/** The v1 columns' names and types plus `added`, ordered by name like `s.columnTypes`. */
export function v1ColumnsWith(...added: string[][]): string[][] {
  return [...V1_COLUMN_TYPES, ...added].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** A sink on one Avro topic (String keys) whose value schema evolves; `auto.evolve` on unless overridden. */
export function avroEvolutionConfig(s: ScenarioContext, topic: string, overrides: Record<string, string> = {}): ConnectorConfig {
  return s.config({
    topics: topic,
    'auto.evolve': 'true',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'io.confluent.connect.avro.AvroConverter',
    ...overrides,
  });
}
