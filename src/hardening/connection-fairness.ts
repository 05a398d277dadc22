/**
 * Fair shares of an HTTP server's connections. MAX_CONNECTIONS alone lets one client starve every
 * other: 1,000 idle sockets from one address fill the server, each new connection from anyone else
 * is closed at accept, and the idle ones last until Node's headers timeout (30 s), after which the
 * same client simply opens them again. Two rules close that:
 * - one client address holds at most `perClient` open connections; more are closed at accept;
 * - a connection that has sent nothing `firstByteTimeoutMs` after it was accepted is closed (a real
 *   client sends its request at once; an idle keep-alive one is Node's keepAliveTimeout's business).
 * Behind a proxy or load balancer every connection comes from its address: see docs/hardening.md.
 */
import { isIPv6 } from 'node:net';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface FairnessLimits {
  perClient: number;
  firstByteTimeoutMs: number;
}

/** Told once when an address reaches its share, not per refused connection (no log flood). */
export type OnClientCapped = (client: string) => void;

export function guardConnections(server: Server, limits: FairnessLimits, onCapped: OnClientCapped = () => {}): void {
  const open = new Map<string, number>();
  const capped = new Set<string>();
  // Before the HTTP server's own listener: a refused socket is never read.
  server.prependListener('connection', (socket: Socket) => {
    const client = clientKey(socket.remoteAddress);
    const count = open.get(client) ?? 0;
    if (count >= limits.perClient) {
      if (!capped.has(client)) {
        capped.add(client);
        onCapped(client);
      }
      socket.destroy();
      return;
    }
    open.set(client, count + 1);
    const idle = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, limits.firstByteTimeoutMs);
    idle.unref();
    socket.once('close', () => {
      clearTimeout(idle);
      const left = (open.get(client) ?? 1) - 1;
      if (left > 0) open.set(client, left);
      else open.delete(client);
      if (left < limits.perClient) capped.delete(client);
    });
  });
}

/**
 * The client a socket counts against: its IPv4 address (an IPv4-mapped IPv6 one included), or the
 * /64 prefix of an IPv6 address, since one host commonly holds a whole /64 and could otherwise
 * open connections from as many addresses as it likes.
 */
export function clientKey(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, `::` expanded, zone dropped, lower case. */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.toLowerCase().split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...(tail === undefined ? [] : zeros), ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}
