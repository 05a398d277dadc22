import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a server (Postgres) that a test can freeze: while frozen, nothing
 * it receives is forwarded either way and new connections get no answer — what clients see of a
 * server that was SIGSTOPped, a VM paused or a network partitioned, without stopping a server other
 * tests share. Thawing delivers what was held, in order, as a resumed server would.
 */
export interface FreezableProxy {
  /** The target's URL with the proxy's host and port. */
  url: string;
  freeze(): void;
  thaw(): void;
  /** Connections accepted so far (a pool that reconnects shows here). */
  connections(): number;
  close(): Promise<void>;
}

export async function startFreezableProxy(target: URL): Promise<FreezableProxy> {
  let frozen = false;
  let accepted = 0;
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const whenThawed = (step: () => void) => (frozen ? held.push(step) : step());
  const server = createServer((client) => {
    accepted += 1;
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on('data', (chunk: Buffer) => whenThawed(() => to.write(chunk)));
      from.on('error', () => from.destroy());
      // A side that goes away takes the other with it, once thawed (a frozen server notices nothing).
      from.on('close', () => {
        sockets.delete(from);
        whenThawed(() => to.destroy());
      });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    freeze: () => void (frozen = true),
    thaw() {
      frozen = false;
      for (const step of held.splice(0)) step();
    },
    connections: () => accepted,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
