import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatabendEndpoint } from '../environment';
import { databendDsn } from '../environment';
import { restartable, type InstallResult, type LocalContext, type LocalService, type RunningLocalService } from './local-service';
import { ManagedProcess, ServiceStartError } from './managed-process';
import { freePort, portInUse } from './ports';
import { runBounded } from './run-bounded';
import { RUNTIME_VERSIONS } from './versions';
import { eventually } from '../../support/eventually';

/**
 * Databend for the `local` environment: the real engine from PyPI `databend` (embedded, CPython 3.12)
 * behind the project's thin HTTP front (`databend-front/`, described in its README.md),
 * which speaks the `/v1` REST subset that databend-driver uses. What differs from a server is listed in
 * `databend-front/README.md` — notably, the embedded engine keeps its catalog in memory, so tables do
 * not survive `stop()`/`start()`. `pause()`/`resume()` therefore close and reopen only the front's
 * port (SIGUSR1/SIGUSR2): clients see a server that went away and came back, and the catalog stays.
 */
export interface DatabendRuntimeOptions {
  version?: string;
  installTimeoutMs?: number;
  readyTimeoutMs?: number;
  user?: string;
  password?: string;
  /**
   * `current` (default): the front reports the engine's own version at login, as a server does, and
   * clients take the path they take against every current server. `legacy`: it reports 1.2.780, an
   * old server (stage attachments, JSON results). Default: `$CONFORMANCE_DATABEND_PROTOCOL`, else current.
   */
  protocol?: DatabendProtocol;
}

export type DatabendProtocol = 'current' | 'legacy';

/** `CONFORMANCE_DATABEND_PROTOCOL`, checked. */
export function protocolFromEnvironment(value = process.env.CONFORMANCE_DATABEND_PROTOCOL): DatabendProtocol {
  if (value === undefined || value === '' || value === 'current') return 'current';
  if (value === 'legacy') return 'legacy';
  throw new Error(`CONFORMANCE_DATABEND_PROTOCOL must be current or legacy, not ${JSON.stringify(value)}`);
}

const SERVICE = 'databend';
const FRONT_DIR = path.join(__dirname, 'databend-front');
const FRONT_SCRIPT = path.join(FRONT_DIR, 'databend_front.py');
const REQUIREMENTS = path.join(FRONT_DIR, 'requirements.txt');
const INSTALL_MARKER = '.installed';

export function createDatabendRuntime(options: DatabendRuntimeOptions = {}): LocalService<DatabendEndpoint> {
  const version = options.version ?? RUNTIME_VERSIONS.databend;
  const pyVersion = RUNTIME_VERSIONS.python;
  const installTimeoutMs = options.installTimeoutMs ?? 10 * 60_000;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const user = options.user ?? 'databend';
  const password = options.password ?? 'databend';
  const protocol = options.protocol ?? protocolFromEnvironment();

  const venvDir = (ctx: LocalContext) => path.join(ctx.cacheDir, `databend-${version}-py${pyVersion.replace('.', '')}`);
  const venvPython = (ctx: LocalContext) => path.join(venvDir(ctx), 'bin', 'python');
  const markerText = () => `databend==${version}\n${fs.readFileSync(REQUIREMENTS, 'utf8')}`;
  const isInstalled = (ctx: LocalContext) => {
    const marker = path.join(venvDir(ctx), INSTALL_MARKER);
    return fs.existsSync(venvPython(ctx)) && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === markerText();
  };

  return {
    name: SERVICE,

    async install(ctx: LocalContext): Promise<InstallResult> {
      if (isInstalled(ctx)) return { cold: false };
      const logFile = path.join(ctx.runDir, 'databend-install.log');
      const python = findPython(pyVersion, logFile);
      ctx.progress(`databend: creating a Python ${pyVersion} venv with databend==${version} (~90 MB) and pyarrow in ${venvDir(ctx)} (log: ${logFile})`);
      fs.rmSync(venvDir(ctx), { recursive: true, force: true });
      await runBounded(SERVICE, python, ['-m', 'venv', venvDir(ctx)], { logFile, timeoutMs: 2 * 60_000 });
      await runBounded(
        SERVICE,
        venvPython(ctx),
        ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '--only-binary=:all:', `databend==${version}`, '-r', REQUIREMENTS],
        { logFile, timeoutMs: installTimeoutMs, env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
      );
      await runBounded(SERVICE, venvPython(ctx), ['-c', 'import databend, pyarrow'], {
        logFile,
        timeoutMs: 2 * 60_000,
        env: { ...process.env, RUST_LOG: 'off' },
      });
      fs.writeFileSync(path.join(venvDir(ctx), INSTALL_MARKER), markerText());
      return { cold: true };
    },

    async start(ctx: LocalContext): Promise<RunningLocalService<DatabendEndpoint>> {
      const logFile = path.join(ctx.runDir, 'databend.log');
      if (!isInstalled(ctx)) {
        throw new ServiceStartError(SERVICE, logFile, `databend ${version} is not installed in ${venvDir(ctx)}: run install first`);
      }
      const port = await freePort();
      const dataDir = path.join(ctx.runDir, 'databend-data');
      fs.mkdirSync(dataDir, { recursive: true });
      const requestLog = path.join(ctx.runDir, 'databend-requests.jsonl');
      const endpoint: DatabendEndpoint = { host: '127.0.0.1', port, user, password, sslmode: 'disable', dsn: '', requestLog };
      endpoint.dsn = databendDsn(endpoint);

      const ready = async () => (await httpGet(`http://127.0.0.1:${port}/health`)) === 'ok' && (await queryOne(endpoint.dsn, 'SELECT 1')) === '1';
      const launch = async (): Promise<ManagedProcess> => {
        if (await portInUse(port)) {
          throw new ServiceStartError(SERVICE, logFile, `port ${port} on 127.0.0.1 is already taken by another process`);
        }
        return ManagedProcess.start({
          name: SERVICE,
          command: venvPython(ctx),
          args: [FRONT_SCRIPT, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--user', user, '--password', password, '--protocol', protocol, '--request-log', requestLog],
          cwd: dataDir,
          env: { ...process.env, RUST_LOG: 'off', PYTHONUNBUFFERED: '1' },
          logFile,
          pidDir: ctx.pidDir,
          readyTimeoutMs,
          ready,
        });
      };

      const proc = await launch();
      let reported: string;
      try {
        reported = await queryOne(endpoint.dsn, 'SELECT version()');
      } catch (err) {
        await proc.stop();
        throw new ServiceStartError(SERVICE, logFile, `SELECT version() failed: ${(err as Error).message}`);
      }
      return restartable(endpoint, reported, logFile, proc, launch, {
        async pause(front) {
          front.signal('SIGUSR1');
          await eventually(async () => assert.ok(!(await portInUse(port)), 'the port still accepts connections'), `databend front on port ${port} closed`, 10_000, 100);
        },
        async resume(front) {
          front.signal('SIGUSR2');
          await eventually(async () => assert.ok(await ready(), 'not answering yet'), `databend front on port ${port} serving again`, readyTimeoutMs, 100);
        },
      });
    },
  };
}

export const databendRuntime: LocalService<DatabendEndpoint> = createDatabendRuntime();

/** CPython `major.minor`: `$DATABEND_PYTHON`, then pyenv's versions, then `pythonX.Y` on PATH. */
function findPython(want: string, logFile: string): string {
  const candidates: string[] = [];
  if (process.env.DATABEND_PYTHON) candidates.push(process.env.DATABEND_PYTHON);
  const roots = new Set<string>();
  if (process.env.PYENV_ROOT) roots.add(process.env.PYENV_ROOT);
  roots.add(path.join(os.homedir(), '.pyenv'));
  try {
    roots.add(execFileSync('pyenv', ['root'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim());
  } catch {
    // No pyenv on PATH.
  }
  for (const root of roots) {
    const versions = path.join(root, 'versions');
    if (!fs.existsSync(versions)) continue;
    const matching = fs
      .readdirSync(versions)
      .filter((v) => v === want || v.startsWith(`${want}.`))
      .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
    for (const v of matching) candidates.push(path.join(versions, v, 'bin', `python${want}`));
  }
  candidates.push(`python${want}`);
  for (const candidate of candidates) {
    try {
      const got = execFileSync(candidate, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 10_000,
      }).trim();
      if (got === want) return candidate;
    } catch {
      // Not there, or a pyenv shim without that version selected.
    }
  }
  throw new ServiceStartError(
    SERVICE,
    logFile,
    `PyPI databend needs CPython ${want}, and none was found (tried ${candidates.join(', ')}). ` +
      `Install it (e.g. \`pyenv install ${want}\`) or point DATABEND_PYTHON at a python${want} binary.`,
  );
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(res.statusCode === 200 ? body.trim() : `HTTP ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

interface DriverConnection {
  queryRow(sql: string): Promise<{ values(): unknown[] } | null>;
  close(): Promise<void>;
}

/** First column of the first row, through databend-driver (loaded lazily: it logs to stdout unless RUST_LOG is off). */
async function queryOne(dsn: string, sql: string): Promise<string> {
  process.env.RUST_LOG = 'off';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('databend-driver') as { Client: new (dsn: string) => { getConn(): Promise<DriverConnection> } };
  const conn = await new Client(dsn).getConn();
  try {
    const row = await conn.queryRow(sql);
    return String(row?.values()[0]);
  } finally {
    await conn.close().catch(() => undefined);
  }
}
