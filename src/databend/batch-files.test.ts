import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { batchFolder, sweepLeftovers, writeBatchFile } from './batch-files';

const ROOT = path.join(__dirname, '..', '..');
let tmp: string;
const savedTmp = process.env.TMPDIR;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-files-test-'));
  process.env.TMPDIR = tmp;
});
afterAll(() => {
  process.env.TMPDIR = savedTmp;
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A pid no process has: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

/** Runs a node script that writes one batch file through the module, from the sources. */
function childWritingBatch(then: string) {
  const script = `const b = require(${JSON.stringify(path.join(__dirname, 'batch-files.ts'))}); b.writeBatchFile('x').then((f) => { console.log(f); ${then} });`;
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp }, timeout: 60_000 });
}

describe('regression: batch CSV files were world-readable in the shared temp folder and outlived a SIGKILL (issue 13, point 6)', () => {
  it('writes batches into a private folder (0700), each file 0600', async () => {
    const file = await writeBatchFile('id\n1\n');
    expect(path.dirname(file)).toBe(batchFolder());
    expect(path.dirname(path.dirname(file))).toBe(os.tmpdir());
    expect(path.basename(path.dirname(file))).toMatch(new RegExp(`^databend-sink-${process.pid}-`));
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe('id\n1\n');
  });

  it('removes its folder when the process exits cleanly', () => {
    const r = childWritingBatch('');
    expect(r.status).toBe(0);
    const file = r.stdout.trim();
    expect(path.dirname(path.dirname(file))).toBe(tmp);
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  it("sweeps what a killed process left, never a live process's files or other names", () => {
    const killed = childWritingBatch("process.kill(process.pid, 'SIGKILL');");
    expect(killed.signal).toBe('SIGKILL');
    const leftFolder = path.dirname(killed.stdout.trim());
    expect(fs.existsSync(leftFolder)).toBe(true);
    const oldStyle = path.join(tmp, `databend-sink-${deadPid()}-0b0f4a8e-1111-4222-8333-444455556666.csv`);
    fs.writeFileSync(oldStyle, 'x');
    const live = path.join(tmp, `databend-sink-${process.ppid}-live`);
    fs.mkdirSync(live);
    const other = path.join(tmp, 'someone-else.csv');
    fs.writeFileSync(other, 'x');

    const removed = sweepLeftovers(tmp);
    expect(removed.sort()).toEqual([path.basename(leftFolder), path.basename(oldStyle)].sort());
    expect(fs.existsSync(leftFolder)).toBe(false);
    expect(fs.existsSync(oldStyle)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.existsSync(other)).toBe(true);
    expect(fs.existsSync(batchFolder())).toBe(true);
  });
});
