import pino, { Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets are never passed to the logger in the first place; the redaction
 * list is a second line of defence for the config keys that carry them.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info', destination: pino.DestinationStream = pino.destination(1)): Logger {
  return pino(
    {
      name,
      level,
      base: { connector: name },
      redact: {
        paths: ['password', '*.password', 'config["connection.password"]', 'config["sasl.jaas.config"]', '*["basic.auth.user.info"]', 'dsn', '*.dsn'],
        censor: '[hidden]',
      },
    },
    destination,
  );
}

/**
 * A logger whose records go to `write` as objects: the Kafka Connect plugin's, forwarded to the
 * worker's log. Its bundle takes pino's browser build (scripts/package-plugin/bundle-connect.ts),
 * the one that honours `browser.write`; the same redaction applies.
 */
export function createForwardingLogger(name: string, level: string, write: (record: Record<string, unknown>) => void): Logger {
  return pino({
    name,
    level,
    base: { connector: name },
    redact: { paths: ['password', '*.password', 'dsn', '*.dsn'], censor: '[hidden]' },
    browser: { asObject: true, write: (o: object) => write(o as Record<string, unknown>) },
  });
}
