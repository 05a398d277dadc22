import { ApolloClient, HttpLink, InMemoryCache, gql, type TypedDocumentNode } from '@apollo/client/core';
import { relayStylePagination } from '@apollo/client/utilities';
import { filter, firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toTicketingUser } from '../../src/resources/agents.js';
import { toUser } from '../../src/resources/contacts.js';
import { possibleTypesOf, type PossibleTypes } from '../../src/supergraph/possible-types.js';
import { startSupergraphHarness, type SupergraphHarness } from './harness.js';

/**
 * Paging as a frontend does it: Apollo Client (core, no React) against the gateway, relayStylePagination
 * on the FreshchatQuery connections, possibleTypes generated from the composed API schema.
 */
type Connection = {
  totalCount: number;
  edges: { cursor: string; node: { __typename: string; id: string; name: string | null } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};
type ListName = 'ticketingUsers' | 'users';
type Data = { freshchat: Partial<Record<ListName, Connection>> };
type Vars = { first: number; after?: string | null };

// Selected through the contract interfaces: without possibleTypes the cache could not tell that a
// FreshchatTicketingUser is a TicketingUser, and would drop these fields.
const queries: Record<ListName, TypedDocumentNode<Data, Vars>> = {
  ticketingUsers: gql`
    query AllAgents($first: Int!, $after: String) {
      freshchat {
        ticketingUsers(first: $first, after: $after) {
          totalCount
          edges { cursor node { ...AgentName } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
    fragment AgentName on HelpdeskTicketingUser { __typename id name }
  `,
  users: gql`
    query AllContacts($first: Int!, $after: String) {
      freshchat {
        users(first: $first, after: $after) {
          totalCount
          edges { cursor node { ...ContactName } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
    fragment ContactName on HelpdeskUser { __typename id name }
  `,
};

/** The typePolicies of docs/supergraph.md. */
function createClient(url: string, possibleTypes: PossibleTypes): ApolloClient {
  const cache = new InMemoryCache({
    possibleTypes,
    typePolicies: {
      // The namespace has no id: merge it, so one list's pages never replace another list's.
      FreshchatQuery: {
        merge: true,
        fields: {
          users: relayStylePagination(['filter']),
          ticketingUsers: relayStylePagination(['filter']),
          groups: relayStylePagination(),
          roles: relayStylePagination(),
        },
      },
    },
  });
  return new ApolloClient({ link: new HttpLink({ uri: url }), cache });
}

/** watchQuery, then fetchMore from endCursor until the last page; the cache merges the pages. */
async function pageAll(client: ApolloClient, list: ListName): Promise<{ connection: Connection; pages: number }> {
  const query = queries[list];
  const observable = client.watchQuery({ query, variables: { first: 100 } });
  // Subscribing starts the first request, as a mounted component would; fetchMore needs it active.
  const first = await firstValueFrom(observable.pipe(filter((result) => result.dataState === 'complete')));
  let page = first.data.freshchat[list]!;
  let pages = 1;
  while (page.pageInfo.hasNextPage) {
    page = (await observable.fetchMore({ variables: { after: page.pageInfo.endCursor } })).data.freshchat[list]!;
    pages += 1;
  }
  // What the component re-renders with: every page merged by relayStylePagination.
  const connection = client.readQuery({ query, variables: { first: 100 } })!.freshchat[list]!;
  return { connection, pages };
}

describe('Apollo Client paging through the gateway', () => {
  let h: SupergraphHarness;
  let possibleTypes: PossibleTypes;
  beforeAll(async () => {
    h = await startSupergraphHarness();
    possibleTypes = await possibleTypesOf(h.running.supergraph.apiSchema);
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  it('derives possibleTypes from the composed API schema', () => {
    expect(possibleTypes.HelpdeskTicketingUser).toEqual(['ExampleDeskTicketingUser', 'FreshchatTicketingUser']);
    expect(possibleTypes.HelpdeskUser).toEqual(['ExampleDeskUser', 'FreshchatUser']);
    expect(possibleTypes.Node).toHaveLength(13);
  });

  it('needs them: without possibleTypes the cache drops the fields of an interface fragment', async () => {
    const query = queries.ticketingUsers;
    const without = await createClient(h.running.url, {}).query({ query, variables: { first: 2 } });
    expect(without.data?.freshchat.ticketingUsers?.edges.map((e) => e.node)).toEqual([
      { __typename: 'FreshchatTicketingUser' },
      { __typename: 'FreshchatTicketingUser' },
    ]);
    const withTypes = await createClient(h.running.url, possibleTypes).query({ query, variables: { first: 2 } });
    expect(withTypes.data?.freshchat.ticketingUsers?.edges.map((e) => Object.keys(e.node))).toEqual([
      ['__typename', 'id', 'name'],
      ['__typename', 'id', 'name'],
    ]);
  });

  it('pages every agent with fetchMore(first: 100): no duplicate, no gap, in list order', async () => {
    const { agents } = h.running.freshchat.sandbox!.dataset;
    const { connection, pages } = await pageAll(createClient(h.running.url, possibleTypes), 'ticketingUsers');
    expect(pages).toBe(Math.ceil(agents.length / 100));
    expect(connection.totalCount).toBe(agents.length);
    expect(connection.edges.map((e) => e.node.id)).toEqual(agents.map((a) => toTicketingUser(a, 'sandbox').id));
    expect(connection.edges.every((e) => e.node.__typename === 'FreshchatTicketingUser' && e.node.name !== undefined)).toBe(true);
    expect(connection.pageInfo.hasNextPage).toBe(false);
    expect(h.subgraphRequests.get('freshchat')).toBe(pages);
    // docs/design.md#the-upstream-call-budget: a window of 100 costs at most ceil(100 / 50) upstream pages.
    expect(h.upstreamCalls('/v2/agents')).toBeLessThanOrEqual(pages * 2);
  });

  it('pages all 2000 contacts with fetchMore(first: 100): no duplicate, no gap, in list order', async () => {
    const { users } = h.running.freshchat.sandbox!.dataset;
    const { connection, pages } = await pageAll(createClient(h.running.url, possibleTypes), 'users');
    expect(users).toHaveLength(2000);
    expect(pages).toBe(20);
    expect(connection.totalCount).toBe(users.length);
    const ids = connection.edges.map((e) => e.node.id);
    expect(new Set(ids).size).toBe(users.length);
    expect(ids).toEqual(users.map((u) => toUser(u, 'sandbox').id));
    expect(connection.edges.map((e) => e.node.name)).toEqual(users.map((u) => toUser(u, 'sandbox').name));
    expect(h.subgraphRequests.get('freshchat')).toBe(pages);
    expect(h.upstreamCalls('/v2/users')).toBeLessThanOrEqual(pages * 2);
  });
});
