import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { SinkError } from '../errors';

/**
 * Turns kafkajs's SASL authentication failure (anywhere in an error's cause chain) into a config
 * error that says what to fix: the brokers, the mechanism and the user whose login was refused, and
 * the key they came from. Wrong credentials do not heal by retrying, so it is not KAFKA_UNAVAILABLE
 * (as Databend's refused credentials are not DATABEND_UNAVAILABLE). The password never appears:
 * kafkajs and the broker name the mechanism and the reason, not the secret.
 *
 * Returns undefined for every other error.
 */
export function kafkaAuthenticationError(err: unknown, brokers: readonly string[], security: Pick<KafkaConfig, 'sasl'>): SinkError | undefined {
  const failure = saslFailure(err);
  if (!failure) return undefined;
  const sasl = security.sasl as Exclude<SASLOptions, { mechanism: 'aws' | 'oauthbearer' }> | undefined;
  const who = sasl ? `user "${sasl.username}" with sasl.mechanism=${sasl.mechanism.toUpperCase()}` : 'the client';
  return new SinkError(
    'CONFIG_INVALID',
    `Kafka at ${brokers.join(',')} refused the SASL login of ${who}: check the username and password in sasl.jaas.config (${failure.message})`,
    undefined,
    { cause: err },
  );
}

function saslFailure(err: unknown): Error | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e.name === 'KafkaJSSASLAuthenticationError') return e;
  }
  return undefined;
}
