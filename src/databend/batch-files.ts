/**
 * Where the sink's batch CSV files live while databend-driver loads them: a folder of this
 * process's own, `<tmp>/databend-sink-<pid>-<random>`, mode 0700, each file 0600 — batches hold
 * record data, which other users of the machine must not read. The folder is made on first use,
 * removed when the process exits (any exit Node sees; not after SIGKILL), and on first use the
 * folders and files that earlier sink processes left behind are removed: only those named by this
 * sink, owned by this user, whose process is gone — never another live process's files.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PREFIX = 'databend-sink-';
/** Ours: `databend-sink-<pid>-<random>` folders, and the `…-<pid>-<uuid>.csv` files older versions wrote straight into the temp folder. */
const LEFTOVER = /^databend-sink-(\d+)-[0-9A-Za-z-]+(?:\.csv)?$/;

let folder: string | undefined;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Removes what dead sink processes of this user left in `tmp`; returns the names removed. */
export function sweepLeftovers(tmp: string = os.tmpdir()): string[] {
  const removed: string[] = [];
  const uid = process.getuid?.();
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = LEFTOVER.exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    const full = path.join(tmp, name);
    try {
      const st = fs.lstatSync(full);
      if (st.isSymbolicLink() || (uid !== undefined && st.uid !== uid)) continue;
      fs.rmSync(full, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
  return removed;
}

/** This process's private folder, made (and the leftovers swept) on first use. */
export function batchFolder(): string {
  if (folder === undefined || !fs.existsSync(folder)) {
    sweepLeftovers();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
    fs.chmodSync(folder, 0o700);
    const made = folder;
    process.once('exit', () => fs.rmSync(made, { recursive: true, force: true }));
  }
  return folder;
}

/** Writes one batch into a new file of the private folder (mode 0600); returns its path. */
export async function writeBatchFile(contents: string | Buffer): Promise<string> {
  const file = path.join(batchFolder(), `${randomUUID()}.csv`);
  await fs.promises.writeFile(file, contents, { mode: 0o600, flag: 'wx' });
  return file;
}
