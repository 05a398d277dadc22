/**
 * `node --cpu-prof --import tsx bench/profile.ts`: drives the fan-out query in-process against the
 * sandbox so `--cpu-prof` sees the subgraph's own work; `bench/profile-summary.ts` ranks the result.
 */
import { startHarness } from '../test/support/harness.js';

const FANOUT = `{ freshchat { ticketingUsers(first: 50) { edges { node { id name role { name } groups(first: 10) { edges { node { name } } } } } } } }`;
const N = Number(process.env.PROFILE_ITERATIONS ?? 400);

const h = await startHarness({ env: { CATALOG_CACHE_TTL_MS: '60000' } });
for (let i = 0; i < 30; i++) await h.query(FANOUT);
const started = performance.now();
for (let i = 0; i < N; i++) {
  const res = await h.query(FANOUT);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
}
console.log(`${N} fan-out queries in ${(performance.now() - started).toFixed(0)} ms`);
await h.close();
