import type { ServedRequest } from './protocol-path';

/** How a file a load names reached the user stage: `/v1/upload_to_stage`, or a PUT to a URL the session presigned. */
export type UploadWay = 'direct' | 'presigned';

const STAGE_SOURCE = /\bFROM\s+(@[^\s(;]+)/i;
const PRESIGN_UPLOAD = /^PRESIGN\s+UPLOAD\s+(@\S+)/i;
/** A quoted table name, qualified or not. */
const QUOTED_NAME = '"(?:[^"]|"")*"(?:\\."(?:[^"]|"")*")*';
const INSERT_TARGET = new RegExp(`^INSERT\\s+INTO\\s+(${QUOTED_NAME})`, 'i');
const REPLACE_SELECT = new RegExp(`^REPLACE\\s+INTO\\s+.*\\bON\\s*\\(.*\\)\\s*SELECT\\b.*\\bFROM\\s+(${QUOTED_NAME})\\s*$`, 'is');

function excerpt(sql: string): string {
  return sql.length > 160 ? `${sql.slice(0, 160)}…` : sql;
}

/**
 * What breaks the current-server protocol in the requests a Databend server served while a sink
 * wrote `tables` (the log in the order served, from before the sink started); empty when nothing
 * does. Judged from the server's side only, so it holds any client to the same facts:
 * - the sessions counted are those whose statements name the tables; every table is named, and
 *   always in a server session (the `session_id` cookie or `X-DATABEND-SESSION-ID`): a statement in
 *   none cannot show that the file it loads is its own;
 * - no statement comes with a stage attachment (the legacy path);
 * - every statement that reads a stage (`… FROM @…`) is a load of a file this same session uploaded
 *   before it, by one of `ways`: to `/v1/upload_to_stage`, or by a PUT (answered 200) to a URL this
 *   session presigned with `PRESIGN UPLOAD`; it succeeded, and it is never a `REPLACE` (servers
 *   refuse `REPLACE … FROM @stage`);
 * - nothing is uploaded by a way outside `ways`, and every URL presigned is used;
 * - upsert: a `REPLACE … ON (…) SELECT … FROM <table>` that succeeded, reading a table this session
 *   loaded from an uploaded file; update: a `MERGE INTO` or `UPDATE` that succeeded; deletes: a
 *   `DELETE FROM` that succeeded.
 */
export function currentPathViolations(log: readonly ServedRequest[], tables: readonly string[], ways: readonly UploadWay[]): string[] {
  const violations: string[] = [];
  const names = (r: ServedRequest) => r.sql !== undefined && tables.some((t) => r.sql!.includes(`"${t}"`));
  for (const table of tables) {
    if (!log.some((r) => r.sql?.includes(`"${table}"`))) violations.push(`no statement named table "${table}"`);
  }
  const naming = log.filter(names);
  if (naming.some((r) => r.session === undefined)) violations.push('a statement naming the tables came in no session');
  const sessions = new Set(naming.flatMap((r) => r.session ?? []));

  /** Per session: the stage files it has uploaded so far, and how. */
  const uploaded = new Map<string, Map<string, UploadWay>>();
  const upload = (session: string, location: string, way: UploadWay) => {
    if (!ways.includes(way)) violations.push(`${location} was uploaded ${way}; this run's client uploads ${ways.join(' or ')}`);
    if (!uploaded.has(session)) uploaded.set(session, new Map());
    uploaded.get(session)!.set(location, way);
  };
  /** Presigned locations, by the session that asked for the URL; removed once PUT. */
  const presigned = new Map<string, string>();
  /** Per session: the tables it loaded from an uploaded file. */
  const loadedTables = new Map<string, Set<string>>();
  let loads = 0;
  let upserts = 0;
  let updates = 0;
  let deletes = 0;

  for (const r of log) {
    if (r.path === '/_front/presigned') {
      // A presigned PUT carries no session (it goes to the storage's URL): it counts for the session that presigned it.
      const session = r.location === undefined ? undefined : presigned.get(r.location);
      if (session !== undefined && r.status === 200) {
        presigned.delete(r.location!);
        upload(session, r.location!, 'presigned');
      }
      continue;
    }
    if (r.session === undefined || !sessions.has(r.session)) continue;
    const session = r.session;
    if (r.path === '/v1/upload_to_stage') {
      if (r.status === 200) for (const file of r.files ?? []) upload(session, file.location, 'direct');
      continue;
    }
    if (r.path !== '/v1/query' || r.sql === undefined) continue;
    const sql = r.sql;
    const ok = r.error === undefined && r.status === 200;
    if (r.attachment) violations.push(`a statement came with a stage attachment: ${excerpt(sql)}`);
    const presign = PRESIGN_UPLOAD.exec(sql);
    if (presign) {
      if (ok) presigned.set(presign[1], session);
      continue;
    }
    const stage = STAGE_SOURCE.exec(sql);
    if (stage) {
      loads++;
      const location = stage[1];
      if (!ok) violations.push(`a load failed (error ${r.error ?? `HTTP ${r.status}`}): ${excerpt(sql)}`);
      if (/^REPLACE\b/i.test(sql)) violations.push(`REPLACE loaded straight from a stage file (servers refuse it): ${excerpt(sql)}`);
      if (!uploaded.get(session)?.has(location)) {
        violations.push(`a load names ${location}, which its session did not upload before it (directly or through a URL it presigned): ${excerpt(sql)}`);
      }
      const target = INSERT_TARGET.exec(sql);
      if (ok && target) {
        if (!loadedTables.has(session)) loadedTables.set(session, new Set());
        loadedTables.get(session)!.add(target[1]);
      }
      continue;
    }
    if (!ok) continue;
    const replace = REPLACE_SELECT.exec(sql);
    if (replace && loadedTables.get(session)?.has(replace[1])) upserts++;
    if (/^(MERGE\s+INTO|UPDATE)\s/i.test(sql)) updates++;
    if (/^DELETE\s+FROM\s/i.test(sql)) deletes++;
  }

  for (const location of presigned.keys()) violations.push(`${location} was presigned but never uploaded`);
  if (loads === 0) violations.push('no statement loaded an uploaded file');
  if (upserts === 0) violations.push('no upsert: no REPLACE … ON (…) SELECT … FROM a table the session loaded from an uploaded file succeeded');
  if (updates === 0) violations.push('no update: no MERGE INTO or UPDATE succeeded');
  if (deletes === 0) violations.push('no delete: no DELETE FROM succeeded');
  return violations;
}
