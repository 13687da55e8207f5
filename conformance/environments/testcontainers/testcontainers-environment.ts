import type { Environment, ServiceName, StartedEnvironment } from '../environment';
import { databendDsn } from '../environment';
import { ContainerSpec, databendSpec, KAFKA_ALIAS, schemaRegistrySpec } from './container-specs';
import { IMAGES } from './images';

const DATABEND_USER = 'databend';
const DATABEND_PASSWORD = 'databend';

/** The same three services as real images on one network, for machines with a container runtime. */
export class TestcontainersEnvironment implements Environment {
  readonly name = 'testcontainers' as const;

  async start(): Promise<StartedEnvironment> {
    const { GenericContainer, Network, Wait, getContainerRuntimeClient } = await import('testcontainers');
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const network = await new Network().start();
    const build = (spec: ContainerSpec) =>
      new GenericContainer(spec.image)
        .withNetwork(network)
        .withNetworkAliases(spec.networkAlias)
        .withEnvironment(spec.environment)
        .withExposedPorts(spec.exposedPort)
        .withWaitStrategy(Wait.forHttp(spec.readyPath, spec.exposedPort).forStatusCode(200));
    const kafka = await new KafkaContainer(IMAGES.kafka).withKraft().withNetwork(network).withNetworkAliases(KAFKA_ALIAS).start();
    const registrySpec = schemaRegistrySpec();
    const dbSpec = databendSpec(DATABEND_USER, DATABEND_PASSWORD);
    const [registry, databend] = await Promise.all([build(registrySpec).start(), build(dbSpec).start()]);
    const containers = { kafka, 'schema-registry': registry, databend } as const;
    const docker = (await getContainerRuntimeClient()).container;
    const byService = async (service: ServiceName) => docker.getById(containers[service].getId());
    const db = { host: databend.getHost(), port: databend.getMappedPort(8000), user: DATABEND_USER, password: DATABEND_PASSWORD, sslmode: 'disable' as const };
    return {
      name: this.name,
      endpoints: {
        kafka: { bootstrapServers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`], clientSettings: {} },
        schemaRegistry: { url: `http://${registry.getHost()}:${registry.getMappedPort(8081)}` },
        databend: { ...db, dsn: databendDsn(db) },
      },
      versions: { kafka: IMAGES.kafka, 'schema-registry': IMAGES.schemaRegistry, databend: IMAGES.databend },
      timings: [],
      supportsFaults: true,
      // Pausing freezes the container with its ports kept, so clients see a hung service, then recovery.
      pause: async (service) => (await byService(service)).pause(),
      resume: async (service) => (await byService(service)).unpause(),
      logTail: () => '',
      stop: async () => {
        await Promise.allSettled([registry.stop(), databend.stop()]);
        await kafka.stop();
        await network.stop();
      },
    };
  }
}

/**
 * True when a container runtime answers within `timeoutMs`. The testcontainers probe can hang on
 * a half-configured Docker host, so it is raced against a timer.
 */
export async function containerRuntimeAvailable(timeoutMs = 2000): Promise<boolean> {
  const probe = (async () => {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  })().catch(() => false);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
