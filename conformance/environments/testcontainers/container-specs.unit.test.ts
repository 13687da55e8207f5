import { databendSpec, KAFKA_INTERNAL_BOOTSTRAP, schemaRegistrySpec } from './container-specs';
import { IMAGES } from './images';

describe('testcontainers specs', () => {
  it('points the registry at the Kafka broker listener on the shared network, BACKWARD by default', () => {
    const spec = schemaRegistrySpec();
    expect(spec.image).toBe(IMAGES.schemaRegistry);
    expect(spec.environment.SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS).toBe(`PLAINTEXT://${KAFKA_INTERNAL_BOOTSTRAP}`);
    expect(spec.environment.SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL).toBe('backward');
    expect(spec).toMatchObject({ exposedPort: 8081, readyPath: '/subjects' });
  });

  it('creates the Databend default user with the given credentials and waits on /health', () => {
    const spec = databendSpec('u1', 'p w');
    expect(spec.environment).toEqual({ QUERY_DEFAULT_USER: 'u1', QUERY_DEFAULT_PASSWORD: 'p w' });
    expect(spec).toMatchObject({ image: IMAGES.databend, exposedPort: 8000, readyPath: '/health' });
  });

  it('pins every image to an explicit tag', () => {
    for (const image of Object.values(IMAGES)) expect(image).toMatch(/^[a-z0-9/_.-]+:[A-Za-z0-9._-]+$/);
    for (const image of Object.values(IMAGES)) expect(image).not.toMatch(/:latest$/);
  });
});
