import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs. Redaction is a second line of defence: tokens are `Secret`s and never logged on purpose.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization'],
      censor: '[REDACTED]',
    },
  });
}
