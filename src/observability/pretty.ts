import type { DestinationStream } from 'pino';

/**
 * pino-pretty in development when stdout is a terminal; JSON otherwise (production, pipes, log
 * shippers). Loaded only then, and synchronous, so that the last lines before exit are not lost in a
 * worker thread.
 */
export async function prettyDestination(options: { production: boolean; isTTY: boolean | undefined }): Promise<DestinationStream | undefined> {
  if (options.production || options.isTTY !== true) return undefined;
  const { PinoPretty } = await import('pino-pretty');
  return PinoPretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}
