import * as fs from 'node:fs';
import * as net from 'node:net';

/**
 * Listening ports are chosen below the kernel's ephemeral range: a port handed out by `listen(0)`
 * comes from that range, and between our check and the service's bind (a JVM start takes
 * seconds) any outgoing connection on the machine may take it as its local port. That happened:
 * Kafka's controller failed with "Address already in use" while the registry started beside it.
 */
const EPHEMERAL_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';
const LOWEST = 20_000;
const taken = new Set<number>();

function candidateRange(): [number, number] {
  let ephemeralLow = 32_768;
  try {
    ephemeralLow = Number(fs.readFileSync(EPHEMERAL_RANGE_FILE, 'utf8').trim().split(/\s+/)[0]) || ephemeralLow;
  } catch {
    // Not Linux: the IANA ephemeral range starts at 49152, and 32768 is below it too.
  }
  const high = ephemeralLow - 1;
  return high - LOWEST >= 1000 ? [LOWEST, high] : [1024, high];
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port outside the ephemeral range that was free a moment ago and that this process
 * has not handed out before; the service binds it right after.
 */
export async function freePort(): Promise<number> {
  const [low, high] = candidateRange();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (taken.has(port)) continue;
    if (await bindable(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free loopback port found in ${low}-${high} after 200 tries`);
}

/** True when something accepts connections on the port: used to fail fast with a clear message. */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
