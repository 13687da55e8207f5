import type { Endpoints, EnvironmentName, ServiceVersions, StartTiming } from '../environments/environment';

/**
 * What jest's global setup hands to the test workers (through one environment variable, since
 * workers are separate processes).
 */
export interface RunEnvironment {
  name: EnvironmentName;
  endpoints: Endpoints;
  versions: ServiceVersions;
  timings: StartTiming[];
  supportsFaults: boolean;
  /** Where scenarios ask for faults and environment leases (`fault-control-server.ts`); set by the global setup. */
  faultControlUrl?: string;
}

export const RUN_ENVIRONMENT_VARIABLE = 'CONFORMANCE_RUN_ENVIRONMENT';

export function runEnvironment(): RunEnvironment {
  const raw = process.env[RUN_ENVIRONMENT_VARIABLE];
  if (!raw) throw new Error(`${RUN_ENVIRONMENT_VARIABLE} is not set: run the conformance suite through jest's conformance project`);
  return JSON.parse(raw) as RunEnvironment;
}
