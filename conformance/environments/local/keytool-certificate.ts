import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runBounded } from './run-bounded';

/** A throw-away TLS identity for a local listener: a PKCS12 keystore for the JVM and its certificate as PEM for clients. */
export interface ServerCertificate {
  keystoreFile: string;
  keystorePassword: string;
  /** The self-signed certificate, PEM: clients trust it as their only CA (`ssl.truststore.location`). */
  certificatePemFile: string;
}

const KEYSTORE = 'server.p12';
const PASSWORD = 'keystore-password';
const PEM = 'ca.pem';
const TIMEOUT_MS = 60_000;
/** Long enough that a cached certificate never expires under a developer's feet. */
const VALIDITY_DAYS = 3650;

/** The certificate in `dir`, if one was made there. */
export function existingServerCertificate(dir: string): ServerCertificate | undefined {
  const files = [KEYSTORE, PASSWORD, PEM].map((f) => path.join(dir, f));
  if (!files.every((f) => fs.existsSync(f))) return undefined;
  return { keystoreFile: files[0], keystorePassword: fs.readFileSync(files[1], 'utf8').trim(), certificatePemFile: files[2] };
}

/**
 * Makes a self-signed EC certificate for `127.0.0.1` and `localhost` with the JDK's `keytool` (two
 * short JVM runs, about a second each) into `dir`, unless one is there. Clients check host names as
 * against a real broker: the certificate carries them as SANs. Made in a sibling folder and renamed
 * into place, so two runs installing at once never see half a certificate.
 */
export async function ensureServerCertificate(dir: string, service: string, logFile: string): Promise<{ certificate: ServerCertificate; created: boolean }> {
  const existing = existingServerCertificate(dir);
  if (existing) return { certificate: existing, created: false };
  const staging = `${dir}.${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(staging, { recursive: true });
  try {
    const password = randomBytes(12).toString('hex');
    const store = ['-keystore', path.join(staging, KEYSTORE), '-storetype', 'PKCS12', '-storepass', password, '-alias', 'server', '-noprompt'];
    const keytool = keytoolCommand();
    const generate = ['-genkeypair', ...store, '-keyalg', 'EC', '-groupname', 'secp256r1', '-dname', 'CN=localhost', '-ext', 'SAN=IP:127.0.0.1,DNS:localhost'];
    await runBounded(service, keytool, [...generate, '-validity', String(VALIDITY_DAYS)], { logFile, timeoutMs: TIMEOUT_MS });
    await runBounded(service, keytool, ['-exportcert', '-rfc', ...store, '-file', path.join(staging, PEM)], { logFile, timeoutMs: TIMEOUT_MS });
    fs.writeFileSync(path.join(staging, PASSWORD), `${password}\n`, { mode: 0o600 });
    try {
      fs.renameSync(staging, dir);
    } catch (err) {
      // Another run put its certificate there first: use that one.
      if (!existingServerCertificate(dir)) throw err;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { certificate: existingServerCertificate(dir) as ServerCertificate, created: true };
}

function keytoolCommand(): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', 'keytool') : 'keytool';
}
