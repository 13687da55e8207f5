import * as path from 'node:path';
import { bundleConnect } from './bundle-connect';

describe("the Kafka Connect plugin's script", () => {
  // GraalJS has no Node built-ins: an import of one the bundle does not stub fails the build here,
  // not only in `package-plugin` (its Connect build) (a node:buffer import once did).
  it('bundles from the sources with every Node built-in stubbed or polyfilled', async () => {
    const bundle = Buffer.from(await bundleConnect(path.resolve(__dirname, '../..'), '0.0.0-test')).toString('utf8');
    expect(bundle.length).toBeGreaterThan(100_000);
    expect(bundle).not.toMatch(/require\("node:/);
  }, 60_000);
});
