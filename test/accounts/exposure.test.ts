import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountLabels } from '../../src/observability/account-labels.js';
import { sample, startSubgraph, type Running } from '../observability/server.js';
import { ADMIN_TOKEN } from './app.js';
import { createPglite, newKey, type TestDatabase } from './databases.js';

/**
 * /ready and /metrics are often reachable without credentials (a load balancer, a scraper): they do
 * not name customers' accounts unless EXPOSE_ACCOUNT_IDS=true, or (on /ready) the admin token is
 * presented. A linked account's breaker series stay one per account, under a keyed pseudonym.
 */
describe('metric labels of accounts', () => {
  const key = newKey().reveal();

  it('keep the operator’s accounts by id and give linked ones a stable keyed pseudonym', () => {
    const labels = createAccountLabels({ expose: false, operatorIds: ['default'], key });
    expect(labels('default')).toBe('default');
    expect(labels('acme')).toMatch(/^linked-[0-9a-f]{12}$/);
    expect(labels('acme')).not.toBe(labels('globex'));
    // Every replica (same CREDENTIALS_KEY) and every restart labels an account alike; another key does not.
    expect(createAccountLabels({ expose: false, operatorIds: [], key })('acme')).toBe(labels('acme'));
    expect(createAccountLabels({ expose: false, operatorIds: [], key: newKey().reveal() })('acme')).not.toBe(labels('acme'));
  });

  it('are the ids themselves with EXPOSE_ACCOUNT_IDS=true', () => {
    expect(createAccountLabels({ expose: true, operatorIds: [], key })('acme')).toBe('acme');
  });
});

describe.each([
  ['by default', 'false'],
  ['with EXPOSE_ACCOUNT_IDS=true', 'true'],
])('/ready and /metrics %s', (_case, expose) => {
  let database: TestDatabase;
  let running: Running;
  let metrics: string;

  beforeAll(async () => {
    database = await createPglite();
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const sandboxPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    running = await startSubgraph({
      DATA_DIR: database.dataDir,
      CREDENTIALS_KEY: newKey().reveal(),
      ADMIN_TOKEN,
      SANDBOX_PORT: String(sandboxPort),
      FRESHCHAT_ALLOWED_HOSTS: `127.0.0.1:${sandboxPort}`,
      FRESHCHAT_BREAKER_FAILURES: '1',
      UPSTREAM_MAX_ATTEMPTS: '1',
      EXPOSE_ACCOUNT_IDS: expose,
    });
    const sandbox = running.subgraph.sandbox!;
    const linked = await fetch(`${running.base}/admin/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'acme-corp', name: 'Acme', apiUrl: sandbox.baseUrl, apiToken: sandbox.token }),
    });
    expect(linked.status).toBe(201);
    // A 401 marks the account invalid_credentials; a 503 opens its groups circuit.
    sandbox.inject({ fault: { kind: 'status', status: 401 }, match: '/v2/agents', times: 1 });
    await running.post({ query: '{ freshchat(accountId: "acme-corp") { ticketingUsers(first: 1) { totalCount } } }' });
    sandbox.inject({ fault: { kind: 'status', status: 503 }, match: '/v2/groups', times: 1 });
    await running.post({ query: '{ freshchat(accountId: "acme-corp") { groups(first: 1) { totalCount } } }' });
    metrics = await (await fetch(`${running.base}/metrics`)).text();
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    await database?.drop();
  });

  const ready = async (headers: Record<string, string> = {}) => (await (await fetch(`${running.base}/ready`, { headers })).json()) as { linkedAccounts: unknown };

  if (expose === 'false') {
    it('counts linked accounts on /ready without naming them', async () => {
      expect((await ready()).linkedAccounts).toEqual({ linked: 1, invalidCredentials: 1 });
    });

    it('names them on /ready to the admin token', async () => {
      expect((await ready({ authorization: `Bearer ${ADMIN_TOKEN}` })).linkedAccounts).toEqual({ linked: 1, invalidCredentials: 1, invalidCredentialsIds: ['acme-corp'] });
    });

    it('keeps a breaker series per linked account under a pseudonym that the operator’s log ties to the id', () => {
      expect(metrics).not.toContain('acme-corp');
      const label = /freshchat_circuit_breaker_state\{account="(linked-[0-9a-f]{12})",family="groups"\} 2/.exec(metrics)?.[1];
      expect(label).toBeDefined();
      expect(running.lines).toContainEqual(expect.objectContaining({ account: 'acme-corp', accountLabel: label, circuit: 'open' }));
    });
  } else {
    it('names linked accounts on /ready to anyone', async () => {
      expect((await ready()).linkedAccounts).toEqual({ linked: 1, invalidCredentials: 1, invalidCredentialsIds: ['acme-corp'] });
    });

    it('labels breaker series with account ids', () => {
      expect(sample(metrics, 'freshchat_circuit_breaker_state{account="acme-corp",family="groups"}')).toBe(2);
    });
  }
});
