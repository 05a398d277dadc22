import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample, startSubgraph, type Running } from '../observability/server.js';

const AGENTS = `query Walk($after: String) {
  freshchat { ticketingUsers(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { remoteId } } }
}`;

interface AgentPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { remoteId: string }[];
}

const pageOf = (body: Record<string, unknown>): AgentPage =>
  (body as { data: { freshchat: { ticketingUsers: AgentPage } } }).data.freshchat.ticketingUsers;

const wrongPages = (s: Running) => s.subgraph.sandbox!.calls.filter((call) => call.status === 400);

describe('walking a connection to its end', () => {
  let s: Running;
  beforeAll(async () => void (s = await startSubgraph()));
  afterAll(() => s.close());

  it('asks Freshchat for no page past the end (the total it sent bounds the next window)', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page = pageOf((await s.post({ query: AGENTS, variables: { after } })).body);
      seen.push(...page.nodes.map((node) => node.remoteId));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after !== null);
    expect(new Set(seen).size).toBe(150);
    expect(wrongPages(s)).toEqual([]);
    expect(s.subgraph.sandbox!.calls.filter((call) => call.path === '/v2/agents').map((call) => call.query.page)).toEqual(['1', '2', '3']);
  });
});

describe('a page past the end that still happens (a first window over a list never seen)', () => {
  const DEACTIVATED = '{ freshchat { ticketingUsers(first: 100, filter: { isActive: false }) { totalCount nodes { isActive } } } }';
  let s: Running;
  let first: AgentPage;
  beforeAll(async () => {
    s = await startSubgraph();
    first = pageOf((await s.post({ query: DEACTIVATED })).body);
  });
  afterAll(() => s.close());

  it('is the end of the list: the window is served whole, with no error', () => {
    expect(first.totalCount).toBe(15);
    expect(first.nodes).toHaveLength(15);
    expect(wrongPages(s)).toHaveLength(1);
  });

  it('is logged at debug, not as a failure', () => {
    const line = s.lines.find((l) => l.msg === 'Freshchat call' && l.status === 'WRONG_PAGE');
    expect(line).toMatchObject({ level: 20, path: '/agents' });
    expect(s.lines.filter((l) => Number(l.level) >= 40)).toEqual([]);
  });

  it('is counted with its own status, not as an HTTP 400', async () => {
    const text = await (await fetch(`${s.base}/metrics`)).text();
    expect(sample(text, 'freshchat_upstream_requests_total{family="agents",status="WRONG_PAGE"}')).toBe(1);
    expect(sample(text, 'freshchat_upstream_requests_total{family="agents",status="400"}')).toBeUndefined();
  });

  it('does not happen again once the list total is known', async () => {
    s.subgraph.sandbox!.resetCalls();
    expect(pageOf((await s.post({ query: DEACTIVATED })).body).nodes).toHaveLength(15);
    expect(wrongPages(s)).toEqual([]);
  });
});
