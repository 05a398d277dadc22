import { configuredAccount } from '../../src/account.js';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { Secret } from '../../src/secret.js';
import { loadConfig } from '../../src/config.js';
import { createDispatcher } from '../../src/freshchat/http.js';
import type { HttpOptions } from '../../src/freshchat/http.js';
import { createFreshchatClient } from '../../src/freshchat/client.js';
import type { ClientOptions } from '../../src/freshchat/client.js';
import { endpoints, failureOf, groupList, groupPage, page } from './harness.js';

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

const answer: Behaviour = (_, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(groupList));
};
const resetMidBody: Behaviour = (_, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
  res.write('{"groups":[');
  setTimeout(() => res.socket?.destroy(), 10);
};
const hang: Behaviour = () => undefined;

const { upstream } = loadConfig({});

let server: Server | undefined;
let dispatcher: Dispatcher | undefined;
let connections = 0;

/** A loopback "Freshchat" that plays one behaviour per request, and a client on the real dispatcher. */
async function start(behaviours: Behaviour[], http: Partial<HttpOptions> = {}, client: Partial<ClientOptions> = {}) {
  connections = 0;
  server = createServer((req, res) => (behaviours.shift() ?? answer)(req, res));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  dispatcher = createDispatcher({ ...upstream, ...http });
  const account = configuredAccount({ id: 'local', baseUrl: `http://127.0.0.1:${port}/v2`, token: new Secret('t') });
  const sleep = async () => undefined;
  return endpoints(createFreshchatClient({ account, dispatcher, retry: upstream.retry, sleep, ...client }));
}

afterEach(async () => {
  await dispatcher?.destroy();
  if (server !== undefined) {
    const closing = server;
    closing.closeAllConnections();
    await new Promise((resolve) => closing.close(resolve));
  }
  server = undefined;
  dispatcher = undefined;
});

describe('the shared dispatcher', () => {
  // undici's own default would wait 300 s for the headers: the setting must reach the dispatcher.
  it('gives up on an attempt whose headers do not come within the headers timeout', async () => {
    const client = await start([hang, hang, hang], { headersTimeoutMs: 50 });
    await expect(failureOf(client.listGroups(page))).resolves.toMatchObject({
      kind: 'UNAVAILABLE',
      message: 'Freshchat could not be reached (UND_ERR_HEADERS_TIMEOUT)',
    });
  });

  // undici's pool may open a second socket while the first is being released, so "reuse" means
  // far fewer sockets than calls, not exactly one.
  it('reuses keep-alive connections for consecutive calls', async () => {
    const api = await start([]);
    for (let i = 0; i < 10; i++) await expect(api.listGroups(page)).resolves.toEqual(groupPage);
    expect(connections).toBeLessThanOrEqual(2);
  });

  it('keeps the connection after answers whose body it did not need', async () => {
    const html: Behaviour = (_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<html>${'x'.repeat(10_000)}</html>`);
    const notFound: Behaviour = (_, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('no such agent');
    const api = await start([html, notFound, html, notFound, html, notFound]);
    for (let i = 0; i < 3; i++) {
      await expect(failureOf(api.listGroups(page))).resolves.toMatchObject({ kind: 'BAD_RESPONSE' });
      await expect(api.getAgent('a1')).resolves.toBeNull();
    }
    expect(connections).toBeLessThanOrEqual(2);
  });

  it('retries a connection reset mid-body and returns the second answer', async () => {
    const api = await start([resetMidBody]);
    await expect(api.listGroups(page)).resolves.toEqual(groupPage);
  });

  it('throws UNAVAILABLE when every attempt is reset mid-body', async () => {
    const api = await start([resetMidBody, resetMidBody, resetMidBody]);
    await expect(failureOf(api.listGroups(page))).resolves.toMatchObject({
      kind: 'UNAVAILABLE',
      message: expect.stringMatching(/could not be reached \((UND_ERR_SOCKET|ECONNRESET)\)/),
    });
  });

  // The deadline fires once the request has reached the hung upstream, whatever the machine's load;
  // without it the call would wait for undici's headers timeout and fail with another message.
  it('ends a hung upstream at the request deadline', async () => {
    const deadline = new AbortController();
    const hangUntilTheDeadline: Behaviour = () => deadline.abort();
    const api = await start([hangUntilTheDeadline], {}, { signal: deadline.signal });
    await expect(failureOf(api.listGroups(page))).resolves.toMatchObject({
      kind: 'UNAVAILABLE',
      message: 'Freshchat did not answer before the request deadline',
    });
  });
});
