/**
 * Process entry helpers shared by `npm start`, the node router, the supergraph and the sandbox tools:
 * `.env` loading, one line and exit 1 for any start failure, and one shutdown path.
 */
import { describeStartFailure } from './listen.js';

export { StartError, listen, listenFailure } from './listen.js';

type LoadEnvFile = (path?: string) => void;

/**
 * Loads `./.env` into process.env when present, with Node's own loader (Node ≥ 20.12; silently
 * skipped on older versions). Variables already set in the environment win, as with every loader.
 */
export function loadDotEnv(path = '.env'): boolean {
  const load = (process as unknown as { loadEnvFile?: LoadEnvFile }).loadEnvFile;
  if (typeof load !== 'function') return false;
  try {
    load(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Runs a process's start; any failure prints one line to stderr and exits 1. */
export async function startOrExit<T>(name: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    process.stderr.write(`${name} failed to start: ${describeStartFailure(error)}\n`);
    process.exit(1);
  }
}

export interface ShutdownOptions {
  /** Stops accepting, drains in-flight requests, closes pools. */
  stop: () => Promise<void>;
  timeoutMs: number;
  log: (fields: object, message: string) => void;
  /** Stubbed in tests. */
  exit?: (code: number) => void;
}

// Closing Redis, the sandbox and upstream sockets after the drain (the upstream pool is destroyed
// after 500 ms): a backstop, never reached in a healthy shutdown.
const CLOSE_POOLS_MS = 2_000;

/**
 * The one shutdown path: the first SIGINT/SIGTERM drains (`stop`: in-flight requests get `timeoutMs`,
 * then their connections are closed) and exits 0; should closing hang, the process exits 1 anyway. A second signal while draining is ignored,
 * since orchestrators resend SIGTERM and a drain must not be cut short by it.
 */
export function onTerminationSignals(options: ShutdownOptions): (signal: string) => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const startedAt = Date.now();
    options.log({ signal, timeoutMs: options.timeoutMs }, 'shutting down: draining in-flight requests');
    const timer = setTimeout(() => {
      options.log({ signal }, 'shutdown timed out: exiting with requests still open');
      exit(1);
    }, options.timeoutMs + CLOSE_POOLS_MS);
    timer.unref();
    try {
      await options.stop();
      options.log({ signal, durationMs: Date.now() - startedAt }, 'shut down cleanly');
      exit(0);
    } catch (error) {
      options.log({ signal, error: describeStartFailure(error) }, 'shutdown failed');
      exit(1);
    } finally {
      clearTimeout(timer);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
  return shutdown;
}
