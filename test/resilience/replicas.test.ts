import { afterAll, beforeAll, expect, it } from 'vitest';
import { maxInSpan, toSlices } from '../../src/resilience/slices.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { AGENTS_QUERY, GROUPS_QUERY, postQuery } from './support/harness.js';
import { describeWithRedis, startRedis, uniquePrefix, type TestRedis } from './support/redis.js';
import { startReplica, type Replica } from './support/replica.js';
import { maxInWindow } from './support/windows.js';

// 183 per minute is spent as 3 per 1 s slice: two replicas counting alone would send 6 per second.
const PER_MINUTE = 183;
const slices = toSlices(PER_MINUTE);

describeWithRedis('two replica processes sharing one Redis', () => {
  let redis: TestRedis;
  let sandbox: Sandbox;
  let replicas: Replica[] = [];

  beforeAll(async () => {
    [redis, sandbox] = await Promise.all([startRedis(), startSandbox()]);
    const env = {
      FRESHCHAT_API_URL: sandbox.baseUrl,
      FRESHCHAT_API_TOKEN: sandbox.token,
      FRESHCHAT_ACCOUNT_ID: 'acme',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: uniquePrefix('replicas'),
      FRESHCHAT_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
      REQUEST_DEADLINE_MS: '20000',
      CATALOG_CACHE_TTL_MS: '30000',
    };
    replicas = await Promise.all([startReplica(env), startReplica(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await sandbox?.close();
    await redis?.close();
  });

  it('keep the upstream calls of both within one account quota in every window', async () => {
    sandbox.resetCalls();
    const started = Date.now();
    const load = replicas.flatMap((replica) => Array.from({ length: 8 }, () => postQuery(replica.url, AGENTS_QUERY)));
    const responses = await Promise.all(load);
    expect(responses.filter((res) => res.errors !== undefined)).toEqual([]);
    const times = sandbox.calls.filter((call) => call.path === '/v2/agents').map((call) => call.at);
    expect(times).toHaveLength(16);
    for (const ms of [1_000, 2_000, 3_000, 5_000, 60_000]) {
      expect(maxInWindow(times, ms), `calls in any ${ms} ms`).toBeLessThanOrEqual(maxInSpan(slices, ms));
    }
    const seconds = (Math.max(...times) - started) / 1000;
    console.info(
      `replicas: ${times.length} calls from 2 processes in ${seconds.toFixed(1)} s; peak ${maxInWindow(times, 1000)} in 1 s, ` +
        `${maxInWindow(times, 3000)} in 3 s (quota ${PER_MINUTE}/min = ${slices.points} per ${slices.seconds} s slice)`,
    );
  }, 30_000);

  it('share one groups catalog walk per TTL through Redis', async () => {
    sandbox.resetCalls();
    const [a, b] = replicas as [Replica, Replica];
    expect((await postQuery(a.url, GROUPS_QUERY)).errors).toBeUndefined();
    const walk = sandbox.calls.filter((call) => call.path === '/v2/groups').length;
    expect(walk).toBeGreaterThan(0);
    expect((await postQuery(b.url, GROUPS_QUERY)).data).toEqual((await postQuery(a.url, GROUPS_QUERY)).data);
    expect(sandbox.calls.filter((call) => call.path === '/v2/groups')).toHaveLength(walk);
  }, 30_000);
});
