import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { startSubgraph, type Running } from '../observability/server.js';

/**
 * The environment account (FRESHCHAT_API_URL/TOKEN, here the embedded sandbox) once caller JWTs are
 * on: FRESHCHAT_ACCOUNT_TENANT gives it to one tenant; without it no caller may use it, and the log
 * says so at start. When a request names no account, the answer says the default account is not the
 * caller's, which is true, instead of that there is none.
 */
const SECRET = 'environment-account-hs256-secret-0123456789';
const jwt = (tenant: string) =>
  new SignJWT({ tenant }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const ACCOUNT = '{ freshchat { accountId } }';
const asTenant = async (tenant: string, headers: Record<string, string> = {}) =>
  running!.post({ query: ACCOUNT }, { authorization: `Bearer ${await jwt(tenant)}`, ...headers });
const firstError = (body: Record<string, unknown>) => (body.errors as { message: string; extensions: { code: string } }[] | undefined)?.[0];

describe('FRESHCHAT_ACCOUNT_TENANT', () => {
  it('gives the environment account to the tenant it names, over GraphQL and the passthrough', async () => {
    running = await startSubgraph({ AUTH_JWT_SECRET: SECRET, FRESHCHAT_ACCOUNT_TENANT: 'ops' });
    expect((await asTenant('ops')).body).toEqual({ data: { freshchat: { accountId: 'sandbox' } } });
    const proxied = await fetch(`${running.base}/proxy/freshchat/v2/agents?items_per_page=1`, { headers: { authorization: `Bearer ${await jwt('ops')}` } });
    expect(proxied.status).toBe(200);
  });

  it('tells another tenant that names no account that the default one is not theirs', async () => {
    running = await startSubgraph({ AUTH_JWT_SECRET: SECRET, FRESHCHAT_ACCOUNT_TENANT: 'ops' });
    expect(firstError((await asTenant('customer')).body)).toEqual({
      message: "No Freshchat account was named (the `accountId` argument or the x-freshchat-account-id header), and the default account is not available to this caller's tenant.",
      path: ['freshchat'],
      locations: expect.any(Array),
      extensions: { code: 'ACCOUNT_NOT_FOUND' },
    });
    const proxied = await fetch(`${running.base}/proxy/freshchat/v2/agents`, { headers: { authorization: `Bearer ${await jwt('customer')}` } });
    expect(proxied.status).toBe(404);
    expect(await proxied.json()).toEqual({ error: { code: 'ACCOUNT_NOT_FOUND', message: expect.stringMatching(/the default account is not available to this caller's tenant/) } });
  });

  it('answers a named account that is not the caller’s like any unknown one', async () => {
    running = await startSubgraph({ AUTH_JWT_SECRET: SECRET, FRESHCHAT_ACCOUNT_TENANT: 'ops' });
    const named = firstError((await asTenant('customer', { 'x-freshchat-account-id': 'sandbox' })).body);
    const unknown = firstError((await asTenant('customer', { 'x-freshchat-account-id': 'nothing' })).body);
    expect(named?.message).toBe('No Freshchat account "sandbox" is available to this caller.');
    expect(unknown?.message).toBe('No Freshchat account "nothing" is available to this caller.');
  });

  it('is needed for anyone to use the environment account once caller JWTs are on, and the start says so', async () => {
    running = await startSubgraph({ AUTH_JWT_SECRET: SECRET });
    expect(firstError((await asTenant('ops')).body)?.extensions.code).toBe('ACCOUNT_NOT_FOUND');
    expect(running.lines).toContainEqual(
      expect.objectContaining({ level: 40, accountId: 'sandbox', msg: expect.stringMatching(/FRESHCHAT_ACCOUNT_TENANT is not set: no caller may use the environment account/) }),
    );
  });
});
