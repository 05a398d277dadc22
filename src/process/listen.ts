import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A start failure worth one clear line (and exit 1), not a stack trace. */
export class StartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartError';
  }
}

/**
 * Listens on `port`/`host`, resolving with the bound port; a taken port or an address that cannot be
 * bound rejects with a StartError naming the variable that chose it.
 */
export function listen(server: Server, port: number, host: string, variable: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(toListenError(error, port, host, variable));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function toListenError(error: NodeJS.ErrnoException, port: number, host: string, variable: string): StartError {
  const where = `${host}:${port}`;
  if (error.code === 'EADDRINUSE') return new StartError(`${variable}=${port}: ${where} is already in use (EADDRINUSE); stop the other process or choose another port`, { cause: error });
  if (error.code === 'EACCES') return new StartError(`${variable}=${port}: not allowed to listen on ${where} (EACCES); use a port above 1023`, { cause: error });
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return new StartError(`HOST=${host}: no such local address (${error.code})`, { cause: error });
  return new StartError(`cannot listen on ${where} (${error.code ?? error.message})`, { cause: error });
}

/** The line a start failure prints: a StartError's message, or an unexpected error's first line. */
export function describeStartFailure(error: unknown): string {
  if (error instanceof StartError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return code ? `${message} (${code})` : (message ?? 'unknown error');
}

/** A listen error of a server started by a library (Apollo's standalone server, the sandbox) as a StartError. */
export function listenFailure(error: unknown, port: number, host: string, variable: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E(ADDRINUSE|ACCES|ADDRNOTAVAIL)$/.test(code) ? toListenError(error as NodeJS.ErrnoException, port, host, variable) : error;
}
