/** (d) A bare Apollo Server 5 serving the same shapes from memory: graphql-js's own cost, the floor. */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createDataset } from '../../src/sandbox/dataset.js';
import { serveCommands } from '../ipc.js';
import { SHAPES_SDL, connection, nameOf } from './shapes.js';

type Agent = ReturnType<typeof createDataset>['agents'][number];
type Group = ReturnType<typeof createDataset>['groups'][number];

await serveCommands(async () => {
  const data = createDataset(1);
  const roles = new Map(data.roles.map((r) => [r.id, r]));
  const groups = new Map(data.groups.map((g) => [g.id, g]));
  const agents = new Map(data.agents.map((a) => [a.id, a]));
  const server = new ApolloServer({
    typeDefs: SHAPES_SDL,
    resolvers: {
      Query: { freshchat: () => ({}) },
      FreshchatQuery: {
        ticketingUsers: (_: unknown, a: { first?: number; after?: string }) => connection(data.agents, a.first, a.after),
        ticketingUser: (_: unknown, a: { id: string }) => agents.get(a.id) ?? null,
        groups: (_: unknown, a: { first?: number; after?: string }) => connection(data.groups, a.first, a.after),
      },
      TicketingUser: {
        name: (raw: Agent) => nameOf(raw),
        role: (raw: Agent) => (raw.role_id ? (roles.get(raw.role_id) ?? null) : null),
        groups: (raw: Agent, a: { first?: number; after?: string }) =>
          connection((raw.groups ?? []).map((id) => groups.get(id)).filter((g) => g !== undefined), a.first, a.after),
      },
      Group: {
        members: (g: Group, a: { first?: number; after?: string }) => connection(data.agents.filter((x) => x.groups?.includes(g.id)), a.first, a.after),
      },
    },
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, handlers: {} };
});
