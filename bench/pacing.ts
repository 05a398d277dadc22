/**
 * Throughput within a real account's quota: the subgraph limited to 100 upstream requests per minute
 * (FRESHCHAT_RATE_LIMIT_PER_MINUTE=100), fan-out queries sent one after another for a fixed wall-clock
 * window, answered ones counted and scaled to a minute. Real clock, short window: the quota's own
 * burst allowance is included, so a window under a minute overstates the steady state a little.
 */
import { spawnChild, type Child } from './ipc.js';
import { FANOUT } from './scenarios.js';

export interface PacingResult {
  setting: string;
  seconds: number;
  answered: number;
  refused: number;
  upstreamCalls: number;
  answeredPerMinute: number;
}

const SETTINGS: { setting: string; env: Record<string, string> }[] = [
  { setting: 'as built (catalog cache 30 s, page cache off)', env: {} },
  { setting: 'AGENT_PAGE_CACHE_TTL_MS=5000', env: { AGENT_PAGE_CACHE_TTL_MS: '5000' } },
];

/** `base`: the caller's BENCH_ENV settings; each pacing setting and the 100/minute quota go over them. */
export async function measurePacing(sandbox: Child, upstream: Record<string, string>, seconds: number, base: Record<string, string> = {}): Promise<PacingResult[]> {
  const results: PacingResult[] = [];
  for (const { setting, env } of SETTINGS) {
    const ours: Child = await spawnChild('./variants/ours.ts', { ...upstream, BENCH_ENV: JSON.stringify({ ...base, FRESHCHAT_RATE_LIMIT_PER_MINUTE: '100', ...env }) });
    await sandbox.call('reset');
    let answered = 0;
    let refused = 0;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      const res = await fetch(ours.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: FANOUT }) });
      const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
      if (body.errors) refused += 1;
      else answered += 1;
    }
    results.push({ setting, seconds, answered, refused, upstreamCalls: await sandbox.call<number>('calls'), answeredPerMinute: (answered * 60) / seconds });
    await ours.stop();
  }
  return results;
}
