/**
 * Import rules, checked by `npm run lint:deps` (and `npm test`). The sink's folders form layers, each
 * importing only the layers below it; one direction, from the CLI down to the record model:
 *
 *   cli → {app, connect, plugin-archive} → config → task → {kafka, databend} → {converters, planner}
 *       → dialect → ports → {record, retry} → {errors, logging, version}
 *
 * Folders on one line of the picture do not import each other. Tests may reach across layers (a
 * planner test builds records with a converter), but nothing imports a test, and no production
 * file imports test-support/. docs/architecture.md describes each folder and the data flow.
 */
const LAYERS = [
  ['cli'],
  ['app', 'connect', 'plugin-archive'],
  ['config'],
  ['task', 'observability'],
  ['kafka', 'databend'],
  ['converters', 'planner'],
  ['dialect'],
  ['ports'],
  ['record', 'retry'],
  ['errors', 'logging', 'version', 'events'],
];

const folder = (name) => `^src/${name}(?:/|\\.ts$)`;
const PRODUCTION = { pathNot: '\\.test\\.ts$' };

/** A layer may import only what is below it: never a layer above, nor its siblings. */
const layerRules = LAYERS.flatMap((layer, i) =>
  layer.flatMap((name) => {
    const forbidden = [...LAYERS.slice(0, i).flat(), ...layer.filter((other) => other !== name)];
    if (forbidden.length === 0) return [];
    return {
      name: `layer-${name}`,
      comment: `src/${name} is in layer ${i} (.dependency-cruiser.cjs, LAYERS): it may not import ${forbidden.join(', ')}`,
      severity: 'error',
      from: { path: folder(name), ...PRODUCTION },
      to: { path: forbidden.map(folder).join('|') },
    };
  }),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles in src/ and test-support/.',
      severity: 'error',
      from: { path: '^(src|test-support)/' },
      to: { circular: true },
    },
    {
      name: 'unlayered-folder',
      comment: 'Every folder of src/ has a place in LAYERS (.dependency-cruiser.cjs).',
      severity: 'error',
      from: { path: '^src/', pathNot: `${LAYERS.flat().map(folder).join('|')}` },
      to: {},
    },
    ...layerRules,
    {
      name: 'no-test-code-in-production',
      comment: 'Production code imports neither tests nor test-support/ (test doubles live outside src/).',
      severity: 'error',
      from: { path: '^src/', ...PRODUCTION },
      to: { path: ['\\.test\\.ts$', '^test-support/'] },
    },
    {
      name: 'conformance-is-sink-neutral',
      comment:
        'conformance/ judges any sink: only the adapters that launch ours import src/ or scripts/ (the same rule as eslint.config.mjs). ' +
        'A sink and its judge must not share the code that could be wrong in both.',
      severity: 'error',
      from: {
        path: '^conformance/',
        pathNot: ['^conformance/sink-under-test/(archive-sink|inprocess-sink|select-sink)\\.ts$'],
      },
      to: { path: ['^src/', '^scripts/'] },
    },
    {
      name: 'no-private-package-paths',
      comment:
        "Packages' private files (the rule sees resolved paths, so it names the packages whose private modules are within reach) are imported only where " +
        "the pinned version's shape is declared and the reason told: kafkajs internals behind src/kafka/ (kafkajs-internals.d.ts: the rejoin and " +
        "heartbeat fixes), avsc's byte cursor in the Avro converter (avsc-internals.d.ts: strict UTF-8). The registry client imports none of " +
        "@kafkajs/confluent-schema-registry.",
      severity: 'error',
      from: { pathNot: ['^src/kafka/', '^src/converters/avro-translation\\.ts$'] },
      to: {
        path: [
          '^node_modules/kafkajs/src/',
          '^node_modules/avsc/lib/utils',
          '^node_modules/@kafkajs/confluent-schema-registry/dist/',
          '^node_modules/databend-driver/(?!index\\.js$)',
        ],
      },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|build|dist|reports|\\.runtimes)/' },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
