import { currentPathViolations } from './current-path-record';
import { protocolVariants, type ServedRequest } from './protocol-path';

// Request-log lines in the front's shape (`--request-log`), for the statements our writer sends.
const query = (session: string, sql: string, extra: Partial<ServedRequest> = {}): ServedRequest => ({ t: '', method: 'POST', path: '/v1/query', status: 200, session, sql, ...extra });
const direct = (session: string, location: string): ServedRequest => ({ t: '', method: 'PUT', path: '/v1/upload_to_stage', status: 200, session, files: [{ location, bytes: 10 }] });
const put = (location: string, status = 200): ServedRequest => ({ t: '', method: 'PUT', path: '/_front/presigned', status, location, bytes: 10 });

const SCRATCH = '"t1__databend_sink_upsert_1_2_3"';
/** One session writing t1 (upsert through a scratch table, deletes) and t2 (update), its files uploaded by `upload`. */
function session(id: string, upload: (location: string) => ServedRequest[], file = (n: number) => `@~/client/load/${n}`): ServedRequest[] {
  return [
    query(id, 'CREATE TABLE IF NOT EXISTS "t1" (id String, n Int64)'),
    query(id, 'CREATE TABLE IF NOT EXISTS "t2" (id String, n Int64)'),
    ...upload(file(1)),
    query(id, `INSERT INTO ${SCRATCH} (id, n) VALUES from ${file(1)} file_format = (type = CSV)`, { rows: 2 }),
    query(id, `REPLACE INTO "t1" (id, n) ON (id) SELECT id, n FROM ${SCRATCH}`),
    query(id, `DELETE FROM "t1" WHERE id IN ('k2')`),
    ...upload(file(2)),
    query(id, `INSERT INTO "t2__databend_sink_update_1" (id, n) VALUES from ${file(2)} file_format = (type = CSV)`),
    query(id, 'MERGE INTO "t2" USING "t2__databend_sink_update_1" AS s ON "t2".id = s.id WHEN MATCHED THEN UPDATE *'),
  ];
}
const directly = (id: string) => (location: string) => [direct(id, location)];
const presigning = (id: string) => (location: string) => [query(id, `PRESIGN UPLOAD ${location}`), put(location)];
const TABLES = ['t1', 't2'];

describe('currentPathViolations', () => {
  it("passes databend-driver's direct and presigned uploads, and the plugin's presigned .csv files, each in its variant", () => {
    expect(currentPathViolations(session('a', directly('a')), TABLES, ['direct'])).toEqual([]);
    expect(currentPathViolations(session('a', presigning('a')), TABLES, ['presigned'])).toEqual([]);
    const plugin = session('p', presigning('p'), (n) => `@~/client/load/0b6c-${n}.csv`).map((r) => (r.sql ? { ...r, sql: r.sql.replace('VALUES from', 'VALUES FROM').replace('file_format = (type = CSV)', 'FILE_FORMAT = (type = csv)') } : r));
    expect(currentPathViolations(plugin, TABLES, ['direct', 'presigned'])).toEqual([]);
  });

  it('ignores sessions that did not write the tables, and counts a presigned PUT for the session that asked for it', () => {
    const other = [direct('x', '@~/client/load/1'), query('x', 'PRESIGN UPLOAD @~/elsewhere'), put('@~/elsewhere'), query('x', 'INSERT INTO "z" VALUES from @~/nowhere file_format = (type = CSV)', { error: 1002 })];
    expect(currentPathViolations([...other, ...session('a', presigning('a'))], TABLES, ['presigned'])).toEqual([]);
  });

  it('refuses an upload by the way the variant does not take', () => {
    expect(currentPathViolations(session('a', directly('a')), TABLES, ['presigned'])).toEqual([
      '@~/client/load/1 was uploaded direct; this run\'s client uploads presigned',
      '@~/client/load/2 was uploaded direct; this run\'s client uploads presigned',
    ]);
  });

  it('refuses a load of a file the session did not upload before it: another session\'s, a URL it did not presign, a failed PUT, or a later upload', () => {
    const stolen = [direct('b', '@~/client/load/1'), ...session('a', (l) => (l.endsWith('/1') ? [] : [direct('a', l)]))];
    expect(currentPathViolations(stolen, TABLES, ['direct'])).toEqual([expect.stringMatching(/^a load names @~\/client\/load\/1, which its session did not upload before it/)]);

    const foreignUrl = [query('b', 'PRESIGN UPLOAD @~/client/load/1'), ...session('a', (l) => (l.endsWith('/1') ? [put(l)] : presigning('a')(l)))];
    expect(currentPathViolations(foreignUrl, TABLES, ['presigned'])).toEqual([expect.stringMatching(/^a load names @~\/client\/load\/1, which its session did not upload/)]);

    const failedPut = session('a', (l) => [query('a', `PRESIGN UPLOAD ${l}`), put(l, l.endsWith('/1') ? 403 : 200)]);
    expect(currentPathViolations(failedPut, TABLES, ['presigned'])).toEqual([
      expect.stringMatching(/^a load names @~\/client\/load\/1, which its session did not upload/),
      '@~/client/load/1 was presigned but never uploaded',
    ]);

    const late = session('a', directly('a'));
    // The first upload moved after its load.
    const [upload] = late.splice(late.findIndex((r) => r.path === '/v1/upload_to_stage'), 1);
    late.splice(late.findIndex((r) => r.sql?.startsWith('INSERT')) + 1, 0, upload);
    expect(currentPathViolations(late, TABLES, ['direct'])).toContainEqual(expect.stringMatching(/^a load names @~\/client\/load\/1, which its session did not upload/));
  });

  it('refuses stage attachments, REPLACE straight from a stage file, and a failed load', () => {
    const log = session('a', directly('a'));
    log.push(direct('a', '@~/client/load/3'), query('a', 'REPLACE INTO "t1" (id, n) ON (id) VALUES from @~/client/load/3 file_format = (type = CSV)', { status: 400, error: 1002 }));
    log.push(query('a', 'INSERT INTO "t1" (id, n) VALUES', { attachment: true }));
    expect(currentPathViolations(log, TABLES, ['direct'])).toEqual([
      'a load failed (error 1002): REPLACE INTO "t1" (id, n) ON (id) VALUES from @~/client/load/3 file_format = (type = CSV)',
      'REPLACE loaded straight from a stage file (servers refuse it): REPLACE INTO "t1" (id, n) ON (id) VALUES from @~/client/load/3 file_format = (type = CSV)',
      'a statement came with a stage attachment: INSERT INTO "t1" (id, n) VALUES',
    ]);
  });

  it('requires an upsert that reads a table the session loaded, an update, a delete, a load, and every table named', () => {
    const log = session('a', directly('a')).filter((r) => !/^(MERGE|DELETE)/.test(r.sql ?? ''));
    const replace = log.findIndex((r) => r.sql?.startsWith('REPLACE'));
    log[replace] = query('a', 'REPLACE INTO "t1" (id, n) ON (id) SELECT id, n FROM "somewhere_else"');
    expect(currentPathViolations(log, [...TABLES, 't3'], ['direct'])).toEqual([
      'no statement named table "t3"',
      'no upsert: no REPLACE … ON (…) SELECT … FROM a table the session loaded from an uploaded file succeeded',
      'no update: no MERGE INTO or UPDATE succeeded',
      'no delete: no DELETE FROM succeeded',
    ]);
    expect(currentPathViolations([query('a', 'SELECT * FROM "t1"'), query('a', 'SELECT * FROM "t2"')], TABLES, ['direct'])).toContain('no statement loaded an uploaded file');
  });

  it('refuses a presigned URL that was never used', () => {
    const log = [...session('a', presigning('a')), query('a', 'PRESIGN UPLOAD @~/client/load/9')];
    expect(currentPathViolations(log, TABLES, ['presigned'])).toEqual(['@~/client/load/9 was presigned but never uploaded']);
  });
});

describe('protocolVariants', () => {
  it("runs databend-driver's two uploads on the current path, any other client its own single way", () => {
    expect(protocolVariants('current', 'databend-driver').map((v) => [v.urlParams, v.uploads])).toEqual([
      ['', ['direct']],
      ['presign=on', ['presigned']],
    ]);
    for (const client of ['other', 'databend-jdbc', undefined] as const) {
      expect(protocolVariants('current', client).map((v) => [v.urlParams, v.uploads])).toEqual([['', ['direct', 'presigned']]]);
    }
    expect(protocolVariants('legacy', 'databend-driver')).toHaveLength(1);
  });
});
