/**
 * Where Kafka, the Schema Registry and Databend come from. Scenarios only see `StartedEnvironment`,
 * so the same scenario runs against local processes, containers or external endpoints.
 */
export type ServiceName = 'kafka' | 'schema-registry' | 'databend';

export const SERVICE_NAMES: readonly ServiceName[] = ['kafka', 'schema-registry', 'databend'];

export interface KafkaEndpoint {
  bootstrapServers: string[];
  /** Kafka-style client settings (security.protocol, sasl.*) for external clusters; empty locally. */
  clientSettings: Record<string, string>;
  /** Kafka's own command-line tools for this cluster, where the environment has them (local). */
  tools?: KafkaTools;
}

/**
 * Kafka's own Java tools (kafka.tools.ConsoleProducer, ConsoleConsumer, …), so that scenarios can
 * write and read topics exactly as Kafka's Java clients do: `jvm` is the command line (java, its
 * options, the classpath of the Kafka install) to which a tool's main class and arguments are appended.
 */
export interface KafkaTools {
  jvm: string[];
}

export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** A Kafka user and the SASL mechanism the broker knows it by. */
export interface KafkaUser {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

/**
 * A second, authenticated listener of the same cluster: SASL over TLS, as Confluent Cloud offers
 * it. Scenarios use it only to prove a sink's Kafka security settings; everything else goes
 * through `Endpoints.kafka`.
 */
export interface SecuredKafkaEndpoint {
  /** Brokers of the SASL_SSL listener (`security.protocol=SASL_SSL`). */
  bootstrapServers: string[];
  /** PEM file of the certificate the listener's certificate is trusted by (`ssl.truststore.location`); it names the broker host. */
  caPemFile: string;
  /** One user per SASL mechanism the listener accepts. */
  users: KafkaUser[];
}

export interface SchemaRegistryEndpoint {
  url: string;
  /** `user:password` for basic auth, when the registry needs it. */
  basicAuthUserInfo?: string;
}

export interface DatabendEndpoint {
  /** `databend://user:password@host:port/?sslmode=disable`, as databend-driver takes it. */
  dsn: string;
  host: string;
  port: number;
  user: string;
  password: string;
  sslmode: 'disable' | 'enable';
  /**
   * The local front only: the JSON-lines file where it records every request it served (method,
   * path, status, statement, uploads), so that a scenario can prove which protocol path a sink took.
   */
  requestLog?: string;
}

export interface Endpoints {
  kafka: KafkaEndpoint;
  /** Present where the environment runs an authenticated Kafka listener of its own (local). */
  kafkaSecured?: SecuredKafkaEndpoint;
  schemaRegistry: SchemaRegistryEndpoint;
  /**
   * Present where the environment runs a registry that enforces basic auth (local: an authenticating
   * proxy in front of the same registry, since Apicurio's own authentication needs an identity
   * server). `basicAuthUserInfo` holds its `user:password`. Scenarios use it only to prove a sink's
   * registry credentials; everything else goes through `schemaRegistry`.
   */
  schemaRegistrySecured?: SchemaRegistryEndpoint;
  databend: DatabendEndpoint;
}

/** What each service reported about itself, for reports. */
export type ServiceVersions = Record<ServiceName, string>;

export interface StartTiming {
  service: ServiceName;
  /** Time spent installing (0 when the cache was warm). */
  installMs: number;
  startMs: number;
  cold: boolean;
}

export interface StartedEnvironment {
  readonly name: EnvironmentName;
  readonly endpoints: Endpoints;
  readonly versions: ServiceVersions;
  readonly timings: StartTiming[];
  /** False where services cannot be stopped from here (external endpoints): outage scenarios are then not applicable. */
  readonly supportsFaults: boolean;
  /** Stops one service (fault injection); its endpoint stays reserved for `resume`. */
  pause(service: ServiceName): Promise<void>;
  resume(service: ServiceName): Promise<void>;
  /** Log tail of a service, for failure reports. Empty when the environment has no access to logs. */
  logTail(service: ServiceName, lines?: number): string;
  stop(): Promise<void>;
}

export type EnvironmentName = 'local' | 'testcontainers' | 'external';

export interface Environment {
  readonly name: EnvironmentName;
  start(): Promise<StartedEnvironment>;
}

/** Formats a DSN that databend-driver accepts. */
export function databendDsn(e: Omit<DatabendEndpoint, 'dsn'>, database = 'default'): string {
  const user = encodeURIComponent(e.user);
  const password = encodeURIComponent(e.password);
  return `databend://${user}:${password}@${e.host}:${e.port}/${encodeURIComponent(database)}?sslmode=${e.sslmode}`;
}
