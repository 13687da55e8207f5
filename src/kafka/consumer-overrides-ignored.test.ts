import { validateConfig } from '../config/validate-config';
import { consumerTuning } from './kafka-client-settings';

/**
 * Regression: consumer.override.* keys that are not Kafka client keys were documented as passed to
 * the consumer but silently dropped, so e.g. consumer.override.session.timeout.ms had no effect and
 * a restarted sink waited kafkajs's default 30 s for its crashed predecessor to leave the group.
 */
const BASE = {
  name: 'overrides',
  'connection.url': 'jdbc:databend://localhost:8000',
  'bootstrap.servers': 'localhost:9092',
  topics: 't',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
};

test('group timings reach the kafkajs consumer options', () => {
  expect(consumerTuning({ 'session.timeout.ms': '6000', 'heartbeat.interval.ms': '1000', 'max.poll.interval.ms': '300000' })).toEqual({
    tuning: { sessionTimeout: 6000, heartbeatInterval: 1000, rebalanceTimeout: 300000 },
    unsupported: [],
    invalid: [],
  });
});

test('a bad value is a config problem naming the key; a key kafkajs cannot honour is a warning', () => {
  const { problems, warnings } = validateConfig({ ...BASE, 'consumer.override.session.timeout.ms': 'soon', 'consumer.override.isolation.level': 'read_committed' });
  expect(problems.map((p) => p.key)).toEqual(['consumer.override.session.timeout.ms']);
  expect(warnings.map((w) => `${w.key}: ${w.message}`)).toContainEqual(expect.stringMatching(/^consumer\.override\.isolation\.level: has no effect/));
});

test('valid overrides are kept for the consumer', () => {
  const { config, problems } = validateConfig({ ...BASE, 'consumer.override.session.timeout.ms': '6000' });
  expect(problems).toEqual([]);
  expect(consumerTuning(config!.kafka.consumerOverrides).tuning).toEqual({ sessionTimeout: 6000 });
});
