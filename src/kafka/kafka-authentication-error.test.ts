import { KafkaJSNonRetriableError, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { SinkError } from '../errors';
import { kafkaAuthenticationError } from './kafka-authentication-error';

/**
 * Regression: a wrong SASL password made the sink stop with "cannot reach Kafka at …" (code
 * KAFKA_UNAVAILABLE, exit 4 "unavailable"), which sends an operator looking at the network. It now
 * says which login was refused and which key holds the credentials (found by security.auth).
 */
const BROKERS = ['broker-1:9092', 'broker-2:9092'];
/** kafkajs's own error class; its type declaration omits the constructor's message argument. */
const saslError = (message: string): Error => new (KafkaJSSASLAuthenticationError as unknown as new (m: string) => Error)(message);
const SECURITY = { sasl: { mechanism: 'scram-sha-512' as const, username: 'sink_user', password: 'hunter2-secret' } };

test('a refused SASL login is a config error naming brokers, user, mechanism and key, never the password', () => {
  const kafkajs = saslError('SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512');
  const error = kafkaAuthenticationError(kafkajs, BROKERS, SECURITY);
  expect(error).toBeInstanceOf(SinkError);
  expect(error?.code).toBe('CONFIG_INVALID');
  expect(error?.isRetriable).toBe(false);
  expect(error?.message).toMatch(/^Kafka at broker-1:9092,broker-2:9092 refused the SASL login of user "sink_user" with sasl\.mechanism=SCRAM-SHA-512: check the username and password in sasl\.jaas\.config \(SASL SCRAM SHA512 authentication failed/);
  expect(error?.message).not.toContain('hunter2-secret');
});

test('found when kafkajs wraps it, as its retry loop does (the original as the cause)', () => {
  const sasl = saslError('SASL PLAIN authentication failed: Invalid username or password');
  const wrapped = new (KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error)(sasl, { cause: sasl });
  const outer = new Error('connect failed', { cause: wrapped });
  expect(kafkaAuthenticationError(outer, BROKERS, { sasl: { mechanism: 'plain', username: 'KEY', password: 'p' } })?.message).toContain('user "KEY" with sasl.mechanism=PLAIN');
});

test('other errors are left alone', () => {
  expect(kafkaAuthenticationError(new Error('Connection error: connect ECONNREFUSED'), BROKERS, SECURITY)).toBeUndefined();
  expect(kafkaAuthenticationError('not an error', BROKERS, SECURITY)).toBeUndefined();
});
