import { connect, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { get, type Server } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientKey } from '../../src/hardening/connection-fairness.js';
import type { ConnectionLimits } from '../../src/config.js';
import { CONNECTIONS_CHECKING_INTERVAL_MS, ROUTER_TIMEOUT_MS, createBoundedHttpServer } from '../../src/hardening/http-server.js';
import { loadConfig } from '../../src/config.js';

const LIMITS: ConnectionLimits = loadConfig({}).operations.connections;

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function start(limits: Partial<ConnectionLimits> = {}, onCapped?: (client: string) => void): Promise<number> {
  const server = createBoundedHttpServer((_req, res) => res.end('ok'), { ...LIMITS, ...limits }, onCapped);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** A socket from `from` (127.0.0.2 is loopback too on Linux: a second client address) once the server accepted or closed it. */
async function open(port: number, from = '127.0.0.1'): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1', localAddress: from });
  sockets.push(socket);
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** Resolves once the server has closed `socket`. */
const closed = async (socket: Socket) => void (socket.closed || (await once(socket, 'close')));

/** Real event-loop turns (setImmediate, which tests never fake) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/** Whether `socket` is still open after a few event-loop turns (setImmediate, which tests never fake). */
async function stillOpen(socket: Socket, turns = 20): Promise<boolean> {
  for (let i = 0; i < turns && !socket.closed; i++) await new Promise((resolve) => setImmediate(resolve));
  return !socket.closed;
}

const fetchFrom = (port: number) =>
  new Promise<number>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent: false, localAddress: '127.0.0.1' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });

describe('createBoundedHttpServer', () => {
  it('bounds receiving a request to the 30 s a router waits', () => {
    const server = createBoundedHttpServer((_req, res) => res.end(), LIMITS);
    expect({ request: server.requestTimeout, headers: server.headersTimeout }).toEqual({ request: ROUTER_TIMEOUT_MS, headers: ROUTER_TIMEOUT_MS });
  });

  it('checks those timeouts every second, so the bound is 30 s and not up to 60', async () => {
    const server = createBoundedHttpServer((_req, res) => res.end(), LIMITS);
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    // Node keeps the check's interval timer on the server under a symbol; its period is the setting.
    const symbol = Object.getOwnPropertySymbols(server).find((s) => s.description === 'http.server.connectionsCheckingInterval');
    const timer = (server as unknown as Record<symbol, { _idleTimeout: number }>)[symbol!];
    expect(timer?._idleTimeout).toBe(CONNECTIONS_CHECKING_INTERVAL_MS);
  });

  it('closes connections beyond maxConnections at accept', async () => {
    const port = await start({ maxConnections: 1 });
    const first = await open(port);
    const second = connect(port, '127.0.0.1');
    sockets.push(second);
    await once(second, 'close');
    expect(first.destroyed).toBe(false);
  });
});

describe('fair shares of the connections', () => {
  it('serves a second client promptly while another address holds 1,000 idle connections', async () => {
    const port = await start({ firstByteTimeoutMs: 30_000 }); // 1,000 in all, 250 per client (the defaults); idle ones kept
    const idle = await Promise.all(Array.from({ length: 1_000 }, () => open(port, '127.0.0.2')));
    const share = LIMITS.maxConnectionsPerClient;
    // Wait for the refusals (without the per-client share none comes, and this times out).
    await vi.waitFor(() => expect(idle.filter((socket) => socket.closed)).toHaveLength(idle.length - share), { timeout: 20_000, interval: 20 });
    expect(await fetchFrom(port)).toBe(200); // from 127.0.0.1, while the attacker's 250 are still open
    expect(idle.filter((socket) => !socket.closed)).toHaveLength(share);
  }, 30_000);

  it('lets an address open connections again once its old ones close', async () => {
    const port = await start({ maxConnectionsPerClient: 2 });
    const [a, b] = [await open(port, '127.0.0.2'), await open(port, '127.0.0.2')];
    await closed(await open(port, '127.0.0.2'));
    const server = servers[0]!;
    a.destroy();
    b.destroy();
    // The server's side of both has closed once it counts no connection.
    await vi.waitFor(() => expect(new Promise((resolve) => server.getConnections((_e, n) => resolve(n)))).resolves.toBe(0), { interval: 5 });
    expect(await stillOpen(await open(port, '127.0.0.2'))).toBe(true);
  });

  it('says once, not per refused socket, that an address reached its share', async () => {
    const capped: string[] = [];
    const port = await start({ maxConnectionsPerClient: 1 }, (client) => capped.push(client));
    await open(port, '127.0.0.2');
    for (let i = 0; i < 5; i++) await closed(await open(port, '127.0.0.2'));
    expect(capped).toEqual(['127.0.0.2']);
  });

  it('closes a connection that has sent nothing within FIRST_BYTE_TIMEOUT_MS, and keeps one that has', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const port = await start({ firstByteTimeoutMs: 5_000 });
    const accepted: Socket[] = [];
    servers[0]!.on('connection', (socket: Socket) => accepted.push(socket));
    const silent = await open(port);
    const talking = await open(port);
    talking.write('GET / HTTP/1.1\r\nHost: x\r\n'); // headers not finished: headersTimeout's business
    await until(() => accepted.some((socket) => socket.bytesRead > 0));
    vi.advanceTimersByTime(4_999);
    expect(await stillOpen(silent)).toBe(true);
    vi.advanceTimersByTime(1);
    await closed(silent);
    expect(await stillOpen(talking)).toBe(true);
  });

  it.each([
    ['127.0.0.2', '127.0.0.2'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3:8d3::/64'],
    ['2001:db8:85a3:8d3::1', '2001:db8:85a3:8d3::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('counts %s against %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
