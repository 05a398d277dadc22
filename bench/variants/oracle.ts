/**
 * (c) The direct-REST oracle: a hand-written HTTP handler per scenario making the minimal Freshchat
 * calls with the catalogs (roles, groups) in memory — the same cache state as the subgraph's warm
 * catalog cache — and writing the JSON by hand. Its latency is the floor a subgraph can approach.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveCommands } from '../ipc.js';
import { nameOf, type Named } from './shapes.js';
import { createUpstreamGet } from './upstream.js';

interface Agent extends Named { role_id?: string | null; groups?: string[] | null }
interface Page { pagination: { total_items: number; total_pages: number } }

await serveCommands(async () => {
  const get = createUpstreamGet();
  const roles = new Map((await get<{ roles: Named[] }>('/roles')).roles.map((r) => [r.id, r]));
  const groupList = (await get<{ groups: Named[] }>('/groups?items_per_page=50&page=1')).groups;
  const groups = new Map(groupList.map((g) => [g.id, g]));
  const agentView = (a: Agent) => ({
    id: a.id,
    name: nameOf(a),
    role: a.role_id ? { name: roles.get(a.role_id)?.name ?? null } : null,
    groups: { edges: (a.groups ?? []).slice(0, 10).map((id) => ({ node: { name: groups.get(id)?.name ?? null } })) },
  });
  const agentsPage = (page: number) => get<Page & { agents: Agent[] }>(`/agents?items_per_page=50&page=${page}`);

  const scenarios: Record<string, (arg: Record<string, string | number>) => Promise<unknown>> = {
    agentById: async ({ id }) => {
      const a = await get<Agent>(`/agents/${encodeURIComponent(String(id))}`);
      return { id: a.id, name: nameOf(a) };
    },
    fanout: async () => ({ edges: (await agentsPage(1)).agents.map((a) => ({ node: agentView(a) })) }),
    simple: async () => ({ totalCount: groupList.length, edges: groupList.slice(0, 5).map((g) => ({ node: { id: g.id, name: g.name } })) }),
    groupsMembers: async () =>
      Promise.all(
        groupList.slice(0, 12).map(async (g) => {
          const body = await get<Page & { agents: Agent[] }>(`/agents?groups=${encodeURIComponent(g.id)}&items_per_page=5&page=1`);
          return { name: g.name, members: { totalCount: body.pagination.total_items, nodes: body.agents.map((a) => ({ name: nameOf(a) })) } };
        }),
      ),
    // The whole agent list: its first page says how many follow, which then go out together.
    entities: async () => {
      const first = await agentsPage(1);
      const rest = await Promise.all(Array.from({ length: first.pagination.total_pages - 1 }, (_, i) => agentsPage(i + 2)));
      return [first, ...rest].flatMap((p) => p.agents.map((a) => ({ id: a.id, name: nameOf(a) })));
    },
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    const answer = async () => {
      try {
        const { scenario, arg } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { scenario: string; arg?: Record<string, string> };
        const body = JSON.stringify({ data: await scenarios[scenario]!(arg ?? {}) });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    };
    req.on('end', () => void answer());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, handlers: {} };
});
