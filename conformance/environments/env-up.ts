/**
 * `npm run env:up`: starts the selected environment, prints its endpoints, and stops everything on
 * Ctrl-C (the managed processes' own signal hooks stop local services by pid).
 */
import { selectEnvironment } from './select-environment';

async function main(): Promise<void> {
  const env = await (await selectEnvironment()).start();
  const { kafka, kafkaSecured, schemaRegistry, schemaRegistrySecured, databend } = env.endpoints;
  process.stdout.write(
    [
      `environment:      ${env.name}`,
      `kafka bootstrap:  ${kafka.bootstrapServers.join(',')}  (${env.versions.kafka})`,
      ...(kafkaSecured
        ? [
            `kafka SASL_SSL:   ${kafkaSecured.bootstrapServers.join(',')}  (ssl.truststore.location=${kafkaSecured.caPemFile})`,
            ...kafkaSecured.users.map((u) => `  ${u.mechanism.padEnd(14)} ${u.username} / ${u.password}`),
          ]
        : []),
      `schema registry:  ${schemaRegistry.url}  (${env.versions['schema-registry']})`,
      ...(schemaRegistrySecured ? [`  with basic auth: ${schemaRegistrySecured.url}  (basic.auth.user.info=${schemaRegistrySecured.basicAuthUserInfo})`] : []),
      `databend dsn:     ${databend.dsn}  (${env.versions.databend})`,
      ...env.timings.map((t) => `  ${t.service}: ${t.cold ? `cold install ${(t.installMs / 1000).toFixed(1)} s, ` : ''}start ${(t.startMs / 1000).toFixed(1)} s`),
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  const stop = () => {
    void env.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
