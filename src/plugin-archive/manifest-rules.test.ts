import { validManifest } from '../../test-support/archive';
import { checkManifest, componentFolderName, HUB_FIELDS } from './manifest-rules';

const FILES = new Set(['assets/logo.png', 'lib/x.jar']);

type Manifest = Record<string, unknown>;
const withField = (path: string, value: unknown): Manifest => {
  const m = validManifest();
  const keys = path.split('.');
  let at = m;
  for (const k of keys.slice(0, -1)) at = at[k] as Manifest;
  if (value === undefined) delete at[keys[keys.length - 1]];
  else at[keys[keys.length - 1]] = value;
  return m;
};

const found = (m: unknown) => checkManifest(m, FILES).map((f) => `${f.severity} ${f.at}`);

describe('checkManifest', () => {
  it('finds nothing in a complete manifest', () => {
    expect(checkManifest(validManifest(), FILES)).toEqual([]);
  });

  it.each([null, [], 'manifest', 3])('rejects a manifest that is not an object (%p)', (m) => {
    expect(checkManifest(m, FILES)).toEqual([{ severity: 'error', at: '', message: 'must be a JSON object' }]);
  });

  // [field, value (undefined: removed), expected finding]
  it.each<[string, unknown, string]>([
    ['name', undefined, 'error name'],
    ['name', 'Kafka-Connect', 'error name'],
    ['name', 'kafka connect', 'error name'],
    ['name', 7, 'error name'],
    ['version', undefined, 'error version'],
    ['version', '', 'error version'],
    ['version', '1.0 beta', 'error version'],
    ['version', '-1.0', 'error version'],
    ['version', '1.0/2', 'error version'],
    ['title', undefined, 'error title'],
    ['title', ' ', 'error title'],
    ['description', undefined, 'error description'],
    ['description', 42, 'error description'],
    ['owner', undefined, 'error owner'],
    ['owner', 'acme', 'error owner'],
    ['owner.username', undefined, 'error owner.username'],
    ['owner.username', 'Acme', 'error owner.username'],
    ['owner.username', 'acme-data', 'error owner.username'],
    ['owner.username', 'a', 'error owner.username'],
    ['owner.username', 'a'.repeat(256), 'error owner.username'],
    ['owner.type', undefined, 'warning owner.type'],
    ['owner.type', 'company', 'error owner.type'],
    ['owner.name', undefined, 'error owner.name'],
    ['owner.url', 'acme.example', 'error owner.url'],
    ['owner.url', 'ftp://acme.example', 'error owner.url'],
    ['owner.logo', 'logo.png', 'error owner.logo'],
    ['owner.logo', 'assets/missing.png', 'error owner.logo'],
    ['owner.logo', 'assets/sub/logo.png', 'error owner.logo'],
    ['owner.logo', 'assets/../logo.png', 'error owner.logo'],
    ['support', undefined, 'warning support'],
    ['support', [], 'error support'],
    ['support.provider_name', undefined, 'warning support.provider_name'],
    ['support.provider_name', '', 'error support.provider_name'],
    ['support.summary', undefined, 'warning support.summary'],
    ['support.url', undefined, 'warning support.url'],
    ['support.url', 'mailto:help@acme.example', 'error support.url'],
    ['support.logo', 'assets/other.png', 'error support.logo'],
    ['tags', undefined, 'warning tags'],
    ['tags', 'sink', 'error tags'],
    ['tags', ['sink', ''], 'error tags'],
    ['tags', ['sink', 'database'], 'warning tags'],
    ['tags', ['database', 'database'], 'warning tags'],
    ['requirements', undefined, 'warning requirements'],
    ['requirements', 'Kafka', 'error requirements'],
    ['features', undefined, 'warning features'],
    ['features', true, 'error features'],
    ['features.supported_encodings', undefined, 'warning features.supported_encodings'],
    ['features.supported_encodings', [], 'error features.supported_encodings'],
    ['features.supported_encodings', 'avro', 'error features.supported_encodings'],
    ['features.single_message_transforms', 'false', 'error features.single_message_transforms'],
    ['features.confluent_control_center_integration', undefined, 'warning features.confluent_control_center_integration'],
    ['features.kafka_connect_api', 1, 'error features.kafka_connect_api'],
    ['features.delivery_guarantee', undefined, 'warning features.delivery_guarantee'],
    ['features.delivery_guarantee', [], 'error features.delivery_guarantee'],
    ['features.delivery_guarantee', 'at_least_once', 'error features.delivery_guarantee'],
    ['features.delivery_guarantee', ['at_least_once', 'twice'], 'error features.delivery_guarantee[1]'],
    ['logo', 'assets/missing.png', 'error logo'],
    ['logo', '/assets/logo.png', 'error logo'],
    ['logo', 3, 'error logo'],
    ['documentation_url', undefined, 'warning documentation_url'],
    ['documentation_url', 'docs', 'error documentation_url'],
    ['source_url', 'git@acme.example:src.git', 'error source_url'],
    ['docker_image', 'acme/sink:1.2', 'error docker_image'],
    ['license', undefined, 'error license'],
    ['license', { name: 'Apache License 2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' }, 'error license'],
    ['license', 'Apache-2.0', 'error license'],
    ['license', [], 'error license'],
    ['license', ['Apache-2.0'], 'error license[0]'],
    ['license', [{ url: 'https://www.apache.org/licenses/LICENSE-2.0' }], 'error license[0].name'],
    ['license', [{ name: 'Apache License 2.0' }], 'warning license[0].url'],
    ['license', [{ name: 'Apache License 2.0', url: 'apache.org' }], 'error license[0].url'],
    ['component_types', undefined, 'error component_types'],
    ['component_types', 'sink', 'error component_types'],
    ['component_types', [], 'error component_types'],
    ['component_types', ['sink', 'connector'], 'error component_types[1]'],
    ['component_types', ['sink', 'sink'], 'error component_types'],
    ['release_date', undefined, 'warning release_date'],
    ['release_date', '2025-3-1', 'error release_date'],
    ['release_date', '2025-02-30', 'error release_date'],
    ['release_date', 1740787200, 'error release_date'],
  ])('%s = %j → %s', (field, value, expected) => {
    expect(found(withField(field, value))).toEqual([expected]);
  });

  it.each(HUB_FIELDS)('warns about %s, which a hub adds itself', (field) => {
    expect(found({ ...validManifest(), [field]: {} })).toEqual([`warning ${field}`]);
  });

  it('warns about fields that are not manifest fields', () => {
    expect(found({ ...validManifest(), documentaton_url: 'https://acme.example/docs' })).toEqual(['warning documentaton_url']);
  });

  it('accepts every component type and delivery guarantee, an absent optional logo and user owners', () => {
    const m = withField('component_types', ['source', 'sink', 'converter', 'transform']);
    (m.features as Manifest).delivery_guarantee = ['at_least_once', 'at_most_once', 'exactly_once'];
    (m.owner as Manifest).type = 'user';
    delete m.logo;
    expect(checkManifest(m, FILES)).toEqual([]);
  });

  it('lists every problem at once, each with its field', () => {
    const m = validManifest();
    m.name = 'Bad Name';
    (m.owner as Manifest).username = 'Bad-Owner';
    m.license = { name: 'MIT' };
    m.logo = 'assets/none.png';
    delete m.component_types;
    expect(found(m)).toEqual(['error name', 'error owner.username', 'error logo', 'error license', 'error component_types']);
  });

  it('says what is expected', () => {
    const [f] = checkManifest(withField('owner.username', 'Acme-Data'), FILES);
    expect(f.message).toBe('"Acme-Data" must be 2–255 lowercase letters, digits and "_"');
    expect(checkManifest(withField('logo', 'assets/none.png'), FILES)[0].message).toBe('"assets/none.png" is not in the component');
  });
});

describe('componentFolderName', () => {
  it('is {owner.username}-{name}-{version}, names and versions with "-" included', () => {
    expect(componentFolderName(validManifest())).toBe('acme_data-kafka-connect-example-1.2.0');
    expect(componentFolderName({ ...validManifest(), version: '1.2.0-rc-1' })).toBe('acme_data-kafka-connect-example-1.2.0-rc-1');
  });

  it('is undefined when a part is invalid', () => {
    expect(componentFolderName(withField('owner.username', 'Acme'))).toBeUndefined();
    expect(componentFolderName(withField('name', undefined))).toBeUndefined();
    expect(componentFolderName(withField('version', '1 0'))).toBeUndefined();
    expect(componentFolderName('x')).toBeUndefined();
  });
});
