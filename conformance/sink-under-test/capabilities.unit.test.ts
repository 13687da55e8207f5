import { notApplicableReason, parseCapabilities, unmetRequirements, type Requirement, type RunFacts, type SinkCapabilities } from './capabilities';
import { APICURIO_AVRO_LIMITS, connectAvroLimits } from './connect/avro-converter-limits';
import { loadCapabilities } from './capabilities';
import { OWN_CAPABILITIES } from './select-sink';

const full: SinkCapabilities = {
  insertModes: ['insert', 'upsert', 'update'],
  pkModes: ['record_value', 'record_key', 'kafka'],
  autoCreate: true,
  deletes: true,
  evolution: ['add', 'drop', 'widen'],
  converters: ['avro', 'json-schema', 'json-envelope', 'json-schemaless', 'string'],
  deadLetterQueue: true,
  exactlyOnce: false,
};
const processRun: RunFacts = { hardKill: true, archive: true, environmentFaults: true, environmentAuth: false, databendLoadPath: 'current', databendRequestLog: false, kafkaClientInConfig: true, registryClientInConfig: true, kafkaTools: false, avroLimits: {} };

describe('unmetRequirements', () => {
  it('is empty when the sink and the run offer everything', () => {
    expect(unmetRequirements(['mode:upsert', 'pk:kafka', 'evolve:widen', 'converter:avro', 'dlq', 'deletes', 'auto-create', 'hard-kill', 'archive', 'environment-faults', 'kafka-client-config'], full, processRun)).toEqual({ sink: [], run: [] });
  });

  it('names each missing sink capability', () => {
    const insertOnly: SinkCapabilities = { ...full, insertModes: ['insert'], deletes: false, deadLetterQueue: false, evolution: ['add'] };
    expect(unmetRequirements(['mode:insert', 'mode:upsert', 'deletes', 'dlq', 'evolve:add', 'evolve:drop'], insertOnly, processRun)).toEqual({ sink: ['mode:upsert', 'deletes', 'dlq', 'evolve:drop'], run: [] });
  });

  it('names what the run lacks: an in-process sink cannot be killed, external services cannot be paused', () => {
    const inProcess: RunFacts = { hardKill: false, archive: false, environmentFaults: false, environmentAuth: false, databendLoadPath: 'current', databendRequestLog: false, kafkaClientInConfig: true, registryClientInConfig: true, kafkaTools: false, avroLimits: {} };
    expect(unmetRequirements(['hard-kill', 'archive', 'environment-faults', 'environment-auth', 'exactly-once'], full, inProcess)).toEqual({
      sink: ['exactly-once'],
      run: ['hard-kill', 'archive', 'environment-faults', 'environment-auth'],
    });
  });

  it('a converter the sink declares but the run cannot give it (a Connect setup without one) is the run\'s lack', () => {
    const connectRun: RunFacts = { ...processRun, converters: ['json-envelope', 'json-schemaless', 'string'], kafkaClientInConfig: false, registryClientInConfig: false };
    const unmet = unmetRequirements(['converter:avro', 'converter:json-schema', 'converter:json-envelope', 'kafka-client-config', 'registry-client-config'], full, connectRun);
    expect(unmet).toEqual({ sink: [], run: ['converter:avro', 'converter:json-schema', 'kafka-client-config', 'registry-client-config'] });
    expect(notApplicableReason(unmet, 'a plugin', connectRun)).toBe('this run does not offer converter:avro, converter:json-schema, kafka-client-config, registry-client-config');
    const jsonOnly: SinkCapabilities = { ...full, converters: ['json-schemaless'] };
    expect(notApplicableReason(unmetRequirements(['converter:avro'], jsonOnly, connectRun), 'a plugin', connectRun)).toBe('a plugin does not declare converter:avro');
  });

  it("an Avro feature the run's converter does not carry is the run's lack, named with the converter's reason", () => {
    const connectRun: RunFacts = { ...processRun, converters: ['avro', 'json-envelope', 'json-schemaless', 'string'], avroLimits: APICURIO_AVRO_LIMITS };
    const unmet = unmetRequirements(['converter:avro', 'avro:timestamp-micros', 'avro:optional-default'], full, connectRun);
    expect(unmet).toEqual({ sink: [], run: ['avro:timestamp-micros', 'avro:optional-default'] });
    const reason = notApplicableReason(unmet, 'a plugin', connectRun);
    expect(reason).toMatch(/^the run's Avro converter does not carry avro:timestamp-micros: Kafka Connect decides: its data model has no microsecond timestamp.*plain INT64 of microseconds; the run's Avro converter does not carry avro:optional-default: Kafka Connect decides: .*without its default/);
    // A lack of the run's other than the converter's keeps its plain wording beside it.
    expect(notApplicableReason(unmetRequirements(['hard-kill', 'avro:fixed-decimal'], full, { ...connectRun, hardKill: false }), 'a plugin', connectRun)).toMatch(
      /^this run does not offer hard-kill; the run's Avro converter does not carry avro:fixed-decimal: Kafka Connect decides: .*never reaches the task$/,
    );
    // A run whose sink decodes Avro itself carries every feature.
    expect(unmetRequirements(['avro:timestamp-micros', 'avro:fixed-decimal', 'avro:optional-default', 'avro:time-micros', 'avro:local-timestamp'], full, processRun)).toEqual({ sink: [], run: [] });
  });

  it("the connect adapter's Avro limits are Apicurio's converter's where it offers Avro, none where it offers no Avro converter", () => {
    expect(connectAvroLimits({ apicurioRegistryUrl: 'http://localhost:8080/apis/registry/v2' })).toBe(APICURIO_AVRO_LIMITS);
    expect(connectAvroLimits({})).toEqual({});
    expect(Object.entries(APICURIO_AVRO_LIMITS).filter(([, limit]) => limit.effect === 'refused').map(([feature]) => feature)).toEqual(['fixed-decimal']);
  });

  it('a load path is judged on a sink that speaks it: as declared, else both for databend-driver, else the current one', () => {
    const paths: Requirement[] = ['speaks-path:current', 'speaks-path:legacy'];
    expect(unmetRequirements(paths, full, processRun)).toEqual({ sink: ['speaks-path:legacy'], run: [] });
    expect(unmetRequirements(paths, { ...full, databendClient: 'other' }, processRun)).toEqual({ sink: ['speaks-path:legacy'], run: [] });
    expect(unmetRequirements(paths, { ...full, databendClient: 'databend-driver' }, processRun)).toEqual({ sink: [], run: [] });
    expect(unmetRequirements(paths, { ...full, databendClient: 'other', databendLoadPaths: ['current', 'legacy'] }, processRun)).toEqual({ sink: [], run: [] });
    expect(unmetRequirements(paths, { ...full, databendClient: 'databend-driver', databendLoadPaths: ['current'] }, processRun)).toEqual({ sink: ['speaks-path:legacy'], run: [] });
    expect(notApplicableReason(unmetRequirements(paths, full, processRun), 'x', processRun)).toBe('x does not declare speaks-path:legacy');
    expect(notApplicableReason({ sink: [], run: [] }, 'x', processRun)).toBeUndefined();
  });
});

describe('parseCapabilities', () => {
  it('accepts our own capability file', () => {
    expect(loadCapabilities(OWN_CAPABILITIES).insertModes).toEqual(['insert', 'upsert', 'update']);
  });

  it('lists every problem with the allowed values', () => {
    const attempt = () => parseCapabilities({ insertModes: ['insert', 'merge'], deletes: 'yes', colour: 'red' }, 'vendor.json');
    expect(attempt).toThrow(/vendor\.json/);
    expect(attempt).toThrow(/unknown key "colour"/);
    expect(attempt).toThrow(/"insertModes" must be an array of "insert", "upsert", "update"/);
    expect(attempt).toThrow(/"deletes" must be true or false/);
    expect(attempt).toThrow(/"pkModes" must be an array/);
    expect(attempt).toThrow(/"exactlyOnce" must be true or false/);
  });

  it('takes databendClient as optional, one of the known clients', () => {
    expect(parseCapabilities(full, 'x.json').databendClient).toBeUndefined();
    expect(parseCapabilities({ ...full, databendClient: 'databend-jdbc' }, 'x.json').databendClient).toBe('databend-jdbc');
    expect(() => parseCapabilities({ ...full, databendClient: 'odbc' }, 'x.json')).toThrow(/"databendClient" must be one of "databend-driver", "databend-jdbc", "other" \(or left out\)/);
  });

  it('takes databendLoadPaths as optional, a list of the known paths', () => {
    expect(parseCapabilities(full, 'x.json').databendLoadPaths).toBeUndefined();
    expect(parseCapabilities({ ...full, databendLoadPaths: ['current', 'legacy'] }, 'x.json').databendLoadPaths).toEqual(['current', 'legacy']);
    expect(() => parseCapabilities({ ...full, databendLoadPaths: 'legacy' }, 'x.json')).toThrow(/"databendLoadPaths" must be an array of "current", "legacy"/);
    expect(() => parseCapabilities({ ...full, databendLoadPaths: ['streaming'] }, 'x.json')).toThrow(/"databendLoadPaths" must be an array of "current", "legacy"/);
  });

  it('with exactlyOnce: true, needs the config keys that turn it on, as an object of strings', () => {
    const base = { ...full, exactlyOnce: true };
    expect(() => parseCapabilities(base, 'eo.json')).toThrow(/"exactlyOnceConfig" must name the config keys that turn exactly-once on/);
    expect(() => parseCapabilities({ ...base, exactlyOnceConfig: { 'exactly.once.enabled': true } }, 'eo.json')).toThrow(/"exactlyOnceConfig" must be an object of config keys to string values/);
    expect(parseCapabilities({ ...base, exactlyOnceConfig: {} }, 'eo.json').exactlyOnceConfig).toEqual({});
    expect(loadCapabilities(OWN_CAPABILITIES)).toMatchObject({ exactlyOnce: true, exactlyOnceConfig: { 'exactly.once.enabled': 'true' } });
  });

  it('rejects what is not an object', () => {
    expect(() => parseCapabilities([], 'x.json')).toThrow('capability file x.json: expected a JSON object');
    expect(() => parseCapabilities(null, 'x.json')).toThrow('expected a JSON object');
  });

  it('names the file when it cannot be read or parsed', () => {
    expect(() => loadCapabilities('/no/such/capabilities.json')).toThrow(/capability file \/no\/such\/capabilities\.json: .*ENOENT/);
  });
});
