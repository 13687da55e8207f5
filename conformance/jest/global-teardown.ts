export default async function globalTeardown(): Promise<void> {
  await globalThis.conformanceEnvironment?.stop();
  globalThis.conformanceEnvironment = undefined;
}
