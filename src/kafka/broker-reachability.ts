import * as net from 'node:net';

export interface UnreachableBroker {
  broker: string;
  /** e.g. `connection refused (ECONNREFUSED)`, `no answer within 3000 ms`. */
  reason: string;
}

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
};

/**
 * Which of the bootstrap brokers do not accept a TCP connection within `timeoutMs`. Only the
 * network is checked (TLS and SASL problems are reported by the Kafka client itself): this is what
 * tells an operator, seconds after start, that a host or port in `bootstrap.servers` is wrong or down.
 */
export async function unreachableBrokers(brokers: readonly string[], timeoutMs: number): Promise<UnreachableBroker[]> {
  const results = await Promise.all(brokers.map(async (broker) => ({ broker, reason: await connectFailure(broker, timeoutMs) })));
  return results.filter((r): r is UnreachableBroker => r.reason !== undefined);
}

function connectFailure(broker: string, timeoutMs: number): Promise<string | undefined> {
  // Validated `host:port` (an IPv6 host in brackets), as kafkajs takes it.
  const colon = broker.lastIndexOf(':');
  const host = broker.slice(0, colon).replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(broker.slice(colon + 1)) });
    const done = (reason: string | undefined) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ? `${REASONS[err.code] ?? err.message} (${err.code})` : err.message));
  });
}
