import * as fs from 'node:fs';
import type { RunningSink } from '../sink-under-test/sink-under-test';
import type { ServedRequest } from './protocol-path';

/**
 * A sink process frozen as a stop-the-world pause freezes it (a long GC, a VM migration, SIGSTOP):
 * it neither heartbeats nor sends anything, and resumes where it was, unaware of what happened
 * meanwhile. The whole process group is signalled, as the suite's hard kill does.
 */
export function freeze(running: RunningSink): void {
  signalGroup(running, 'SIGSTOP');
}

export function thaw(running: RunningSink): void {
  signalGroup(running, 'SIGCONT');
}

function signalGroup(running: RunningSink, signal: NodeJS.Signals): void {
  if (running.pid === undefined) throw new Error('only a sink running as its own process can be frozen (hard-kill)');
  process.kill(-running.pid, signal);
}

/** The requests the environment's Databend served from now on (its request log, read as it grows). */
export class RequestLogTail {
  readonly served: ServedRequest[] = [];
  private offset: number;
  private partial = '';

  constructor(private readonly file: string) {
    this.offset = fs.statSync(file).size;
  }

  /** Reads what was appended since the last call; returns the new requests. */
  read(): ServedRequest[] {
    const size = fs.statSync(this.file).size;
    if (size <= this.offset) return [];
    const buffer = Buffer.alloc(size - this.offset);
    const fd = fs.openSync(this.file, 'r');
    try {
      fs.readSync(fd, buffer, 0, buffer.length, this.offset);
    } finally {
      fs.closeSync(fd);
    }
    this.offset = size;
    const lines = (this.partial + buffer.toString('utf8')).split('\n');
    this.partial = lines.pop() ?? '';
    const fresh = lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ServedRequest);
    this.served.push(...fresh);
    return fresh;
  }
}

/** The table a row-writing statement writes into, as written (`"db"."t"`, `t`, …). */
const WRITE = /^\s*(?:INSERT\s+(?:INTO|OVERWRITE)|REPLACE\s+INTO|COPY\s+INTO|MERGE\s+INTO)\s+([^\s(]+)/i;
const COMMIT = /^\s*COMMIT\b/i;

/** A statement that writes rows into `table` (any load path: INSERT … FROM @stage, a stage attachment, COPY, VALUES). */
export function writesInto(request: ServedRequest, table: string): boolean {
  const target = request.sql === undefined || request.error !== undefined ? null : WRITE.exec(request.sql);
  return target !== null && target[1].replace(/["`]/g, '').split('.').pop() === table;
}

export interface FrozenMidWrite {
  /** The Databend session of the write the sink was frozen after. */
  session: string | undefined;
  /** Requests served before the freeze took hold, from the start of the tail. */
  servedAtFreeze: number;
}

/**
 * Freezes the sink right after Databend served it a write into `table` and before it ended that
 * session's transaction (a COMMIT): mid-batch, with written rows whose batch is not finished. A
 * request already on its way when the freeze lands is served anyway, so the log is read again
 * after a moment; if a COMMIT of that session got through, the sink is thawed and the next write
 * is aimed at. Without a request log, the sink is frozen at its next sign of writing instead.
 */
export async function freezeMidWrite(running: RunningSink, tail: RequestLogTail, table: string, timeoutMs = 60_000): Promise<FrozenMidWrite> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const write = tail.read().find((r) => writesInto(r, table));
    if (!write) {
      await sleep(2);
      continue;
    }
    freeze(running);
    await sleep(500);
    tail.read();
    const after = tail.served.slice(tail.served.indexOf(write) + 1);
    if (!after.some((r) => r.session === write.session && r.sql !== undefined && COMMIT.test(r.sql))) return { session: write.session, servedAtFreeze: tail.served.length };
    thaw(running);
  }
  throw new Error(`the sink wrote nothing into ${table} that it had not committed at once within ${timeoutMs / 1000} s`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
