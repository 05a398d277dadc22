/**
 * (b) The naive subgraph, kept only in the benchmark: every field fetches what it needs itself, one
 * upstream call per item (a role per agent, a group per membership), no loaders, no catalog cache.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { serveCommands } from '../ipc.js';
import { SHAPES_SDL, connection, nameOf, type Named } from './shapes.js';
import { createUpstreamGet } from './upstream.js';

interface Agent extends Named { role_id?: string | null; groups?: string[] | null }
interface Page { pagination: { total_items: number } }

await serveCommands(async () => {
  const get = createUpstreamGet();
  const listed = async (path: string, key: string, first: number | undefined) => {
    const body = await get<Page & Record<string, Named[]>>(`${path}${path.includes('?') ? '&' : '?'}items_per_page=${first ?? 20}&page=1`);
    return connection(body[key]!, first, null, body.pagination.total_items);
  };
  const server = new ApolloServer({
    typeDefs: SHAPES_SDL,
    resolvers: {
      Query: { freshchat: () => ({}) },
      FreshchatQuery: {
        ticketingUsers: (_: unknown, a: { first?: number }) => listed('/agents', 'agents', a.first),
        ticketingUser: (_: unknown, a: { id: string }) => get<Agent>(`/agents/${encodeURIComponent(a.id)}`),
        groups: (_: unknown, a: { first?: number }) => listed('/groups', 'groups', a.first),
      },
      TicketingUser: {
        name: (raw: Agent) => nameOf(raw),
        // Freshchat has no GET /roles/{id} nor /groups/{id}: one list read per item instead.
        role: async (raw: Agent) => (raw.role_id ? ((await get<{ roles: Named[] }>('/roles')).roles.find((r) => r.id === raw.role_id) ?? null) : null),
        groups: async (raw: Agent, a: { first?: number; after?: string }) => {
          const one = async (id: string) => (await get<{ groups: Named[] }>('/groups?items_per_page=50&page=1')).groups.find((g) => g.id === id);
          const found = await Promise.all((raw.groups ?? []).map(one));
          return connection(found.filter((g) => g !== undefined), a.first, a.after);
        },
      },
      Group: {
        members: (g: Named, a: { first?: number }) => listed(`/agents?groups=${encodeURIComponent(g.id)}`, 'agents', a.first),
      },
    },
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, handlers: {} };
});
