import { describeServer } from './databend-connection';

describe('describeServer: the load path databend-driver 0.33 takes, from `SELECT version()`', () => {
  test.each([
    ['Databend Query v1.2.895-nightly-363a49c1dd(rust-1.94.0-nightly-2026-04-12T03:13:19.550514724Z)', '1.2.895-nightly-363a49c1dd', 'statement'],
    ['Databend Query v1.2.782(rust-1.75.0)', '1.2.782', 'statement'],
    ['Databend Query v1.3.0-nightly', '1.3.0-nightly', 'statement'],
    ['Databend Query v2.0.0', '2.0.0', 'statement'],
    ['Databend Query v1.2.781', '1.2.781', 'attachment'],
    // A pre-release sorts before its release (semver), as the driver compares.
    ['Databend Query v1.2.781-nightly', '1.2.781-nightly', 'attachment'],
    ['Databend Query v1.2.780-legacy-front (local front emulating Databend 1.2.780 over …)', '1.2.780-legacy-front', 'attachment'],
    ['Databend Query v1.1.99', '1.1.99', 'attachment'],
  ])('%s → %s, %s', (text, version, loadPath) => {
    expect(describeServer(text)).toEqual({ version, loadPath });
  });

  test('a version text without a version is taken as a current server (its upsert path works on old ones too)', () => {
    expect(describeServer('custom build')).toEqual({ version: 'custom build', loadPath: 'statement' });
    expect(describeServer('')).toEqual({ version: 'unknown', loadPath: 'statement' });
  });
});
