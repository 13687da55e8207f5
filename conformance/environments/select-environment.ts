import * as path from 'node:path';
import type { Environment, EnvironmentName } from './environment';
import { ExternalEnvironment } from './external/external-environment';
import { LocalEnvironment } from './local/local-environment';
import { containerRuntimeAvailable, TestcontainersEnvironment } from './testcontainers/testcontainers-environment';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const RUNTIMES_DIR = path.join(REPO_ROOT, '.runtimes');

const CHOICES = ['auto', 'local', 'testcontainers', 'external'] as const;
type Choice = (typeof CHOICES)[number];

/** `CONFORMANCE_ENV=auto|local|testcontainers|external`; `auto` prefers containers when a runtime answers. */
export async function selectEnvironment(value = process.env.CONFORMANCE_ENV ?? 'auto'): Promise<Environment> {
  const choice = value.trim().toLowerCase() as Choice;
  if (!CHOICES.includes(choice)) {
    throw new Error(`CONFORMANCE_ENV=${value} is not one of ${CHOICES.join(', ')}`);
  }
  const name: EnvironmentName = choice === 'auto' ? ((await containerRuntimeAvailable()) ? 'testcontainers' : 'local') : choice;
  switch (name) {
    case 'local':
      return new LocalEnvironment(RUNTIMES_DIR);
    case 'testcontainers':
      return new TestcontainersEnvironment();
    case 'external':
      return new ExternalEnvironment();
  }
}
