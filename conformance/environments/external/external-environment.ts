import type { Environment, StartedEnvironment } from '../environment';
import { databendDsn } from '../environment';

/**
 * Endpoints given by the user (e.g. Confluent Cloud + Databend Cloud). Nothing is started or
 * stopped here, so fault scenarios are not applicable.
 */
export const EXTERNAL_VARIABLES = {
  KAFKA_BOOTSTRAP: 'comma-separated host:port list (required)',
  SCHEMA_REGISTRY_URL: 'Schema Registry base URL (required)',
  DATABEND_DSN: 'databend://user:password@host:port/?sslmode=enable (required)',
  KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT | SSL | SASL_PLAINTEXT | SASL_SSL (optional)',
  KAFKA_SASL_MECHANISM: 'PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512 (optional)',
  KAFKA_SASL_USERNAME: 'SASL user or API key (optional)',
  KAFKA_SASL_PASSWORD: 'SASL password or API secret (optional)',
  SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'key:secret for the registry (optional)',
} as const;

const REQUIRED = ['KAFKA_BOOTSTRAP', 'SCHEMA_REGISTRY_URL', 'DATABEND_DSN'] as const;

export class ExternalEnvironment implements Environment {
  readonly name = 'external' as const;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async start(): Promise<StartedEnvironment> {
    return startedExternal(this.env);
  }
}

export function startedExternal(env: NodeJS.ProcessEnv): StartedEnvironment {
  const missing = REQUIRED.filter((k) => !env[k]);
  if (missing.length > 0) {
    const lines = missing.map((k) => `  ${k}: ${EXTERNAL_VARIABLES[k]}`);
    throw new Error(`CONFORMANCE_ENV=external needs these environment variables:\n${lines.join('\n')}`);
  }
  const dsn = parseDatabendDsn(env.DATABEND_DSN as string);
  const clientSettings: Record<string, string> = {};
  if (env.KAFKA_SECURITY_PROTOCOL) clientSettings['security.protocol'] = env.KAFKA_SECURITY_PROTOCOL;
  if (env.KAFKA_SASL_MECHANISM) clientSettings['sasl.mechanism'] = env.KAFKA_SASL_MECHANISM;
  if (env.KAFKA_SASL_USERNAME) {
    const module = (env.KAFKA_SASL_MECHANISM ?? 'PLAIN').startsWith('SCRAM')
      ? 'org.apache.kafka.common.security.scram.ScramLoginModule'
      : 'org.apache.kafka.common.security.plain.PlainLoginModule';
    const quote = (v: string) => JSON.stringify(v);
    clientSettings['sasl.jaas.config'] =
      `${module} required username=${quote(env.KAFKA_SASL_USERNAME)} password=${quote(env.KAFKA_SASL_PASSWORD ?? '')};`;
  }
  const unsupported = async (): Promise<void> => {
    throw new Error('the external environment cannot stop or start services');
  };
  return {
    name: 'external',
    endpoints: {
      kafka: { bootstrapServers: (env.KAFKA_BOOTSTRAP as string).split(',').map((s) => s.trim()), clientSettings },
      schemaRegistry: { url: env.SCHEMA_REGISTRY_URL as string, basicAuthUserInfo: env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO },
      databend: dsn,
    },
    versions: { kafka: 'external', 'schema-registry': 'external', databend: 'external' },
    timings: [],
    supportsFaults: false,
    pause: unsupported,
    resume: unsupported,
    logTail: () => '',
    stop: async () => undefined,
  };
}

export function parseDatabendDsn(dsn: string): StartedEnvironment['endpoints']['databend'] {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw new Error(`DATABEND_DSN is not a URL (expected databend://user:password@host:port/?sslmode=…)`);
  }
  if (url.protocol !== 'databend:') throw new Error(`DATABEND_DSN must start with databend:// (got ${url.protocol}//…)`);
  const sslmode = url.searchParams.get('sslmode') === 'disable' ? 'disable' : 'enable';
  const endpoint = {
    host: url.hostname,
    port: Number(url.port || (sslmode === 'disable' ? 8000 : 443)),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    sslmode,
  } as const;
  return { ...endpoint, dsn: databendDsn(endpoint) };
}
