import { describe, expect, it } from 'vitest';
import { configuredAccount, createStaticAccountSource, type Account, type AccountSource, type LookupOptions } from '../../src/account.js';
import { createRequestAccounts as create, type AccountRequest } from '../../src/accounts/per-request.js';
import { AccountUnusableError } from '../../src/errors.js';
import { Secret } from '../../src/secret.js';

const account = (id: string, tenant: string | null = null): Account =>
  configuredAccount({ id, baseUrl: `https://${id}.freshchat.com/v2`, token: new Secret(`token-${id}`), tenant });

/** The accounts themselves, opened as they are (GraphQL opens each into the request's loaders). */
const createRequestAccounts = (from: AccountSource, request: AccountRequest) => create(from, request, (found: Account) => found);

const source = createStaticAccountSource([account('default'), account('acme', 't1'), account('globex', 't2')], 'default');

/** A source that counts its lookups, to show a request looks an account up once (or not at all). */
function counting(inner: AccountSource): AccountSource & { finds: string[]; options: (LookupOptions | undefined)[] } {
  const finds: string[] = [];
  const options: (LookupOptions | undefined)[] = [];
  return { defaultId: inner.defaultId, finds, options, find: (id, given) => (finds.push(id), options.push(given), inner.find(id)) };
}

const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as { code: string; message: string; status: number });

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

  it('refuses with ACCOUNT_NOT_FOUND when nothing names an account and there is no default', async () => {
    const linkedOnly = createStaticAccountSource([account('acme')], null);
    expect(await refusal(createRequestAccounts(linkedOnly, {}).choose(null))).toMatchObject({
      code: 'ACCOUNT_NOT_FOUND',
      message: expect.stringContaining('none is configured by default'),
    });
  });

  it('refuses an unknown account with ACCOUNT_NOT_FOUND, naming it', async () => {
    expect(await refusal(createRequestAccounts(source, {}).choose('nope'))).toMatchObject({ code: 'ACCOUNT_NOT_FOUND', message: 'No Freshchat account "nope" is available to this caller.' });
  });

  it('gives the lookup the request deadline', async () => {
    const counted = counting(source);
    await createRequestAccounts(counted, { deadline: 1_234 }).choose('acme');
    expect(counted.options).toEqual([{ deadline: 1_234 }]);
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
    const theirs = await refusal(accounts.choose('globex'));
    const unknown = await refusal(accounts.choose('globez'));
    expect({ ...theirs, message: theirs?.message.replace('globex', 'X') }).toEqual({ ...unknown, message: unknown?.message.replace('globez', 'X') });
    expect(await accounts.byId('globex')).toBeNull();
    expect(accounts.opened('globex')).toBeUndefined();
  });

  it('keeps an account without a tenant from authenticated callers', async () => {
    expect(await refusal(createRequestAccounts(source, { caller: { tenant: 't1' } }).choose('default'))).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });

  it('keeps every account from a caller whose token names no tenant', async () => {
    expect(await refusal(createRequestAccounts(source, { caller: { tenant: null } }).choose('acme'))).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });

  it('says the default account is not the caller’s when the request named none, rather than that there is none', async () => {
    const error = await refusal(createRequestAccounts(source, { caller: { tenant: 't1' } }).choose(undefined));
    expect(error?.message).toBe(
      "No Freshchat account was named (the `accountId` argument or the x-freshchat-account-id header), and the default account is not available to this caller's tenant.",
    );
  });

  it('gives the environment account to the tenant it names', async () => {
    const operator = createStaticAccountSource([account('default', 'ops')], 'default');
    expect((await createRequestAccounts(operator, { caller: { tenant: 'ops' } }).choose(undefined)).id).toBe('default');
  });

  it('tells an account is unusable only to a caller that may use it', async () => {
    const broken: AccountSource = { defaultId: null, find: (id) => Promise.reject(new AccountUnusableError(id, 't1')) };
    expect(await refusal(createRequestAccounts(broken, { caller: { tenant: 't1' } }).choose('acme'))).toMatchObject({ code: 'ACCOUNT_UNUSABLE' });
    expect(await refusal(createRequestAccounts(broken, { caller: { tenant: 't2' } }).choose('acme'))).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    expect(await createRequestAccounts(broken, { caller: { tenant: 't2' } }).byId('acme')).toBeNull();
  });
});

describe('malformed account ids', () => {
  const malformed = [
    ['.', '.'],
    ['..', '..'],
    ['a NUL byte', 'acme\u0000'],
    ['65 characters', 'a'.repeat(65)],
    ['1.9 MB', 'a'.repeat(1_900_000)],
    ['a slash', 'acme/../x'],
    ['a space', 'ac me'],
  ] as const;

  it.each(malformed)('refuses %s as the argument with BAD_USER_INPUT, without a lookup', async (_case, id) => {
    const counted = counting(source);
    const error = await refusal(createRequestAccounts(counted, {}).choose(id));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', status: 400, message: expect.stringMatching(/^`accountId` is not an account id/) });
    expect(error!.message.length).toBeLessThan(200);
    expect(counted.finds).toEqual([]);
  });

  it.each(malformed)('refuses %s in the x-freshchat-account-id header, without a lookup', async (_case, id) => {
    const counted = counting(source);
    const error = await refusal(createRequestAccounts(counted, { header: id }).choose(undefined));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/^The x-freshchat-account-id header is not an account id/) });
    expect(counted.finds).toEqual([]);
  });

  it.each(malformed)('resolves %s inside a global id to nothing, without a lookup', async (_case, id) => {
    const counted = counting(source);
    expect(await createRequestAccounts(counted, {}).byId(id)).toBeNull();
    expect(counted.finds).toEqual([]);
  });
});
