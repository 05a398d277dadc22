import { RegistryUnavailableError } from '../errors.js';
import type { QueryOptions } from './queryable.js';

/** How long a statement may take: the registry's timeout (or the call's own), cut to its deadline. */
export function boundOf(timeoutMs: number, options: QueryOptions | undefined, now = Date.now()): number {
  const own = options?.timeoutMs ?? timeoutMs;
  const left = options?.deadline === undefined ? own : Math.min(own, options.deadline - now);
  if (left < 1) throw new RegistryUnavailableError('no time left before the request deadline');
  return Math.ceil(left);
}

/** `work`, or a RegistryUnavailableError once `ms` have passed (the work itself is left to finish). */
export async function within<T>(work: Promise<T>, ms: number, what = 'did not answer'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new RegistryUnavailableError(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A driver's failure as the one registry error. The reason names the fault's class and its SQLSTATE
 * or errno code; the driver's message is dropped, because PGlite's errors carry the statement's
 * parameters (ciphertexts included) and Postgres' messages may quote a value.
 */
export function toRegistryError(error: unknown): RegistryUnavailableError {
  if (error instanceof RegistryUnavailableError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return new RegistryUnavailableError(code === '57014' ? 'statement timed out on the server (SQLSTATE 57014)' : `statement failed (SQLSTATE ${code})`);
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return new RegistryUnavailableError(`connection failed (${code})`);
  const message = error instanceof Error ? error.message : '';
  if (/timeout/i.test(message)) return new RegistryUnavailableError('did not answer in time');
  if (/terminated|not queryable|closed|after calling end/i.test(message)) return new RegistryUnavailableError('connection lost or closed');
  return new RegistryUnavailableError(`failed (${error instanceof Error ? error.name : typeof error})`);
}

/** Whether the server answered with an SQL error, so its connection is still in a known state. */
export const isServerError = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
};

/** A registry that cannot be opened at start: one line, naming the setting (DATA_DIR or DATABASE_URL). */
export class RegistryStartError extends Error {
  readonly problems: string[];
  constructor(message: string) {
    super(message);
    this.name = 'RegistryStartError';
    this.problems = [message];
  }
}
