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
    '`exactly-once`, `observability`, `speaks-path:current|legacy` (databendLoadPaths: the load paths the sink',
    'speaks, each where the server’s version selects it; when absent, both for `databendClient: "databend-driver"`,',
    'else `current`). What the run offers: `hard-kill` (the sink is its own process), `archive` (a component',
    'archive is under test), `environment-faults` (services can be paused), `environment-auth` (an',
    'authenticated Kafka listener and Schema Registry),',
    '`environment-request-log` (the Databend front records requests), `databend-path:current|legacy` (the',
    'load path databend-driver takes against the run’s Databend), `kafka-tools` (Kafka’s own Java tools),',
    '`kafka-client-config` / `registry-client-config` (the sink reaches Kafka / the Schema Registry with the',
    'settings of its own config, not in Kafka Connect), and the converters the launch can give the sink.',
    '',
    'A single check of a scenario can be n/a while the others run and must pass: the report then lists it',
    'with its reason. The checks that need an Avro feature a converter may not carry (`avro:fixed-decimal`,',
    '`avro:timestamp-micros`, `avro:time-micros`, `avro:local-timestamp`, `avro:optional-default`) are n/a',
    'where the run\'s Avro converter does not carry it: in the `connect` adapter, Apicurio\'s AvroConverter',
    '(`conformance/sink-under-test/connect/avro-converter-limits.ts` names what it does instead; Kafka Connect',
    'decides those outcomes before a sink sees the record). So `append.basic` and `evolve.add-many` judge their',
    '`timestamp-micros` column, `evolve.add` and `evolve.drop` the optional field\'s default, and `create.avro`',
    'and `types.matrix` each such column in a check of its own; a field whose records the converter refuses',
    '(a named `fixed` decimal) is left out of what those two produce, so their other columns are still judged.',
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
