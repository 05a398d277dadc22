import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Keys whose values never reach a log line. A second line of defence: tokens are `Secret`s and never
 * logged on purpose, and the access log leaves variables out; this catches what slips through one
 * level deep (pino's wildcards do not recurse).
 */
const REDACT_PATHS = [
  'token',
  '*.token',
  'apiToken',
  '*.apiToken',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
  // GraphQL variables carry e-mail addresses and ids; only their shape is ever worth logging.
  'variables',
  '*.variables',
];

/** JSON logs to stdout, or to `destination` (tests capture every line there). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } };
  return destination ? pino(options, destination) : pino(options);
}
