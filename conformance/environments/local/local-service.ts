import type { ManagedProcess } from './managed-process';
import type { ServiceName } from '../environment';

/** Folders shared by the local services of one run. */
export interface LocalContext {
  /** Git-ignored install cache that survives runs (`.runtimes/`). */
  cacheDir: string;
  /** This run's folder: data dirs and log files. */
  runDir: string;
  /** Pid files of started processes, for reaping after a killed run. */
  pidDir: string;
  /** Progress messages (downloads can take minutes on a cold cache). */
  progress: (message: string) => void;
}

export interface InstallResult {
  /** True when something was downloaded; false when the cache already had it. */
  cold: boolean;
}

/** A service installed from a package registry and run as a local process. */
export interface LocalService<E> {
  readonly name: ServiceName;
  /** Idempotent: returns quickly when the cache already holds this version. */
  install(ctx: LocalContext): Promise<InstallResult>;
  /** Starts on a free loopback port chosen by the service itself. */
  start(ctx: LocalContext): Promise<RunningLocalService<E>>;
}

export interface RunningLocalService<E> {
  readonly endpoint: E;
  /** Version as the running service reports it. */
  readonly version: string;
  readonly logFile: string;
  /** Stops the process; `start` runs it again on the same port with the same data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Makes the service unavailable to its clients (fault injection) without losing its data; `resume` ends that. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

/**
 * How a service goes unavailable when stopping its process would lose data (the embedded Databend
 * keeps its catalog in memory). Services without it are paused by stopping the process.
 */
export interface PauseInPlace {
  pause(proc: ManagedProcess): Promise<void>;
  resume(proc: ManagedProcess): Promise<void>;
}

/** The running form of a service whose process can be stopped and started again (same ports, same data). */
export function restartable<E>(
  endpoint: E,
  version: string,
  logFile: string,
  first: ManagedProcess,
  launch: () => Promise<ManagedProcess>,
  inPlace?: PauseInPlace,
): RunningLocalService<E> {
  let proc: ManagedProcess | undefined = first;
  const service: RunningLocalService<E> = {
    endpoint,
    version,
    logFile,
    async stop() {
      const current = proc;
      proc = undefined;
      await current?.stop();
    },
    async start() {
      if (proc?.running) return;
      proc = await launch();
    },
    pause: () => (inPlace && proc ? inPlace.pause(proc) : service.stop()),
    resume: () => (inPlace && proc?.running ? inPlace.resume(proc) : service.start()),
  };
  return service;
}
