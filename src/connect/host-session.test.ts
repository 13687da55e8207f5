import { SinkError } from '../errors';
import { DatabendQueryError } from '../databend/databend-session';
import { type DatabendHost, HostSession } from './host-session';

/** The Java session's answers, as DatabendHttpSession writes them. */
function host(answer: object, version = 'Databend Query v1.2.895-nightly-abc (rust-1.88)'): DatabendHost & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    serverVersion: () => version,
    call: (...args) => {
      calls.push(args);
      return JSON.stringify(answer);
    },
    abandon: () => undefined,
    close: () => undefined,
  };
}

describe('HostSession', () => {
  it('takes the server version for the load path, and CSV as text', async () => {
    const h = host({ ok: true, affected: 2 });
    const session = new HostSession(h);
    expect(session.server).toEqual({ version: '1.2.895-nightly-abc', loadPath: 'statement' });
    expect(session.csvAsText).toBe(true);
    await expect(session.loadCsv('INSERT INTO t VALUES', '"1"\n"2"\n')).resolves.toBe(2);
    expect(h.calls).toEqual([['load-statement', 'INSERT INTO t VALUES', '"1"\n"2"\n']]);
  });

  it('loads by stage attachment on a server up to 1.2.781, as databend-driver does', async () => {
    const h = host({ ok: true, affected: 1 }, 'Databend Query v1.2.780-legacy-front (local front emulating Databend 1.2.780 over 1.2.895)');
    const session = new HostSession(h);
    expect(session.server).toEqual({ version: '1.2.780-legacy-front', loadPath: 'attachment' });
    await expect(session.loadCsv('REPLACE INTO t (id) ON (id) VALUES', '"1"\n')).resolves.toBe(1);
    expect(h.calls).toEqual([['load-attachment', 'REPLACE INTO t (id) ON (id) VALUES', '"1"\n']]);
  });

  it('returns query rows with NULLs', async () => {
    await expect(new HostSession(host({ ok: true, rows: [['a', null]] })).query('SELECT 1')).resolves.toEqual([['a', null]]);
  });

  it('classifies failures as the driver session does', async () => {
    const down = new HostSession(host({ ok: false, unavailable: true, code: null, message: 'POST /v1/query: ConnectException' }));
    await expect(down.exec('SELECT 1')).rejects.toMatchObject({ code: 'DATABEND_UNAVAILABLE', isRetriable: true });
    const refused = new HostSession(host({ ok: false, unavailable: false, code: 1025, message: 'Unknown table' }));
    const err = await refused.exec('INSERT').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabendQueryError);
    expect(err).toMatchObject({ databendCode: 1025, message: 'statement failed: [1025] Unknown table' });
    const login = await new HostSession(host({ ok: false, unavailable: false, refusedLogin: true, code: 5100, message: 'wrong password' })).exec('SELECT 1').catch((e: unknown) => e);
    expect(login).toBeInstanceOf(SinkError);
    expect(login).toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
