import { randomBytes } from 'node:crypto';
import type { KafkaUser, SaslMechanism, SecuredKafkaEndpoint } from '../environment';
import type { ServerCertificate } from './keytool-certificate';

/**
 * The local broker's second listener, `SASL_SSL`: TLS with a certificate made for this run, and one
 * user per SASL mechanism with a password made for this run. PLAIN users live in the listener's JAAS
 * line; SCRAM credentials are written into the cluster metadata when the log dir is formatted
 * (`StorageTool format --add-scram`), so they exist before the broker first answers and no admin
 * round-trip is needed at start.
 */
export const SECURED_LISTENER = 'SASL_SSL';

const MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

/** Users for a new run: `sink_plain`, `sink_scram_sha_256`, `sink_scram_sha_512`, random hex passwords. */
export function newListenerUsers(): KafkaUser[] {
  return MECHANISMS.map((mechanism) => ({
    mechanism,
    username: `sink_${mechanism.toLowerCase().replace(/-/g, '_')}`,
    password: randomBytes(16).toString('hex'),
  }));
}

/** `server.properties` entries of the listener (the listener itself is added to `listeners` by the caller). */
export function securedListenerProperties(users: readonly KafkaUser[], certificate: ServerCertificate): Record<string, string> {
  const prefix = `listener.name.${SECURED_LISTENER.toLowerCase()}`;
  const plainUsers = users
    .filter((u) => u.mechanism === 'PLAIN')
    .map((u) => ` user_${u.username}="${u.password}"`)
    .join('');
  return {
    [`${prefix}.sasl.enabled.mechanisms`]: MECHANISMS.join(','),
    [`${prefix}.plain.sasl.jaas.config`]: `org.apache.kafka.common.security.plain.PlainLoginModule required${plainUsers};`,
    [`${prefix}.scram-sha-256.sasl.jaas.config`]: 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    [`${prefix}.scram-sha-512.sasl.jaas.config`]: 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    [`${prefix}.ssl.keystore.type`]: 'PKCS12',
    [`${prefix}.ssl.keystore.location`]: certificate.keystoreFile,
    [`${prefix}.ssl.keystore.password`]: certificate.keystorePassword,
    [`${prefix}.ssl.key.password`]: certificate.keystorePassword,
  };
}

/** `StorageTool format` arguments that create the SCRAM users. */
export function scramFormatArguments(users: readonly KafkaUser[]): string[] {
  return users
    .filter((u) => u.mechanism.startsWith('SCRAM-'))
    .flatMap((u) => ['--add-scram', `${u.mechanism}=[name=${u.username},password=${u.password}]`]);
}

export function securedEndpoint(port: number, users: readonly KafkaUser[], certificate: ServerCertificate): SecuredKafkaEndpoint {
  return { bootstrapServers: [`127.0.0.1:${port}`], caPemFile: certificate.certificatePemFile, users: [...users] };
}
