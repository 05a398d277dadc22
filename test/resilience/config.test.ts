import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { problemsOf } from '../support/config.js';


describe('resilience settings', () => {
  it('has defaults for every setting of a real account, with Redis off', () => {
    const account = { FRESHCHAT_API_URL: 'https://acme.freshchat.com/v2', FRESHCHAT_API_TOKEN: 'token' };
    expect(loadConfig(account).resilience).toEqual({
      ratePerMinute: 100,
      maxConcurrency: 10,
      maxQueue: 200,
      retryBudget: 500,
      breakerFailures: 5,
      breakerCooldownMs: 10_000,
      redisUrl: undefined,
      redisKeyPrefix: 'freshchat-subgraph',
      maxAccounts: 1_000,
    });
  });

  it('reads REDIS_URL without ever printing its password', () => {
    const config = loadConfig({ REDIS_URL: 'redis://:hunter2@redis.internal:6379/2' });
    expect(config.resilience.redisUrl?.reveal()).toBe('redis://:hunter2@redis.internal:6379/2');
    expect(JSON.stringify(config)).not.toContain('hunter2');
  });

  it.each([
    [{ REDIS_URL: 'http://redis.internal:6379' }, 'REDIS_URL'],
    [{ REDIS_KEY_PREFIX: 'has spaces' }, 'REDIS_KEY_PREFIX'],
    [{ FRESHCHAT_RATE_LIMIT_PER_MINUTE: '1' }, 'FRESHCHAT_RATE_LIMIT_PER_MINUTE'],
    [{ FRESHCHAT_MAX_CONCURRENCY: '0' }, 'FRESHCHAT_MAX_CONCURRENCY'],
    [{ FRESHCHAT_BREAKER_COOLDOWN_MS: 'soon' }, 'FRESHCHAT_BREAKER_COOLDOWN_MS'],
    [{ FRESHCHAT_MAX_ACCOUNTS: '0' }, 'FRESHCHAT_MAX_ACCOUNTS'],
  ])('rejects %o naming the variable', (env, variable) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(variable);
  });
});
