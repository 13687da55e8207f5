import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The manifest declares only what the conformance suite proves: the features it lists are checked
 * against the scenarios and the capabilities the sink declares to the suite.
 */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const template = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'plugin-manifest', 'manifest.template.json'), 'utf8')) as {
  features: { supported_encodings: string[]; delivery_guarantee: string[]; single_message_transforms: boolean };
};
const scenarioDir = path.join(REPO_ROOT, 'conformance', 'scenarios');
const scenarios = fs
  .readdirSync(scenarioDir)
  .filter((f) => f.endsWith('.conformance.test.ts'))
  .map((f) => fs.readFileSync(path.join(scenarioDir, f), 'utf8'));

/** The value converters that read each encoding a manifest may declare. */
const CONVERTERS: Record<string, string[]> = {
  avro: ['io.confluent.connect.avro.AvroConverter'],
  json: ['org.apache.kafka.connect.json.JsonConverter', 'io.confluent.connect.json.JsonSchemaConverter'],
  string: ['org.apache.kafka.connect.storage.StringConverter'],
};

describe('plugin-manifest/manifest.template.json', () => {
  it.each(template.features.supported_encodings)('declares the encoding %s, which a conformance scenario runs through the sink as record values', (encoding) => {
    expect(CONVERTERS[encoding]).toBeDefined();
    const proven = CONVERTERS[encoding].filter((cls) => scenarios.some((text) => text.includes(`'value.converter': '${cls}'`)));
    expect(proven).not.toEqual([]);
  });

  it('declares no single message transforms (the sink has none)', () => {
    expect(template.features.single_message_transforms).toBe(false);
  });
});

describe.each([
  ['plugin-manifest/manifest.template.json', 'conformance/sink-under-test/databend-kafka-sink.capabilities.json'],
  ['connect-plugin/manifest.template.json', 'connect-plugin/databend-kafka-sink-connect.capabilities.json'],
])('%s', (manifest, capabilityFile) => {
  it(`declares exactly-once delivery beside at-least-once only as ${capabilityFile} declares it to the suite and a scenario runs it`, () => {
    const { features } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, manifest), 'utf8')) as { features: { delivery_guarantee: string[] } };
    const capabilities = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, capabilityFile), 'utf8')) as { exactlyOnce: boolean };
    const proven = capabilities.exactlyOnce && scenarios.some((text) => text.includes("scenario('delivery.exactly-once'"));
    expect(features.delivery_guarantee).toEqual(proven ? ['at_least_once', 'exactly_once'] : ['at_least_once']);
  });
});
