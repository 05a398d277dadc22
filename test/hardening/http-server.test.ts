import { connect, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CONNECTIONS_CHECKING_INTERVAL_MS, ROUTER_TIMEOUT_MS, createBoundedHttpServer } from '../../src/hardening/http-server.js';

describe('createBoundedHttpServer', () => {
  it('bounds receiving a request to the 30 s a router waits', () => {
    const server = createBoundedHttpServer((_req, res) => res.end(), { maxConnections: 10 });
    expect({ request: server.requestTimeout, headers: server.headersTimeout }).toEqual({ request: ROUTER_TIMEOUT_MS, headers: ROUTER_TIMEOUT_MS });
  });

  it('checks those timeouts every second, so the bound is 30 s and not up to 60', async () => {
    const server = createBoundedHttpServer((_req, res) => res.end(), { maxConnections: 10 });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      // Node keeps the check's interval timer on the server under a symbol; its period is the setting.
      const symbol = Object.getOwnPropertySymbols(server).find((s) => s.description === 'http.server.connectionsCheckingInterval');
      const timer = (server as unknown as Record<symbol, { _idleTimeout: number }>)[symbol!];
      expect(timer?._idleTimeout).toBe(CONNECTIONS_CHECKING_INTERVAL_MS);
    } finally {
      server.close();
    }
  });

  it('closes connections beyond maxConnections at accept', async () => {
    const server = createBoundedHttpServer((_req, res) => res.end(), { maxConnections: 1 });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const first = connect(port, '127.0.0.1');
    await once(first, 'connect');
    await new Promise((r) => setTimeout(r, 50));
    const second = connect(port, '127.0.0.1');
    await once(second, 'close');
    expect(first.destroyed).toBe(false);
    first.destroy();
    server.close();
  });
});
