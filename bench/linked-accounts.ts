/**
 * `npm run bench:accounts`: what serving many linked accounts costs per query, against serving one.
 * One server child per setting (so CPU and RSS are its own), all on one PGlite registry with 1,000
 * accounts linked to the bench sandbox; the simple query (`groups(first: 5)`, catalogs cached) sent
 * by autocannon over one connection, each request naming its account in `x-freshchat-account-id`:
 * always the same one, or the next of the 1,000 in turn. A warm-up pass visits every account first.
 * Writes bench/report/linked-accounts.{md,json}. BENCH_ROUNDS, BENCH_SECONDS and BENCH_LINKED_ACCOUNTS
 * override the defaults.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { spawnChild, type Child, type Usage } from './ipc.js';
import { sample, type Sample } from './sample.js';
import { SIMPLE } from './scenarios.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ACCOUNTS = Number(process.env.BENCH_LINKED_ACCOUNTS ?? 1_000);

interface Setting {
  name: string;
  /** How many accounts the requests are spread over, in turn. */
  spread: number;
  env: Record<string, string>;
}

// The resolved accounts are kept longer than the run, so that every measured request is warm (by
// default they are kept 5 s, and the warm-up pass alone may take longer than that on a busy machine).
const WARM = { ACCOUNT_CACHE_TTL_MS: '300000' }; // the setting's maximum (src/config.ts)
const SETTINGS: Setting[] = [
  { name: 'one linked account', spread: 1, env: WARM },
  { name: `${ACCOUNTS.toLocaleString('en')} linked accounts`, spread: ACCOUNTS, env: WARM },
  { name: `${ACCOUNTS.toLocaleString('en')} linked accounts, ACCOUNT_CACHE_TTL_MS=0 (read and decrypted per request)`, spread: ACCOUNTS, env: { ACCOUNT_CACHE_TTL_MS: '0' } },
];

interface Measured extends Sample {
  /** Registry queries per request answered: 0 when every account was already resolved. */
  registryReads: number;
}

const accountId = (i: number) => `acc-${i % ACCOUNTS}`;

async function load(child: Child, spread: number, options: { seconds?: number; amount?: number }): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: child.url,
    connections: 1,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds }),
    requests: [
      {
        method: 'POST',
        body: JSON.stringify({ query: SIMPLE }),
        setupRequest: (request) => ({ ...request, headers: { 'content-type': 'application/json', 'x-freshchat-account-id': accountId(next++ % spread) } }),
      },
    ],
  });
}

async function measure(child: Child, spread: number): Promise<Measured> {
  const readsBefore = await child.call<number>('registryReads');
  const measured = await sample(child, () => load(child, spread, { seconds: SECONDS }));
  const reads = (await child.call<number>('registryReads')) - readsBefore;
  return { ...measured, registryReads: reads / Math.max(1, measured.requests) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-linked-'));
  const sandbox = await spawnChild('./sandbox-child.ts', { BENCH_CONTACTS: '2000' });
  const upstream = { BENCH_UPSTREAM: sandbox.url, BENCH_TOKEN: await sandbox.call<string>('token'), BENCH_DATA_DIR: dataDir };
  const key = randomBytes(32).toString('base64');
  const base = { FRESHCHAT_RATE_LIMIT_PER_MINUTE: '1000000', CATALOG_CACHE_TTL_MS: '600000', CREDENTIALS_KEY: key, LOG_LEVEL: 'warn' };
  const rows = [];
  try {
    // Creating the registry and linking the accounts happens once, in a server of its own, so that no
    // measured server carries its memory.
    const linker = await spawnChild('./variants/linked.ts', { ...upstream, BENCH_LINKED_ACCOUNTS: String(ACCOUNTS), BENCH_ENV: JSON.stringify(base) });
    await linker.stop();
    for (const setting of SETTINGS) {
      // One PGlite process at a time: each setting's server runs alone on the shared registry.
      const child = await spawnChild('./variants/linked.ts', { ...upstream, BENCH_LINKED_ACCOUNTS: String(ACCOUNTS), BENCH_ENV: JSON.stringify({ ...base, ...setting.env }) });
      await load(child, setting.spread, { amount: setting.spread }); // every account resolved, its catalog walked
      const samples: Measured[] = [];
      for (let round = 0; round < ROUNDS; round++) samples.push(await measure(child, setting.spread));
      const usage = await child.call<Usage>('usage');
      await child.stop();
      rows.push({
        setting: setting.name,
        cpuMsPerQuery: median(samples.map((s) => s.cpuMsPerQuery)),
        p50: median(samples.map((s) => s.p50)),
        p99: median(samples.map((s) => s.p99)),
        registryReadsPerQuery: median(samples.map((s) => s.registryReads)),
        rssMiB: usage.rssMiB,
        peakRssMiB: usage.maxRssMiB,
        requests: samples.reduce((n, s) => n + s.requests, 0),
        errors: samples.reduce((n, s) => n + s.errors, 0),
      });
      console.error(`${setting.name}: done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const report = {
    gitSha: execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim(),
    node: process.version,
    date: new Date().toISOString(),
    accounts: ACCOUNTS,
    rounds: ROUNDS,
    secondsPerSample: SECONDS,
    rows,
    durationS: (Date.now() - started) / 1000,
  };
  const f = (n: number, digits = 2) => (Number.isNaN(n) ? '–' : n.toFixed(digits));
  const markdown = [
    '# Linked accounts benchmark',
    '',
    `git ${report.gitSha} · Node ${report.node} · ${report.date} · ${ROUNDS} rounds × ${SECONDS} s, 1 connection · ${report.durationS.toFixed(0)} s`,
    '',
    '| setting | CPU ms/query | p50 ms | p99 ms | registry queries/query | RSS MiB (peak) | requests |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.setting} | ${f(r.cpuMsPerQuery)} | ${f(r.p50, 1)} | ${f(r.p99, 1)} | ${f(r.registryReadsPerQuery)} | ${f(r.rssMiB, 0)} (${f(r.peakRssMiB, 0)}) | ${r.requests}${r.errors ? ` (${r.errors} failed)` : ''} |`),
    '',
  ].join('\n');
  mkdirSync(new URL('./report/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./report/linked-accounts.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(new URL('./report/linked-accounts.md', import.meta.url), markdown);
  console.log(markdown);
  if (rows.some((r) => r.errors > 0)) process.exitCode = 1;
}

await main();
