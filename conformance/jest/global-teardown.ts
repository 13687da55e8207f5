export default async function globalTeardown(): Promise<void> {
  await globalThis.conformanceFaultControl?.close();
  globalThis.conformanceFaultControl = undefined;
  await globalThis.conformanceEnvironment?.stop();
  globalThis.conformanceEnvironment = undefined;
}
