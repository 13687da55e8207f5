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
