import { kafkaSecurity, parseJaasConfig } from './kafka-client-settings';

/**
 * Regression: Confluent Cloud's client snippet quotes the API key and secret with single quotes
 * (`username='KEY' password='SECRET';`), which Java's JAAS parser accepts. The quotes were kept as
 * part of the values, so the broker refused the login (found by security.auth against a real broker).
 */
const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule';

test('single-quoted username and password are read without their quotes', () => {
  expect(parseJaasConfig(`${PLAIN} required username='ABCDEFGH12345678' password='cflt/s3cr+t=';`)).toEqual({
    loginModule: PLAIN,
    username: 'ABCDEFGH12345678',
    password: 'cflt/s3cr+t=',
  });
});

test('a single-quoted value may hold double quotes, semicolons and escaped single quotes', () => {
  expect(parseJaasConfig(`${PLAIN} required username='u' password='a"b;c\\'d';`)).toMatchObject({ username: 'u', password: `a"b;c'd` });
});

test('SASL_SSL with a single-quoted JAAS line gives kafkajs the bare credentials', () => {
  const security = kafkaSecurity({
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': 'PLAIN',
    'sasl.jaas.config': `${PLAIN} required username='KEY' password='SECRET';`,
  });
  expect(security.sasl).toEqual({ mechanism: 'plain', username: 'KEY', password: 'SECRET' });
});
