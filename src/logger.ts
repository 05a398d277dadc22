import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { currentScope } from './request-scope.js';

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

export interface LoggerSettings {
  /** Where lines go instead of stdout (tests capture every line there). */
  destination?: DestinationStream;
}

/**
 * JSON logs to stdout; every line written while serving a request carries its `requestId`.
 * Pass `prettyDestination()` as the destination for a human-readable terminal in development.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    mixin: () => {
      const scope = currentScope();
      return scope ? { requestId: scope.requestId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
