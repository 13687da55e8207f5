/** Every runtime version of the local environment, pinned in one place so a bump is one edit. */
export const RUNTIME_VERSIONS = {
  kafka: '3.9.2',
  /** Apicurio Registry: its release publishes the runnable Quarkus app as `apicurio-registry-app-<v>-all.tar.gz`. */
  apicurioRegistry: '3.3.3',
  /** PyPI `databend` (embedded engine). 1.2.895 needs CPython >= 3.12. */
  databend: '1.2.895',
  python: '3.12',
} as const;
