/** Container images of the testcontainers environment, pinned in one place. */
export const IMAGES = {
  kafka: 'confluentinc/cp-kafka:7.9.0',
  schemaRegistry: 'confluentinc/cp-schema-registry:7.9.0',
  databend: 'datafuselabs/databend:v1.2.780-nightly',
} as const;
