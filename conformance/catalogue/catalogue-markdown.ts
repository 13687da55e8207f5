import { isRunRequirement } from '../sink-under-test/capabilities';
import { SCENARIO_CATALOGUE } from './scenario-catalogue';

/**
 * docs/catalogue.md, generated from the catalogue (`npm run docs:catalogue`): every scenario id with
 * its priority, what it expects, and what a sink must declare or a run must offer for it to apply.
 */
export function catalogueMarkdown(): string {
  const lines = [
    '# The scenario catalogue',
    '',
    '<!-- Generated from conformance/catalogue/scenario-catalogue.ts by `npm run docs:catalogue`; a unit test fails when it is stale. -->',
    '',
    'Every scenario the conformance suite knows. Each one lives in `conformance/scenarios/<id>.conformance.test.ts`,',
    'isolated by its own topics, registry subjects and database, and is judged on what the sink does in',
    'Kafka and Databend. The report (`reports/conformance-report.md`) lists every id with its result:',
    '',
    '- **pass** / **FAIL**: it ran; a failure shows the assertion, the SQL it compared and the sink’s log tail;',
    '- **n/a**: the sink does not declare a capability it needs, or the run does not offer what it needs',
    '  (the reason is named) — never counted as passed;',
    '- **not implemented**: the id has no scenario file, or it did not run.',
    '',
    'Sink capabilities come from the capability file (`CONFORMANCE_SINK_CAPABILITIES`; ours is',
    '`conformance/sink-under-test/databend-kafka-sink.capabilities.json`): `mode:*` (insertModes), `pk:*` (pkModes),',
    '`converter:*` (converters), `evolve:*` (evolution), `auto-create`, `deletes`, `dlq` (deadLetterQueue),',
    '`exactly-once`, `observability`, `client:*` (databendClient). What the run offers: `hard-kill` (the sink',
    'is its own process), `archive` (a component archive is under test), `environment-faults` (services can',
    'be paused), `environment-auth` (an authenticated Kafka listener and Schema Registry),',
    '`environment-request-log` (the Databend front records requests), `databend-path:current|legacy` (the',
    'load path databend-driver takes against the run’s Databend), `kafka-tools` (Kafka’s own Java tools),',
    '`kafka-client-config` / `registry-client-config` (the sink reaches Kafka / the Schema Registry with the',
    'settings of its own config, not in Kafka Connect), and the converters the launch can give the sink.',
    '',
    '| id | P | expectation | sink must declare | run must offer |',
    '|---|---|---|---|---|',
  ];
  const code = (items: string[]) => (items.length === 0 ? '—' : items.map((r) => `\`${r}\``).join(', '));
  for (const entry of SCENARIO_CATALOGUE) {
    const sink = entry.requires.filter((r) => !isRunRequirement(r));
    const run = entry.requires.filter(isRunRequirement);
    lines.push(`| \`${entry.id}\` | ${entry.priority} | ${entry.expectation.replace(/\|/g, '\\|')} | ${code(sink)} | ${code(run)} |`);
  }
  return `${lines.join('\n')}\n`;
}
