import { describe, expect, it } from 'vitest';
import { configuredAccount, createStaticAccountSource, type Account, type AccountSource } from '../../src/account.js';
import { createRequestAccounts as create, type AccountRequest } from '../../src/accounts/per-request.js';
import { Secret } from '../../src/secret.js';

const account = (id: string, tenant: string | null = null): Account =>
  configuredAccount({ id, baseUrl: `https://${id}.freshchat.com/v2`, token: new Secret(`token-${id}`), tenant });

/** The accounts themselves, opened as they are (GraphQL opens each into the request's loaders). */
const createRequestAccounts = (from: AccountSource, request: AccountRequest) => create(from, request, (found: Account) => found);

const source = createStaticAccountSource([account('default'), account('acme', 't1'), account('globex', 't2')], 'default');

/** A source that counts its lookups, to show a request looks an account up once. */
function counting(inner: AccountSource): AccountSource & { finds: string[] } {
  const finds: string[] = [];
  return { defaultId: inner.defaultId, finds, find: (id) => (finds.push(id), inner.find(id)) };
}

describe('choosing the account of a request', () => {
  it('takes the accountId argument first', async () => {
    const accounts = createRequestAccounts(source, { header: 'globex' });
    expect((await accounts.choose('acme'))?.id).toBe('acme');
  });

  it('takes the x-freshchat-account-id header when no argument is given', async () => {
    expect((await createRequestAccounts(source, { header: 'globex' }).choose(null))?.id).toBe('globex');
  });

  it('falls back to the default account when neither names one', async () => {
    expect((await createRequestAccounts(source, { header: '  ' }).choose(undefined))?.id).toBe('default');
  });

  it('answers null when nothing names an account and there is no default', async () => {
    const linkedOnly = createStaticAccountSource([account('acme')], null);
    expect(await createRequestAccounts(linkedOnly, {}).choose(null)).toBeNull();
  });

  it('answers null for an unknown account', async () => {
    expect(await createRequestAccounts(source, {}).choose('nope')).toBeNull();
  });

  it('looks each account up once per request, however often it is asked for', async () => {
    const counted = counting(source);
    const accounts = createRequestAccounts(counted, {});
    await Promise.all([accounts.choose('acme'), accounts.byId('acme'), accounts.choose('acme')]);
    expect(counted.finds).toEqual(['acme']);
  });

  it('opens each account once per request, and answers what it opened', async () => {
    const opened: string[] = [];
    const accounts = create(source, {}, (found) => (opened.push(found.id), { loadersOf: found.id }));
    const [first, again] = await Promise.all([accounts.choose('acme'), accounts.byId('acme')]);
    expect(first).toEqual({ loadersOf: 'acme' });
    expect(again).toBe(first);
    expect(accounts.opened('acme')).toBe(first);
    expect(opened).toEqual(['acme']);
  });

  it('remembers the accounts it resolved, and only those', async () => {
    const accounts = createRequestAccounts(source, {});
    await accounts.choose('acme');
    expect(accounts.opened('acme')?.id).toBe('acme');
    expect(accounts.opened('globex')).toBeUndefined();
  });
});

describe('tenants', () => {
  it('lets an authenticated caller use its own tenant’s account', async () => {
    expect((await createRequestAccounts(source, { caller: { tenant: 't1' } }).choose('acme'))?.id).toBe('acme');
  });

  it('answers another tenant’s account exactly like an unknown one', async () => {
    const accounts = createRequestAccounts(source, { caller: { tenant: 't1' } });
    expect(await accounts.choose('globex')).toBeNull();
    expect(await accounts.byId('globex')).toBeNull();
    expect(accounts.opened('globex')).toBeUndefined();
  });

  it('keeps an account without a tenant from authenticated callers', async () => {
    expect(await createRequestAccounts(source, { caller: { tenant: 't1' } }).choose('default')).toBeNull();
  });

  it('keeps every account from a caller whose token names no tenant', async () => {
    expect(await createRequestAccounts(source, { caller: { tenant: null } }).choose('acme')).toBeNull();
  });
});
