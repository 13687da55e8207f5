// Runs the sink's converters, planner and CSV encoding over recorded messages, from a compiled tree
// (build/ or BENCH_BUILD_DIR), for `instruction-count.ts` to count under callgrind. Plain JS, so
// that nothing but the sink's own code is compiled while it runs.
// usage: node --predictable instruction-probe.cjs <buildDir> <data.json> <passes>
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run by node without a loader */
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const [buildDir, dataFile, passesText] = process.argv.slice(2);
const passes = Number(passesText);
/** The first module of `candidates` the tree has: the probe measures trees from before and after a file moved. */
function requireFirst(candidates) {
  const found = candidates.map((c) => path.join(buildDir, c)).find((p) => fs.existsSync(p));
  if (!found) throw new Error(`${buildDir} has none of ${candidates.join(', ')}`);
  return require(found);
}
const { createConverter } = requireFirst(['src/converters/converter-factory.js', 'src/converters/converter.js']);
const { BatchPlanner } = require(path.join(buildDir, 'src/planner/batch-plan.js'));
// The encode stage: dialect/encode-rows.js (earlier trees: planner/row-encoding.js).
const rowEncoding = requireFirst(['src/dialect/encode-rows.js', 'src/planner/row-encoding.js']);
const data = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
const messages = data.messages.map(([key, value]) => ({ key: Buffer.from(key), value: Buffer.from(value, 'base64') }));
const registry = { getSchema: async (id) => ({ id, format: 'AVRO', schema: data.schema, references: [] }) };
const keyConverter = createConverter({ kind: 'string', className: 'StringConverter', schemasEnable: false }, true);
const valueConfigs = {
  avro: { kind: 'avro', className: 'AvroConverter', schemasEnable: false, schemaRegistryUrl: 'memory' },
  json: { kind: 'json', className: 'JsonConverter', schemasEnable: false },
  'connect-json': { kind: 'json', className: 'JsonConverter', schemasEnable: true },
};
const valueConverter = createConverter(valueConfigs[data.format ?? 'avro'], false, registry);
const planner = new BatchPlanner({ insertMode: 'insert', deleteEnabled: false, pkMode: 'none', pkFields: [], fieldsWhitelist: [], tableNameFormat: '${topic}', timezone: 'UTC' });
// The write stage's grouping into one load per table (trees from before it had none): the table as the
// shapes make it, no DEFAULTs.
const grouping = fs.existsSync(path.join(buildDir, 'src/planner/load-grouping.js')) ? require(path.join(buildDir, 'src/planner/load-grouping.js')) : null;
const loads = (operations) => (grouping ? grouping.groupLoads(operations, () => [], 'always') : operations);
// The CSV the writer loads: bytes where the tree has encodeCsvBytes, else the text encoded as the file write does.
const csv = rowEncoding.encodeCsvBytes ?? ((rows) => Buffer.from(rowEncoding.encodeCsv(rows)));

/** As the sink task converts: without a promise where the converter can (tryConvert), else awaited. */
function convertNow(converter, bytes) {
  return converter.tryConvert ? converter.tryConvert('bench', bytes) : undefined;
}

(async () => {
  await valueConverter.toConnectData('bench', messages[0].value);
  let bytes = 0;
  for (let p = 0; p < passes; p++) {
    for (let start = 0; start < messages.length; start += data.batchSize) {
      const records = [];
      for (let i = start; i < Math.min(start + data.batchSize, messages.length); i++) {
        const m = messages[i];
        let key = convertNow(keyConverter, m.key);
        if (key === undefined) key = await keyConverter.toConnectData('bench', m.key);
        let value = convertNow(valueConverter, m.value);
        if (value === undefined) value = await valueConverter.toConnectData('bench', m.value);
        records.push({ topic: 'bench', partition: 0, offset: String(i), timestamp: '0', key, value });
      }
      for (const op of loads(planner.plan(records).operations)) bytes += csv(op.rows).length;
    }
  }
  process.stdout.write(`${bytes}\n`);
})();
