/**
 * `npm run bench:layers`: what each layer of the GraphQL request path costs, one at a time. The
 * subgraph as built, then the same with one layer removed by a bench-only switch (LayerSwitches in
 * src/server.ts, or a setting), then with all of them removed, beside the bare Apollo Server; CPU per
 * query of the simple and the fan-out query at upstream latency 0, each server in its own child,
 * rounds interleaved with the order rotating (a busy machine slows every setting alike), medians.
 * Writes bench/report/layers.{md,json}. BENCH_QUICK=1, BENCH_ROUNDS and BENCH_SECONDS as in run.ts;
 * BENCH_LAYERS_ONLY=name,name runs only those settings (plus "as built" and bare).
 * BENCH_BASELINE=DIR adds the subgraph as built from another checkout (its own bench/variants/ours.ts,
 * e.g. a `git worktree` of the commit before a change), measured in the same interleaved rounds.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { spawnChild, type Child } from './ipc.js';
import { sample } from './sample.js';
import { FANOUT, SIMPLE } from './scenarios.js';
import type { LayerSwitches } from '../src/server.js';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 3 : 5));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 2));
const BASE_ENV = { FRESHCHAT_RATE_LIMIT_PER_MINUTE: '1000000', CATALOG_CACHE_TTL_MS: '600000', MAX_CONNECTIONS: '1000' };

interface Setting {
  name: string;
  layers?: LayerSwitches;
  env?: Record<string, string>;
  /** The bare Apollo Server (bench/variants/bare.ts) instead of the subgraph. */
  bare?: true;
  /** Another checkout's bench/variants/ours.ts (BENCH_BASELINE). */
  script?: string;
}

const ALL_OFF: LayerSwitches = { accessLog: false, metrics: false, limits: false, requestScope: false, inlineTrace: false, auth: false, http: 'node' };
const SETTINGS: Setting[] = [
  { name: 'as built' },
  { name: 'Node http + executeHTTPGraphQLRequest instead of Express', layers: { http: 'node' } },
  { name: 'without the access log plugin', layers: { accessLog: false } },
  { name: 'LOG_LEVEL=warn (access log level off)', env: { LOG_LEVEL: 'warn' } },
  { name: 'without the GraphQL metrics plugin', layers: { metrics: false } },
  { name: 'METRICS_ENABLED=false (no metrics at all)', env: { METRICS_ENABLED: 'false' } },
  { name: 'without the operation limits (armor rules, variables, budget)', layers: { limits: false } },
  { name: 'without the request-id scope (AsyncLocalStorage)', layers: { requestScope: false } },
  { name: "without Apollo's inline-trace plugin", layers: { inlineTrace: false } },
  { name: 'without the caller-auth middleware', layers: { auth: false } },
  { name: 'all of the above removed', layers: ALL_OFF, env: { METRICS_ENABLED: 'false', LOG_LEVEL: 'warn' } },
  { name: 'bare Apollo Server (standalone, data in memory)', bare: true },
];
const QUERIES = [
  { name: 'simple', query: SIMPLE },
  { name: 'fan-out', query: FANOUT },
] as const;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function load(url: string, query: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }), connections: 1, duration: seconds });
}

async function main(): Promise<void> {
  const only = process.env.BENCH_LAYERS_ONLY?.split(',').map((s) => s.trim());
  const baseline = process.env.BENCH_BASELINE;
  const chosen = only ? SETTINGS.filter((s, i) => i === 0 || s.bare || only.some((o) => s.name.includes(o))) : SETTINGS;
  const settings: Setting[] = baseline
    ? [chosen[0]!, { name: `as built at ${baseline} (baseline)`, script: `${baseline.replace(/\/$/, '')}/bench/variants/ours.ts` }, ...chosen.slice(1)]
    : chosen;
  const sandbox = await spawnChild('./sandbox-child.ts', { BENCH_CONTACTS: '2000' });
  const upstream = { BENCH_UPSTREAM: sandbox.url, BENCH_TOKEN: await sandbox.call<string>('token') };
  const children: Child[] = [];
  try {
    for (const s of settings) {
      const script = s.script ?? (s.bare ? './variants/bare.ts' : './variants/ours.ts');
      const child = await spawnChild(script, { ...upstream, BENCH_ENV: JSON.stringify({ ...BASE_ENV, ...s.env }), BENCH_LAYERS: JSON.stringify(s.layers ?? {}) });
      children.push(child);
      // Warm: catalogs cached, documents parsed and validated, JIT settled.
      for (const q of QUERIES) await load(child.url, q.query, 1);
    }
    const cpu = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const q of QUERIES) {
        for (let k = 0; k < settings.length; k++) {
          const i = (k + round) % settings.length;
          const measured = await sample(children[i]!, () => load(children[i]!.url, q.query, SECONDS));
          if (measured.errors > 0) throw new Error(`${settings[i]!.name} / ${q.name}: ${measured.errors} failed requests`);
          const key = `${i}|${q.name}`;
          cpu.set(key, [...(cpu.get(key) ?? []), measured.cpuMsPerQuery]);
        }
      }
      console.error(`round ${round + 1}/${ROUNDS} done`);
    }
    const rows = settings.map((s, i) => {
      const simple = median(cpu.get(`${i}|simple`)!);
      const fanout = median(cpu.get(`${i}|fan-out`)!);
      return { setting: s.name, simpleCpuMs: simple, fanoutCpuMs: fanout };
    });
    const built = rows[0]!;
    const bare = rows[rows.length - 1]!;
    const lines = [
      `# CPU per query, one layer removed at a time`,
      '',
      `${new Date().toISOString()}, git ${execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim()}, Node ${process.version}, ${ROUNDS} interleaved rounds of ${SECONDS} s, medians, upstream latency 0.`,
      '',
      '| setting | simple: CPU ms/query | saved vs as built | × bare | fan-out: CPU ms/query | saved vs as built | × bare |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.setting} | ${r.simpleCpuMs.toFixed(3)} | ${(built.simpleCpuMs - r.simpleCpuMs).toFixed(3)} | ${(r.simpleCpuMs / bare.simpleCpuMs).toFixed(2)}× | ${r.fanoutCpuMs.toFixed(3)} | ${(built.fanoutCpuMs - r.fanoutCpuMs).toFixed(3)} | ${(r.fanoutCpuMs / bare.fanoutCpuMs).toFixed(2)}× |`,
      ),
      '',
    ];
    mkdirSync(new URL('./report/', import.meta.url), { recursive: true });
    writeFileSync(new URL('./report/layers.json', import.meta.url), `${JSON.stringify({ rounds: ROUNDS, seconds: SECONDS, node: process.version, rows }, null, 2)}\n`);
    writeFileSync(new URL('./report/layers.md', import.meta.url), lines.join('\n'));
    console.log(lines.join('\n'));
  } finally {
    for (const child of children) await child.stop();
    await sandbox.stop();
  }
}

await main();
