import { CONFIG_GROUPS, CONFIG_KEYS, configKey, displayValue, isSensitiveKey, redactUrlSecrets } from './config-definitions';
import { applyValidator, parseByType } from './validate-config';

describe('the declaration', () => {
  it('declares each key once, with a display name, documentation and a known group', () => {
    const names = CONFIG_KEYS.map((k) => k.name);
    expect(new Set(names).size).toBe(names.length);
    for (const k of CONFIG_KEYS) {
      expect(k.displayName.length).toBeGreaterThan(0);
      expect(k.documentation.length).toBeGreaterThan(20);
      expect(CONFIG_GROUPS).toContain(k.group);
    }
  });

  it('numbers each group 1..n in order', () => {
    for (const g of CONFIG_GROUPS) {
      expect(CONFIG_KEYS.filter((k) => k.group === g).map((k) => k.orderInGroup)).toEqual(CONFIG_KEYS.filter((k) => k.group === g).map((_, i) => i + 1));
    }
  });

  it('every default passes its own type and validator; required keys have none', () => {
    for (const k of CONFIG_KEYS) {
      if (k.required) {
        expect(k.defaultValue).toBeNull();
        continue;
      }
      if (k.defaultValue === null) continue;
      const typed = parseByType(k, k.defaultValue);
      expect(typed.ok).toBe(true);
      if (typed.ok && !(k.type === 'STRING' && typed.value === '')) expect({ key: k.name, ...applyValidator(k.validator, typed.value) }).toMatchObject({ key: k.name, ok: true });
    }
  });

  it('dependents name declared keys', () => {
    for (const k of CONFIG_KEYS) for (const d of k.dependents) expect(configKey(d)).toBeDefined();
  });

  it('marks every PASSWORD key and every credential-carrying key sensitive', () => {
    for (const k of CONFIG_KEYS) if (k.type === 'PASSWORD') expect(k.sensitive).toBe(true);
    const sensitive = CONFIG_KEYS.filter((k) => k.sensitive).map((k) => k.name);
    expect(sensitive).toEqual(
      expect.arrayContaining([
        'connection.password',
        'sasl.jaas.config',
        'ssl.key.password',
        'ssl.keystore.key',
        'ssl.keystore.password',
        'ssl.truststore.password',
        'key.converter.basic.auth.user.info',
        'value.converter.basic.auth.user.info',
        'key.converter.schema.registry.basic.auth.user.info',
        'value.converter.schema.registry.basic.auth.user.info',
        'kafka.api.key',
        'kafka.api.secret',
      ]),
    );
    expect(sensitive).toHaveLength(12);
  });

  it('declares linger.ms as LONG, default 1000, at least 0', () => {
    expect(configKey('linger.ms')).toMatchObject({ type: 'LONG', defaultValue: '1000', validator: { kind: 'range', min: 0 } });
  });
});

describe('isSensitiveKey', () => {
  it.each([
    ['connection.password', true],
    ['sasl.jaas.config', true],
    ['consumer.override.sasl.jaas.config', true],
    ['value.converter.basic.auth.user.info', true],
    ['header.converter.basic.auth.user.info', true],
    ['connection.api.token', true],
    ['my.client.secret', true],
    ['value.converter.basic.auth.credentials.source', false],
    ['connection.url', false],
    ['topics', false],
    ['connection.warehouse', false],
  ])('%s → %p', (key, expected) => {
    expect(isSensitiveKey(key)).toBe(expected);
  });
});

describe('displayValue', () => {
  it('hides sensitive values and passwords inside URLs', () => {
    expect(displayValue('connection.password', 'x')).toBe('[hidden]');
    expect(displayValue('connection.url', 'jdbc:databend://u:pw@h:8000/db')).toBe('jdbc:databend://u:[hidden]@h:8000/db');
    expect(displayValue('connection.url', 'jdbc:databend://h/db?user=u&password=pw&ssl=true')).toBe('jdbc:databend://h/db?user=u&password=[hidden]&ssl=true');
    expect(displayValue('topics', 'a,b')).toBe('a,b');
    expect(displayValue('topics', undefined)).toBeNull();
  });

  it('hides a password that contains / or @', () => {
    expect(redactUrlSecrets('databend://u:p/w@x@h:8000/db')).toBe('databend://u:[hidden]@h:8000/db');
  });
});
