import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { defaultNodeRouterConfig } from '../../src/node-router/config.js';
import { createNodeRouterServer, type NodeRouterServer } from '../../src/node-router/server.js';
import { listen } from '../../src/process/listen.js';

describe('node-router: the same hardening as the Freshchat subgraph', () => {
  let server: NodeRouterServer;
  let base: string;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
    server = await createNodeRouterServer({ ...defaultNodeRouterConfig(['FreshchatUser']), logLevel: 'info' }, createLogger('info', sink));
    base = `http://127.0.0.1:${await listen(server.httpServer, 0, '127.0.0.1', 'PORT')}`;
  });
  afterAll(() => server.stop());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it.each([['/health', { status: 'ok' }], ['/ready', { status: 'ready' }]])('answers %s', async (path, body) => {
    const res = await fetch(`${base}${path}`);
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 200, body });
  });

  it('answers malformed JSON with a JSON 400, no HTML and no stack', async () => {
    const res = await post('{"query": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('answers a body over MAX_REQUEST_BYTES with a JSON 413', async () => {
    const res = await post(JSON.stringify({ query: `{ __typename } #${'x'.repeat(2_100_000)}` }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('applies the operation limits (aliases: 30 by default)', async () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: node(id: "x") { id }`).join(' ')} }`;
    expect((await post(JSON.stringify({ query: aliased(30) }))).status).toBe(200);
    const res = await post(JSON.stringify({ query: aliased(31) }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases' } }] });
  });

  it('refuses more than 100 ids in nodes(ids:) before execution with BAD_USER_INPUT', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `id-${i}`);
    const res = await post(JSON.stringify({ query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids } }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', limit: 'ids', max: 100 } }] });
  });

  it('writes an access line with the request id', async () => {
    await post(JSON.stringify({ query: 'query Refetch { node(id: "x") { id } }' }), { 'x-request-id': 'nr-1' });
    expect(lines.find((l) => l.msg === 'graphql request' && l.requestId === 'nr-1')).toMatchObject({ operationName: 'Refetch', status: 200 });
  });
});
