import { Kafka, logLevel } from 'kafkajs';
import { kafkaSecurity } from '../../src/kafka/kafka-client-settings';
import '../../src/kafka/kafkajs-runtime';
import type { KafkaEndpoint } from '../environments/environment';

/** A kafkajs client for the suite's own producing and offset checks. */
export function kafkaClient(endpoint: KafkaEndpoint, clientId = 'conformance'): Kafka {
  return new Kafka({
    clientId,
    brokers: endpoint.bootstrapServers,
    logLevel: logLevel.NOTHING,
    ...kafkaSecurity(endpoint.clientSettings),
  });
}
