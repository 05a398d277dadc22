/**
 * `npm run bench`: the subgraph side by side with a naive subgraph, a direct-REST oracle and a bare
 * Apollo Server, interleaved in one run (round-robin, so a busy shared machine slows every variant
 * alike), each server in its own child process so its CPU time is its own. Load from autocannon, one
 * connection (closed loop: latency without queueing). Writes bench/report/bench.{md,json,svg} and
 * exits 1 when a target is missed. BENCH_QUICK=1: fewer rounds, 20,000 contacts, 50 ms latency on
 * the fan-out only (about a minute). BENCH_* settings may also come from `.env`; BENCH_ENV (a JSON
 * object of subgraph settings) applies over the bench's own. Every server runs on a temporary
 * DATA_DIR of its own, never the repo's registry. See docs/performance.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { loadDotEnv } from '../src/process/start.js';
import { renderChart } from './chart.js';
import { spawnChild, type Child, type Usage } from './ipc.js';
import { sample, type Sample } from './sample.js';
import { measurePacing, type PacingResult } from './pacing.js';
import { pageContacts } from './paging.js';
import { meets, renderMarkdown, type Row, type Target } from './report.js';
import { SCENARIOS, type Ids, type Variant } from './scenarios.js';
import { measureWalks } from './walk.js';

loadDotEnv();
const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 2 : 5));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 3));
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? (QUICK ? 20_000 : 100_000));
const LATENCIES = [0, 50];
const VARIANTS: Variant[] = ['ours', 'naive', 'oracle', 'bare'];
const SCRIPT: Record<Variant, string> = { ours: './variants/ours.ts', naive: './variants/naive.ts', oracle: './variants/oracle.ts', bare: './variants/bare.ts' };
/** BENCH_ENV: subgraph settings to measure with, a JSON object of strings (e.g. '{"UPSTREAM_PAGE_SIZE":"100"}'). */
function callerSettings(): Record<string, string> {
  const parsed: unknown = JSON.parse(process.env.BENCH_ENV ?? '{}');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw new Error('BENCH_ENV must be a JSON object of strings, e.g. {"UPSTREAM_PAGE_SIZE":"100"}');
  }
  return parsed as Record<string, string>;
}
const CALLER_ENV = callerSettings();
// The subgraph's own quota lifted, so only its own work counts; catalogs cached as in production.
const OURS_ENV = { FRESHCHAT_RATE_LIMIT_PER_MINUTE: '1000000', CATALOG_CACHE_TTL_MS: '600000', MAX_CONNECTIONS: '1000', ...CALLER_ENV };


async function load(url: string, body: unknown, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), connections: 1, duration: seconds });
}

async function post(url: string, body: unknown): Promise<{ errors?: unknown[] }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as { errors?: unknown[] };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const started = Date.now();
  const sandbox = await spawnChild('./sandbox-child.ts', { BENCH_CONTACTS: String(CONTACTS) });
  const token = await sandbox.call<string>('token');
  const ids = await sandbox.call<Ids>('ids');
  const upstream = { BENCH_UPSTREAM: sandbox.url, BENCH_TOKEN: token };
  const servers = {} as Record<Variant, Child>;
  for (const v of VARIANTS) servers[v] = await spawnChild(SCRIPT[v], { ...upstream, BENCH_ENV: JSON.stringify(OURS_ENV) });

  // Correctness first, and each scenario's upstream calls (warm catalogs: a first request fills them).
  const calls: Record<string, Partial<Record<Variant, number>>> = {};
  for (const s of SCENARIOS) {
    calls[s.name] = {};
    for (const v of VARIANTS) {
      const body = s.body[v]?.(ids);
      if (body === undefined) continue;
      const first = await post(servers[v].url, body);
      if (first.errors) throw new Error(`${v} / ${s.name}: ${JSON.stringify(first.errors).slice(0, 500)}`);
      await sandbox.call('reset');
      await post(servers[v].url, body);
      calls[s.name]![v] = await sandbox.call<number>('calls');
    }
  }

  const samples = new Map<string, Sample[]>();
  for (const latency of LATENCIES) {
    await sandbox.call('latency', latency);
    const scenarios = QUICK && latency > 0 ? SCENARIOS.filter((s) => s.name.startsWith('fan-out')) : SCENARIOS;
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of scenarios) {
        // Rotated each round, so no variant always runs first (or right after another's GC).
        const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
        for (const v of order) {
          const body = s.body[v]?.(ids);
          if (body === undefined) continue;
          const key = `${s.name}|${latency}|${v}`;
          samples.set(key, [...(samples.get(key) ?? []), await sample(servers[v], () => load(servers[v].url, body, SECONDS))]);
        }
      }
      console.error(`latency ${latency} ms: round ${round + 1}/${ROUNDS} done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  await sandbox.call('latency', 0);

  const paging = await pageContacts(servers.ours, sandbox, CONTACTS);
  console.error(`paged ${paging.contacts} contacts: retained heap ${paging.retainedMiB.toFixed(1)} MiB`);

  const peakRss = {} as Record<Variant, number>;
  for (const v of VARIANTS) peakRss[v] = (await servers[v].call<Usage>('usage')).maxRssMiB;
  for (const v of VARIANTS) await servers[v].stop();

  const pacing: PacingResult[] = await measurePacing(sandbox, upstream, QUICK ? 20 : 60, CALLER_ENV);
  await sandbox.stop();
  const walks = measureWalks();

  const rows: Row[] = [];
  for (const [key, list] of samples) {
    const [name, latency, variant] = key.split('|') as [string, string, Variant];
    const s = SCENARIOS.find((x) => x.name === name)!;
    const p50 = median(list.map((x) => x.p50));
    // The bare server never calls upstream: no calls, no floor.
    const floor = variant === 'bare' ? 0 : s.depth * Number(latency);
    rows.push({
      scenario: name,
      latencyMs: Number(latency),
      variant,
      calls: variant === 'bare' ? null : (calls[name]![variant] ?? null),
      minimalCalls: s.minimalCalls,
      p50,
      p99: median(list.map((x) => x.p99)),
      efficiency: floor > 0 ? floor / p50 : null,
      cpuMsPerQuery: median(list.map((x) => x.cpuMsPerQuery)),
      requests: list.reduce((n, x) => n + x.requests, 0),
      errors: list.reduce((n, x) => n + x.errors, 0),
    });
  }
  const row = (prefix: string, latency: number, v: Variant) => rows.find((r) => r.scenario.startsWith(prefix) && r.latencyMs === latency && r.variant === v)!;
  const fan = (v: Variant, l = 0) => row('fan-out', l, v);
  const simple = (v: Variant) => row('simple', 0, v);
  const targets: Target[] = [
    { name: 'CPU per fan-out query ≤ 2× the bare server', value: fan('ours').cpuMsPerQuery / fan('bare').cpuMsPerQuery, max: 2, unit: '×' },
    { name: 'CPU per simple query ≤ 1.3× the bare server', value: simple('ours').cpuMsPerQuery / simple('bare').cpuMsPerQuery, max: 1.3, unit: '×' },
    { name: 'fan-out p50 at 50 ms upstream ≤ 1.05× the oracle', value: fan('ours', 50).p50 / fan('oracle', 50).p50, max: 1.05, unit: '×' },
    { name: 'upstream calls = minimal on every scenario', value: Math.max(0, ...SCENARIOS.map((s) => (calls[s.name]!.ours ?? 0) - s.minimalCalls)), max: 0, unit: ' extra calls' },
    { name: 'fan-out: ≥ 30× fewer upstream calls than naive', value: calls[SCENARIOS[1]!.name]!.naive! / Math.max(1, calls[SCENARIOS[1]!.name]!.ours!), min: 30, unit: '× fewer' },
    { name: `retained heap after paging ${CONTACTS.toLocaleString('en')} contacts ≤ 10 MB`, value: paging.retainedMiB, max: 10, unit: ' MiB' },
    { name: 'no failed request in any run', value: rows.reduce((n, r) => n + r.errors, 0), max: 0, unit: '' },
    ...walks.map((w) => ({ name: `budget walk of ${w.name} ≤ 50 ms`, value: w.ms, max: 50, unit: ' ms' })),
  ];
  const report = {
    gitSha: execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim(),
    dirty: execFileSync('git', ['status', '--porcelain']).toString().trim() !== '',
    node: process.version,
    date: new Date().toISOString(),
    quick: QUICK,
    rounds: ROUNDS,
    secondsPerSample: SECONDS,
    rows,
    calls,
    peakRssMiB: peakRss,
    paging,
    pacing,
    walks,
    targets: targets.map((t) => ({ ...t, pass: meets(t) })),
    durationS: (Date.now() - started) / 1000,
  };
  mkdirSync(new URL('./report/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./report/bench.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = renderMarkdown(report);
  writeFileSync(new URL('./report/bench.md', import.meta.url), markdown);
  writeFileSync(new URL('./report/bench.svg', import.meta.url), renderChart(rows));
  console.log(markdown);
  if (report.targets.some((t) => !t.pass)) {
    console.error('benchmark targets missed');
    process.exitCode = 1;
  }
}

await main();
