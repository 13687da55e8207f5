import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { runCommand } from './run-command';
import { validateCommand } from './validate-command';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'fixtures', 'configs');

/** The CLI as a person runs it (from the sources). */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('regression: the CLI ignored options it did not know (issue 13, point 7)', () => {
  it('describe --bogus exits 2 naming the option and what describe takes', () => {
    expect(cli('describe', '--bogus')).toEqual({ code: 2, stdout: '', stderr: 'databend-sink: describe: unknown option --bogus; describe takes --config, --json\nRun databend-sink --help for the usage.\n' });
  });

  it('run --metrics-port takes a port number only', () => {
    expect(cli('run', '--config', 'x.json', '--metrics-port', 'http')).toMatchObject({ code: 2, stderr: expect.stringContaining('run: --metrics-port must be a port number (0–65535), not "http"') });
  });

  it('suggests the closest option and command', () => {
    expect(cli('validate', '--confg', 'x.json').stderr).toMatch(/^databend-sink: validate: unknown option --confg; did you mean --config\?\n/);
    expect(cli('vaildate').stderr).toMatch(/^databend-sink: unknown command "vaildate"; did you mean validate\?\n/);
    expect(cli('run', 'x.json')).toMatchObject({ code: 2, stderr: expect.stringContaining('run: unexpected argument "x.json" (give the config file as --config <file>)') });
  });

  it('validate and run word the same problems the same way', async () => {
    const file = path.join(FIXTURES, 'five-mistakes.json');
    let said = '';
    const code = await runCommand(file, new AbortController().signal, { log: { write: () => undefined }, stderr: (text) => (said += text) });
    expect(code).toBe(2);
    expect(said).toBe(validateCommand(file).stdout);
    expect(cli('validate', '--config', file)).toEqual({ code: 2, stdout: said, stderr: '' });
  });
});
