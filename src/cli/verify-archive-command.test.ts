import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { javaComponent, validManifest, writeRawZip } from '../../test-support/archive';
import { verifyArchiveCommand } from './verify-archive-command';

const FOLDER = 'acme_data-kafka-connect-example-1.2.0';
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-archive-command-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('verifyArchiveCommand', () => {
  it('exits 0 for a good archive, with an empty finding list and an ok line', async () => {
    const zip = writeRawZip(path.join(dir, 'good', `${FOLDER}.zip`), javaComponent());
    const r = await verifyArchiveCommand(zip);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ archive: zip, error_count: 0, warning_count: 0, findings: [] });
    expect(r.stderr).toBe(`${zip}: ok\n`);
  });

  it('exits 2 and prints every finding with its severity and the entry or field it concerns', async () => {
    const manifest = { ...validManifest(), license: 'Apache-2.0' };
    const zip = writeRawZip(path.join(dir, 'bad', 'component.zip'), [...javaComponent(manifest), { name: `${FOLDER}/lib/kafka-clients-3.9.0.jar`, content: 'PK' }]);
    const r = await verifyArchiveCommand(zip);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error_count: 2, warning_count: 1 });
    expect(r.stderr.split('\n')).toEqual([
      `error   ${FOLDER}/manifest.json#license: must be a non-empty array of {name, url}`,
      `warning (archive): the file is named component.zip; its manifest makes it ${FOLDER}.zip`,
      `error   ${FOLDER}/lib/kafka-clients-3.9.0.jar: is part of Kafka Connect or the Kafka client, which the worker provides: a second copy in the plugin breaks class loading`,
      `${zip}: 2 error(s), 1 warning(s)`,
      '',
    ]);
  });
});
