/** Pages through every contact with `first: 100`, and what the subgraph's heap keeps afterwards. */
import type { Child } from './ipc.js';
import { CONTACTS_PAGE } from './scenarios.js';

export interface PagingResult {
  contacts: number;
  queries: number;
  upstreamCalls: number;
  /** Upstream pages of 50 (the sandbox's cap): two per query of 100. */
  minimalCalls: number;
  seconds: number;
  baselineHeapMiB: number;
  afterHeapMiB: number;
  retainedMiB: number;
}

interface Answer {
  data?: { freshchat: { users: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: unknown[] } } };
  errors?: unknown[];
}

export async function pageContacts(ours: Child, sandbox: Child, expected: number): Promise<PagingResult> {
  const baselineHeapMiB = await ours.call<number>('gc');
  await sandbox.call('reset');
  const started = performance.now();
  let after: string | null = null;
  let contacts = 0;
  let queries = 0;
  for (;;) {
    const res = await fetch(ours.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: CONTACTS_PAGE, variables: { after } }) });
    const body = (await res.json()) as Answer;
    if (!body.data || body.errors) throw new Error(`paging at ${contacts}: ${JSON.stringify(body.errors).slice(0, 300)}`);
    queries += 1;
    const { pageInfo, edges } = body.data.freshchat.users;
    contacts += edges.length;
    if (!pageInfo.hasNextPage) break;
    after = pageInfo.endCursor;
  }
  if (contacts !== expected) throw new Error(`paging: ${contacts} contacts, expected ${expected}`);
  const seconds = (performance.now() - started) / 1000;
  const upstreamCalls = await sandbox.call<number>('calls');
  const afterHeapMiB = await ours.call<number>('gc');
  return { contacts, queries, upstreamCalls, minimalCalls: Math.ceil(expected / 50), seconds, baselineHeapMiB, afterHeapMiB, retainedMiB: afterHeapMiB - baselineHeapMiB };
}
