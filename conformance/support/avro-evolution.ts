import type { ScenarioContext } from '../harness/scenario-context';
import type { ConnectorConfig } from '../sink-under-test/sink-under-test';

/** What `fixtures/avro/evolution/v1.avsc` becomes (sink.md §2, no key: all nullable), as `s.columns` lists it. */
const V1_COLUMNS = [
  ['id', 'BIGINT', 'YES'],
  ['note', 'VARCHAR', 'YES'],
  ['qty', 'INT', 'YES'],
  ['sensor', 'VARCHAR', 'YES'],
];

/** The v1 columns plus `added`, ordered by name like `s.columns`. */
export function v1ColumnsWith(...added: string[][]): string[][] {
  return [...V1_COLUMNS, ...added].sort((a, b) => (a[0] < b[0] ? -1 : 1));
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
