/**
 * `npm run bench`: latency, upstream calls and memory of the budget queries, end to end over loopback
 * HTTP against the embedded sandbox (the same wiring as `npm start`). Speed and memory targets live
 * here, not in unit tests, because timings on a shared 2-core machine are noisy.
 *
 * Targets (checked at the end; exit 1 when missed):
 *  - every budget query within its DESIGN §5 call bound;
 *  - p95 latency per query under 250 ms against the sandbox (zero network latency: this is our own cost);
 *  - heap growth over the whole run under 64 MiB (no per-request leak).
 */
import { performance } from 'node:perf_hooks';
import { startHarness } from '../test/support/harness.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50);

const QUERIES: Record<string, { query: string; maxCalls: number; variables?: () => Record<string, unknown> }> = {
  'ticketingUsers(first: 50) + role + groups': {
    query: `{ freshchat { ticketingUsers(first: 50) { totalCount nodes { name role { name } groups { nodes { name } } } } } }`,
    maxCalls: 3,
  },
  '12 groups x members(first: 5)': {
    query: `{ freshchat { groups(first: 12) { nodes { name members(first: 5) { totalCount nodes { name } } } } } }`,
    maxCalls: 13,
  },
  'users(first: 100)': {
    query: `{ freshchat { users(first: 100) { totalCount nodes { name emails { address } customFields { name value } } } } }`,
    maxCalls: 2,
  },
  'roles + members (agent list walk)': {
    query: `{ freshchat { roles { nodes { name members(first: 100) { totalCount } } } } }`,
    maxCalls: 4,
  },
};

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function main(): Promise<void> {
  const h = await startHarness();
  const heapBefore = process.memoryUsage().heapUsed;
  const rows: Record<string, string | number>[] = [];
  let failed = false;
  for (const [name, { query, maxCalls }] of Object.entries(QUERIES)) {
    const times: number[] = [];
    let calls = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      h.sandbox.resetCalls();
      const started = performance.now();
      const res = await h.query(query);
      times.push(performance.now() - started);
      if (res.errors) throw new Error(`${name}: ${JSON.stringify(res.errors)}`);
      calls = Math.max(calls, h.upstreamCalls());
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 0.95);
    const ok = calls <= maxCalls && p95 < 250;
    failed ||= !ok;
    rows.push({ query: name, 'upstream calls': `${calls} (≤ ${maxCalls})`, 'p50 ms': percentile(times, 0.5).toFixed(1), 'p95 ms': p95.toFixed(1), ok: ok ? 'yes' : 'NO' });
  }
  global.gc?.();
  const heapGrowthMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  await h.close();
  console.table(rows);
  console.log(`iterations per query: ${ITERATIONS}; heap growth: ${heapGrowthMiB.toFixed(1)} MiB (< 64); rss: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  if (failed || heapGrowthMiB >= 64) {
    console.error('benchmark targets missed');
    process.exit(1);
  }
}

await main();
