/**
 * `npx tsx bench/profile.ts [simple|fanout] [seconds]`: the subgraph (as built, in a child process) under
 * autocannon load with `--cpu-prof`, then its top self-time and own inclusive functions
 * (bench/profile-summary.ts). The profile is in bench/report/profiles/.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import autocannon from 'autocannon';
import { spawnChild } from './ipc.js';
import { inclusiveOwn, summarise } from './profile-summary.js';
import { FANOUT, SIMPLE } from './scenarios.js';

const [which = 'fanout', seconds = '8'] = process.argv.slice(2);
const dir = new URL('./report/profiles/', import.meta.url).pathname;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const sandbox = await spawnChild('./sandbox-child.ts', {});
const upstream = { BENCH_UPSTREAM: sandbox.url, BENCH_TOKEN: await sandbox.call<string>('token') };
process.env.BENCH_CPU_PROF = dir;
const ours = await spawnChild('./variants/ours.ts', { ...upstream, BENCH_ENV: JSON.stringify({ FRESHCHAT_RATE_LIMIT_PER_MINUTE: '1000000', CATALOG_CACHE_TTL_MS: '600000' }) });
delete process.env.BENCH_CPU_PROF;
const body = JSON.stringify({ query: which === 'simple' ? SIMPLE : FANOUT });
const result = await autocannon({ url: ours.url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 1, duration: Number(seconds) });
console.log(`${result.requests.total} ${which} queries in ${seconds} s`);
await ours.stop();
await sandbox.stop();
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && !f.includes('.1.'));
const profile = JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as Parameters<typeof inclusiveOwn>[0];
console.table(summarise(profile, 30));
console.table(inclusiveOwn(profile, 30));
