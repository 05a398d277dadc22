import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/contract/index.js';
import { NodeRouterConfigError, loadNodeRouterConfig } from '../../src/node-router/config.js';
import { toNodeStub } from '../../src/node-router/schema.js';
import { createLogger } from '../../src/logger.js';
import { exampleDeskId } from '../../src/supergraph/example-desk/index.js';
import { serveNodeRouter, type RunningSubgraph } from '../../src/supergraph/serve.js';
import { NODE_TYPENAMES } from '../../src/resources/index.js';
import { postGraphQL, readUntil } from './support.js';

const freshchatAgent = toGlobalId({ provider: 'freshchat', typename: 'FreshchatTicketingUser', accountId: 'acme', remoteId: 'a:1' });
const FRESHCHAT_ONLY = new Set<string>(NODE_TYPENAMES);

describe('node-router', () => {
  describe('toNodeStub', () => {
    it.each([
      ['a Freshchat agent id', freshchatAgent, { __typename: 'FreshchatTicketingUser', id: freshchatAgent }],
      ['an id of a type it was not given', exampleDeskId('ExampleDeskUser', 'u-1'), null],
      ['a malformed id', 'not-base64url!', null],
      ['an empty id', '', null],
      ['base64url of something else', Buffer.from('hello:world').toString('base64url'), null],
      ['an id of another format version', Buffer.from('hd2:freshchat:FreshchatUser:acme:1').toString('base64url'), null],
    ])('answers %s with %o', (_name, id, stub) => {
      expect(toNodeStub(id, FRESHCHAT_ONLY)).toEqual(stub);
    });
  });

  describe('loadNodeRouterConfig', () => {
    it('defaults to port 4002 and every Freshchat entity type', () => {
      const config = loadNodeRouterConfig({});
      expect(config).toMatchObject({ port: 4002, host: '0.0.0.0', production: false });
      expect(config.typenames.sort()).toEqual([...NODE_TYPENAMES].sort());
    });

    it('treats an empty NODE_ROUTER_TYPES, as .env.example has it, as unset', () => {
      expect(loadNodeRouterConfig({ NODE_ROUTER_TYPES: '' }).typenames).toEqual(loadNodeRouterConfig({}).typenames);
    });

    it('reads the Node types of every helpdesk from NODE_ROUTER_TYPES', () => {
      const config = loadNodeRouterConfig({ NODE_ROUTER_TYPES: ' FreshchatUser, ZendeskUser ,ZendeskGroup,', PORT: '0' });
      expect(config).toMatchObject({ port: 0, typenames: ['FreshchatUser', 'ZendeskUser', 'ZendeskGroup'] });
    });

    it('lists every problem at once', () => {
      const problems = (() => {
        try {
          loadNodeRouterConfig({ NODE_ROUTER_TYPES: 'Freshchat-User', PORT: 'http' });
        } catch (error) {
          if (error instanceof NodeRouterConfigError) return error.problems;
        }
        return [];
      })();
      expect(problems).toHaveLength(2);
      expect(problems.join('\n')).toMatch(/PORT/);
      expect(problems.join('\n')).toMatch(/NODE_ROUTER_TYPES must be a comma-separated list of GraphQL type names/);
    });

    it.each([[','], ['FreshchatUser,FreshchatUser']])('rejects NODE_ROUTER_TYPES=%s', (value) => {
      expect(() => loadNodeRouterConfig({ NODE_ROUTER_TYPES: value })).toThrow(NodeRouterConfigError);
    });
  });

  describe('over HTTP', () => {
    let router: RunningSubgraph;
    beforeAll(async () => {
      router = await serveNodeRouter(['FreshchatTicketingUser', 'ExampleDeskUser'], createLogger('silent'));
    });
    afterAll(() => router.stop());

    it('declares each configured type as a Node entity that it cannot resolve itself', async () => {
      const res = await postGraphQL<{ _service: { sdl: string } }>(router.url, '{ _service { sdl } }');
      const sdl = res.data!._service.sdl;
      expect(sdl).toContain('type FreshchatTicketingUser implements Node\n  @key(fields: "id", resolvable: false)');
      expect(sdl).toContain('type ExampleDeskUser implements Node\n  @key(fields: "id", resolvable: false)');
      expect(sdl).toMatch(/node\(id: ID!\): Node\n/);
      expect(sdl).toMatch(/nodes\(ids: \[ID!\]!\): \[Node\]!/);
    });

    it('answers stubs in order, null for what it cannot route', async () => {
      const ids = [exampleDeskId('ExampleDeskUser', 'u-1'), 'junk', freshchatAgent, exampleDeskId('ExampleDeskGroup', 'g-1')];
      const res = await postGraphQL(router.url, 'query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', { ids });
      expect(res).toEqual({
        data: {
          nodes: [{ __typename: 'ExampleDeskUser', id: ids[0] }, null, { __typename: 'FreshchatTicketingUser', id: freshchatAgent }, null],
        },
      });
    });

    it('answers /health', async () => {
      const res = await fetch(router.url.replace('/graphql', '/health'));
      expect(await res.json()).toEqual({ status: 'ok' });
    });
  });

  describe('npm run node-router', () => {
    const ENTRY = ['--import', 'tsx', 'src/node-router/main.ts'];
    const env = (extra: Record<string, string>) => ({ PATH: process.env.PATH, HOME: process.env.HOME, ...extra });

    it('starts on its own with the types of NODE_ROUTER_TYPES', async () => {
      const child = spawn(process.execPath, ENTRY, { env: env({ PORT: '0', HOST: '127.0.0.1', NODE_ROUTER_TYPES: 'FreshchatUser,ZendeskUser' }) });
      try {
        const line = await readUntil(child.stdout, /ready at (http:\S+) for FreshchatUser, ZendeskUser/);
        const url = /ready at (http:\S+)/.exec(line)![1]!;
        const id = toGlobalId({ provider: 'zendesk', typename: 'ZendeskUser', accountId: 'acme', remoteId: '42' });
        const res = await postGraphQL(url, 'query ($id: ID!) { node(id: $id) { __typename id } }', { id });
        expect(res.data).toEqual({ node: { __typename: 'ZendeskUser', id } });
      } finally {
        child.kill('SIGTERM');
      }
    });

    it('routes node(id:) of every Freshchat entity type when NODE_ROUTER_TYPES is unset', async () => {
      const child = spawn(process.execPath, ENTRY, { env: env({ PORT: '0', HOST: '127.0.0.1' }) });
      try {
        const line = await readUntil(child.stdout, /ready at (http:\S+)/);
        const url = /ready at (http:\S+)/.exec(line)![1]!;
        const ids = NODE_TYPENAMES.map((typename) => toGlobalId({ provider: 'freshchat', typename, accountId: 'acme', remoteId: '1' }));
        const query = `query (${ids.map((_, i) => `$id${i}: ID!`).join(', ')}) { ${ids.map((_, i) => `n${i}: node(id: $id${i}) { __typename id }`).join(' ')} }`;
        const res = await postGraphQL(url, query, Object.fromEntries(ids.map((id, i) => [`id${i}`, id])));
        expect(res).toEqual({ data: Object.fromEntries(ids.map((id, i) => [`n${i}`, { __typename: NODE_TYPENAMES[i], id }])) });
      } finally {
        child.kill('SIGTERM');
      }
    });

    it('exits 1 with one line naming the variable for a malformed NODE_ROUTER_TYPES', () => {
      const run = spawnSync(process.execPath, ENTRY, { env: env({ NODE_ROUTER_TYPES: 'not a type' }), encoding: 'utf8', timeout: 30_000 });
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('NODE_ROUTER_TYPES')]);
    });
  });
});
