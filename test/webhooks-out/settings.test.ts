import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { problemsOf } from '../support/config.js';

describe('webhooks-out settings', () => {
  it('defaults to public hosts only, retries from 5 s, and 8 sends', () => {
    expect(loadConfig({}).webhooksOut).toEqual({ allowedHosts: undefined, retryBaseMs: 5_000, maxAttempts: 8, production: false });
  });

  it('reads the allowed hosts, the backoff base, the attempts and production mode', () => {
    const config = loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'hooks.example.com, *.example.org,127.0.0.1,[::1]', WEBHOOK_RETRY_BASE_MS: '250', WEBHOOK_MAX_ATTEMPTS: '3', NODE_ENV: 'production' });
    expect(config.webhooksOut).toEqual({ allowedHosts: 'hooks.example.com, *.example.org,127.0.0.1,[::1]', retryBaseMs: 250, maxAttempts: 3, production: true });
  });

  it.each([
    [{ WEBHOOK_ALLOWED_HOSTS: 'https://hooks.example.com/' }, 'WEBHOOK_ALLOWED_HOSTS'],
    [{ WEBHOOK_ALLOWED_HOSTS: 'user@hooks.example.com' }, 'WEBHOOK_ALLOWED_HOSTS'],
    [{ WEBHOOK_RETRY_BASE_MS: '0' }, 'WEBHOOK_RETRY_BASE_MS'],
    [{ WEBHOOK_RETRY_BASE_MS: 'soon' }, 'WEBHOOK_RETRY_BASE_MS'],
    [{ WEBHOOK_MAX_ATTEMPTS: '0' }, 'WEBHOOK_MAX_ATTEMPTS'],
    [{ WEBHOOK_MAX_ATTEMPTS: '1000' }, 'WEBHOOK_MAX_ATTEMPTS'],
  ])('rejects %o with one line naming %s', (env, variable) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(variable);
  });
});
