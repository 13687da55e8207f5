import * as fs from 'node:fs';
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import './kafka-codecs';
import type { KafkaEndpoint } from '../environments/environment';

/**
 * A kafkajs client for the suite's own producing and offset checks. The judge has its own client
 * code: a sink and the suite that checks it must not share the code that could be wrong in both.
 */
export function kafkaClient(endpoint: KafkaEndpoint, clientId = 'conformance'): Kafka {
  return new Kafka({
    clientId,
    brokers: endpoint.bootstrapServers,
    logLevel: logLevel.NOTHING,
    ...kafkaClientSecurity(endpoint.clientSettings),
  });
}

const SASL_MECHANISMS: Record<string, SASLOptions['mechanism']> = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' };

/**
 * kafkajs options for the Kafka client settings an environment hands out (the Java client's
 * `security.protocol`, `sasl.mechanism`, `sasl.jaas.config` with a username and password, and a
 * PEM `ssl.truststore.location`). Only what the suite's environments use; anything else is an error
 * naming the setting.
 */
export function kafkaClientSecurity(settings: Record<string, string>): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const protocol = (settings['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) throw new Error(`the suite's Kafka client: security.protocol=${protocol} is not supported`);
  const options: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (protocol.endsWith('SSL')) {
    const truststore = settings['ssl.truststore.location'];
    options.ssl = truststore ? { ca: [fs.readFileSync(truststore, 'utf8')] } : true;
  }
  if (protocol.startsWith('SASL_')) {
    const mechanism = SASL_MECHANISMS[(settings['sasl.mechanism'] ?? '').toUpperCase()];
    if (!mechanism) throw new Error(`the suite's Kafka client: sasl.mechanism=${settings['sasl.mechanism'] ?? '(unset)'} is not one of ${Object.keys(SASL_MECHANISMS).join(', ')}`);
    const jaas = settings['sasl.jaas.config'] ?? '';
    const field = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|'([^']*)')`).exec(jaas);
    const [username, password] = [field('username'), field('password')].map((m) => (m ? (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]) : undefined));
    if (username === undefined || password === undefined) throw new Error("the suite's Kafka client: sasl.jaas.config has no quoted username and password");
    options.sasl = { mechanism, username, password } as SASLOptions;
  }
  return options;
}
