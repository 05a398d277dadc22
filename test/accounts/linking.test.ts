import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostPolicy, parseAllowedHosts } from '../../src/accounts/allowed-hosts.js';
import { createLinking, type Linking } from '../../src/accounts/linking.js';
import type { AccountStore } from '../../src/accounts/store.js';
import { createValidator, type ValidateCredentials } from '../../src/accounts/validate.js';
import { loadConfig } from '../../src/config.js';
import { createAccountTransports } from '../../src/freshchat/account-transport.js';
import { createDispatcher } from '../../src/freshchat/http.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

/**
 * What linking answers for a URL and token before anything is stored: the same refusal for every
 * target where no Freshchat answers, whatever the reason, so that the link page cannot be used to
 * tell open ports from closed ones; and a token no HTTP header can carry refused before any call.
 */
const { upstream } = loadConfig({});
const dispatcher = createDispatcher(upstream);
const transports = createAccountTransports({ dispatcher, retry: upstream.retry });
const servers: (Server | HttpServer)[] = [];
let sandbox: Sandbox;
let closedPort: number;
let htmlPort: number;
let garbagePort: number;
let silentPort: number;

async function listening<S extends Server | HttpServer>(server: S): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  sandbox = await startSandbox({ token: 'linking-sandbox-token-0123456789' });
  const closed = createTcpServer();
  closedPort = await listening(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve())); // nothing listens there now
  htmlPort = await listening(createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>admin</h1>')));
  garbagePort = await listening(createTcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n')));
  silentPort = await listening(createTcpServer(() => undefined)); // accepts, never answers
});
afterAll(async () => {
  for (const server of servers) server.close();
  await sandbox.close();
  await dispatcher.close();
});

function linkingFor(allowed: string[], validate: ValidateCredentials = createValidator(transports, 1_000)): Linking {
  const parsed = parseAllowedHosts(allowed.join(','));
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const store = {} as AccountStore; // check() stores nothing
  return createLinking({ store, hosts: createHostPolicy(parsed.patterns), validate, canStore: true, reservedId: null });
}

describe('a link target where no Freshchat answers', () => {
  it('gets one and the same refusal whether nothing listens, something else answers, nothing answers or its port is not allowed', async () => {
    const sandboxPort = new URL(sandbox.baseUrl).port;
    const ports = [closedPort, htmlPort, garbagePort, silentPort, sandboxPort];
    const linking = linkingFor(ports.map((port) => `127.0.0.1:${port}`));
    const token = sandbox.token;
    const refusals = await Promise.all([
      linking.check(`http://127.0.0.1:${closedPort}`, token),
      linking.check(`http://127.0.0.1:${htmlPort}`, token),
      linking.check(`http://127.0.0.1:${garbagePort}`, token),
      linking.check(`http://127.0.0.1:${silentPort}`, token),
      linking.check('http://127.0.0.1:22', token), // a port FRESHCHAT_ALLOWED_HOSTS does not list
    ]);
    expect(refusals[0]).toMatchObject({ ok: false, refusal: { status: 502, code: 'UPSTREAM_UNAVAILABLE', field: 'apiUrl' } });
    for (const refusal of refusals) expect(refusal).toEqual(refusals[0]);
    // The sandbox on its listed port is linked: the refusals above are not a blanket one.
    expect(await linking.check(`http://127.0.0.1:${sandboxPort}`, token)).toEqual({ ok: true, apiUrl: sandbox.baseUrl });
  });
});

describe('a token an HTTP header cannot carry', () => {
  it.each([
    ['a CR/LF pair', 'abc\r\nX-Injected: 1'],
    ['a line feed', 'abc\ndef'],
    ['a NUL byte', 'abc\u0000def'],
    ['a tab', 'abc\tdef'],
    ['a non-ASCII letter', 'abcdé'],
  ])('is refused with %s, naming the field and the reason, before any call', async (_case, token) => {
    const calls: string[] = [];
    const linking = linkingFor(['*.freshchat.com'], async (apiUrl) => (calls.push(apiUrl), { ok: true }));
    const checked = await linking.check('https://acme.freshchat.com', token);
    expect(checked).toEqual({
      ok: false,
      refusal: { status: 400, code: 'BAD_USER_INPUT', field: 'apiToken', message: expect.stringMatching(/cannot be sent in an HTTP header/) },
    });
    expect(calls).toEqual([]);
  });
});
