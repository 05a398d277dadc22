import { describe, expect, it } from 'vitest';
import { NO_LINKED, withHarness } from './support/harness.js';

describe.concurrent('/ready with resilience wired', () => {
  it('answers 200 {"status":"ready"} with no redis field when REDIS_URL is not set', () =>
    withHarness({}, async (h) => {
      expect(await h.ready()).toEqual({ status: 200, body: { status: 'ready', linkedAccounts: NO_LINKED } });
    }));

  it('probes through the accounts circuit: once open, 503 saying nothing was sent', () =>
    withHarness({ env: { FRESHCHAT_BREAKER_FAILURES: '2' } }, async (h) => {
      h.sandbox.inject({ fault: { kind: 'status', status: 500 }, match: '/v2/accounts' });
      for (let i = 0; i < 2; i++) expect((await h.ready()).status).toBe(503);
      expect(h.calls('/v2/accounts')).toHaveLength(2);
      expect(await h.ready()).toEqual({
        status: 503,
        body: {
          status: 'unavailable',
          reason: 'Freshchat account acme: refused locally, nothing sent: Freshchat /accounts calls are paused after repeated failures (circuit open)',
          linkedAccounts: NO_LINKED,
        },
      });
      expect(h.calls('/v2/accounts')).toHaveLength(2);
    }));
});
