import { Trace } from '@apollo/usage-reporting-protobuf';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTicketingUser } from '../../src/resources/agents.js';
import { toUser } from '../../src/resources/contacts.js';
import { NODE_TYPENAMES } from '../../src/resources/index.js';
import { composeSupergraph } from '../../src/supergraph/compose.js';
import { exampleDeskId } from '../../src/supergraph/example-desk/index.js';
import { DEFAULT_URLS, helpdeskSubgraphs } from '../../src/supergraph/subgraphs.js';
import { ACCOUNT_ID, globalId, startHarness, type Harness } from '../support/harness.js';
import { postGraphQL } from './support.js';

/**
 * The checks of Apollo's federation subgraph compatibility suite (apollo-federation-subgraph-compatibility)
 * that apply to this subgraph, run offline against it over loopback HTTP: `_service`, `@link`, `@key`,
 * `@shareable`, `_entities` and ftv1 inline traces. (`@requires`, `@provides`, `@external`, `@override`,
 * `@inaccessible`, `@tag`, `@interfaceObject` and `@composeDirective` are not used by this schema.)
 */
describe('federation subgraph compatibility', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  describe('_service { sdl }', () => {
    let sdl: string;
    beforeAll(async () => {
      const res = await h.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
      sdl = res.data!._service.sdl;
    });

    it('links a Federation 2 spec at v2.9 or later, importing @key and @shareable', () => {
      const link = /@link\(\s*url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.(\d+)"\s*,?\s*import: \[([^\]]*)\]/.exec(sdl);
      expect(link).not.toBeNull();
      expect(Number(link![1])).toBeGreaterThanOrEqual(9);
      expect(link![2]).toContain('"@key"');
      expect(link![2]).toContain('"@shareable"');
    });

    it.each([...NODE_TYPENAMES])('declares %s as an entity keyed by id', (type) => {
      // A contract type implements its Helpdesk interface too; a Freshchat-only one (channels) Node alone.
      expect(sdl).toMatch(new RegExp(`type ${type} implements Node(?: & \\w+)?\\s+@key\\(fields: "id"\\)`));
    });

    it('shares the contract value types with @shareable', () => {
      for (const type of ['PageInfo', 'HelpdeskEmail', 'HelpdeskTicketingUserConnection', 'HelpdeskTicketingUserEdge']) {
        expect(sdl).toMatch(new RegExp(`type ${type}\\s+@shareable`));
      }
    });

    it('composes beside the example desk and the node-router as served (what IntrospectAndCompose or rover does)', () => {
      const subgraphs = helpdeskSubgraphs(DEFAULT_URLS).map((s) => (s.name === 'freshchat' ? { ...s, typeDefs: parse(sdl) } : s));
      expect(composeSupergraph(subgraphs).hints).toEqual([]);
    });
  });

  describe('_entities', () => {
    const QUERY = `query ($r: [_Any!]!) { _entities(representations: $r) {
      __typename
      ... on FreshchatTicketingUser { id name }
      ... on FreshchatGroup { id title: name }
      ... on FreshchatRole { id title: name }
      ... on FreshchatUser { id name }
    } }`;

    it('answers in representation order across types, with null for foreign, other-account, malformed and unknown ids', async () => {
      const { agents, groups, roles, users } = h.sandbox.dataset;
      const agent = globalId('FreshchatTicketingUser', agents[5]!.id);
      const group = globalId('FreshchatGroup', groups[2]!.id);
      const user = globalId('FreshchatUser', users[7]!.id);
      const role = globalId('FreshchatRole', roles[0]!.id);
      const representations = [
        { __typename: 'FreshchatGroup', id: group },
        { __typename: 'FreshchatTicketingUser', id: exampleDeskId('ExampleDeskTicketingUser', 'a-1') },
        { __typename: 'FreshchatTicketingUser', id: agent },
        { __typename: 'FreshchatTicketingUser', id: globalId('FreshchatTicketingUser', agents[5]!.id, 'other-account') },
        { __typename: 'FreshchatUser', id: user },
        { __typename: 'FreshchatTicketingUser', id: 'bm90IGFuIGlk' },
        { __typename: 'FreshchatTicketingUser', id: globalId('FreshchatTicketingUser', 'no-such-agent') },
        { __typename: 'FreshchatTicketingUser', id: group },
        { __typename: 'FreshchatRole', id: role },
      ];
      const res = await h.query<{ _entities: unknown[] }>(QUERY, { r: representations });
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities).toEqual([
        { __typename: 'FreshchatGroup', id: group, title: groups[2]!.name },
        null,
        { __typename: 'FreshchatTicketingUser', id: agent, name: toTicketingUser(agents[5]!, ACCOUNT_ID).name },
        null,
        { __typename: 'FreshchatUser', id: user, name: toUser(users[7]!, ACCOUNT_ID).name },
        null,
        null,
        null,
        { __typename: 'FreshchatRole', id: role, title: roles[0]!.name },
      ]);
    });

    it('answers an empty list for no representations', async () => {
      expect((await h.query(QUERY, { r: [] })).data).toEqual({ _entities: [] });
    });
  });

  describe('ftv1 inline traces', () => {
    const QUERY = '{ freshchat { ticketingUsers(first: 2) { nodes { name } } } }';

    it('returns a federated trace in extensions.ftv1 when the router asks with apollo-federation-include-trace', async () => {
      const res = await postGraphQL(h.url, QUERY, undefined, { 'apollo-federation-include-trace': 'ftv1' });
      expect(res.errors).toBeUndefined();
      const ftv1 = res.extensions?.ftv1;
      expect(typeof ftv1).toBe('string');
      const trace = Trace.decode(Buffer.from(ftv1 as string, 'base64'));
      expect(trace.root?.child?.map((node) => node.responseName)).toEqual(['freshchat']);
      expect(Number(trace.durationNs)).toBeGreaterThan(0);
    });

    it('adds no trace when the header is absent', async () => {
      const res = await postGraphQL(h.url, QUERY);
      expect(res.extensions?.ftv1).toBeUndefined();
    });
  });
});
