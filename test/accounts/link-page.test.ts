import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { allowing, startAccountsApp, type AccountsApp } from './app.js';

let sandbox: Sandbox;
let app: AccountsApp;
let clock = Date.now();

beforeAll(async () => {
  sandbox = await startSandbox({ token: 'page-sandbox-token-0123456789' });
  app = await startAccountsApp({ FRESHCHAT_ALLOWED_HOSTS: allowing(sandbox.baseUrl) }, { now: () => clock });
});
afterAll(async () => {
  await app.close();
  await sandbox.close();
});
beforeEach(() => {
  clock = Date.now();
  sandbox.resetCalls();
});

/** What a browser does: GET the page (keeping its cookie and CSRF field), then POST the form. */
async function openPage(options: { tenant?: string; redirectUrl?: string } = {}) {
  const { body } = await app.admin('POST', '/admin/link-sessions', options);
  const url = body!.url!;
  const page = await fetch(url);
  const html = await page.text();
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  /** `null` leaves a header out. */
  const submit = (fields: Record<string, string>, headers: Record<string, string | null> = {}) => {
    const all = { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: app.url, ...headers };
    const sent = Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== null));
    return fetch(url, { method: 'POST', redirect: 'manual', headers: sent, body: new URLSearchParams({ csrf, ...fields }).toString() });
  };
  return { url, page, html, cookie, csrf, submit };
}

describe('GET /link/<token>', () => {
  it('serves an accessible form with no script and no third-party asset', async () => {
    const { page, html } = await openPage();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    for (const id of ['apiUrl', 'region', 'apiKey']) {
      expect(html).toContain(`<label for="${id}">`);
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/Admin Settings &gt; APIs for chat/); // where to find the key
    expect(html).not.toMatch(/<script|<link |src="http|href="http/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/);
  });

  it('answers 404 to an unknown token', async () => {
    expect((await fetch(`${app.url}/link/${'A'.repeat(43)}`)).status).toBe(404);
  });

  it('answers 410 once the session has expired (30 minutes)', async () => {
    const { url } = await openPage();
    clock += 30 * 60 * 1000 + 1;
    const res = await fetch(url);
    expect(res.status).toBe(410);
    expect(await res.text()).toMatch(/expired/);
  });
});

describe('POST /link/<token>', () => {
  it('links the account for the session tenant and answers 303 to redirectUrl with accountId', async () => {
    const { submit } = await openPage({ tenant: 'tenant-x', redirectUrl: 'https://app.example.com/done?step=2' });
    const res = await submit({ apiUrl: sandbox.baseUrl, apiKey: sandbox.token });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://app.example.com/done');
    expect(location.searchParams.get('step')).toBe('2');
    const account = await app.accounts.registry.store.get(location.searchParams.get('accountId')!);
    expect(account).toMatchObject({ tenant: 'tenant-x', apiUrl: sandbox.baseUrl, status: 'active' });
  });

  it('shows a success page when there is no redirectUrl', async () => {
    const { submit } = await openPage();
    const res = await submit({ apiUrl: sandbox.baseUrl, apiKey: sandbox.token });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Freshchat connected/);
  });

  it('is one-time: the page and the form answer 410 after a success', async () => {
    const { url, submit } = await openPage();
    await submit({ apiUrl: sandbox.baseUrl, apiKey: sandbox.token });
    expect((await fetch(url)).status).toBe(410);
    expect((await submit({ apiUrl: sandbox.baseUrl, apiKey: sandbox.token })).status).toBe(410);
  });

  it('ties a rejected key to its field, and stays usable for another attempt', async () => {
    const { submit } = await openPage();
    const failed = await submit({ apiUrl: sandbox.baseUrl, apiKey: 'wrong-key' });
    expect(failed.status).toBe(422);
    const html = await failed.text();
    expect(html).toMatch(/role="alert"/);
    expect(html).toMatch(/<a href="#apiKey">Freshchat rejected the API key/);
    expect(html).toMatch(/id="apiKey"[^>]*aria-describedby="apiKey-hint apiKey-error" aria-invalid="true"/);
    expect(html).toContain(`value="${sandbox.baseUrl}"`); // what was typed is kept, the key is not
    expect(html).not.toContain('wrong-key');
    expect((await submit({ apiUrl: sandbox.baseUrl, apiKey: sandbox.token })).status).toBe(200);
  });

  it('refuses a host outside FRESHCHAT_ALLOWED_HOSTS at the URL field, without calling it', async () => {
    const { submit } = await openPage();
    const res = await submit({ apiUrl: 'http://169.254.169.254/latest', apiKey: 'k' });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/<a href="#apiUrl">The chat URL/);
    expect(sandbox.calls).toHaveLength(0);
  });

  it('asks for missing fields without calling Freshchat', async () => {
    const { submit } = await openPage();
    const res = await submit({ apiUrl: '', apiKey: '' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Enter your chat URL, or choose your region');
    expect(html).toContain('Enter your API key');
    expect(sandbox.calls).toHaveLength(0);
  });

  it('escapes what was typed', async () => {
    const { submit } = await openPage();
    const html = await (await submit({ apiUrl: '"><script>alert(1)</script>', apiKey: 'k' })).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('accepts a same-origin post without Origin (older browsers), the CSRF field still checked', async () => {
    const { submit } = await openPage();
    expect((await submit({ apiUrl: sandbox.baseUrl, apiKey: sandbox.token }, { origin: null, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it.each([
    ['a cross-site Origin', { headers: { origin: 'https://evil.example' } }],
    ['a cross-site fetch without Origin', { headers: { origin: null, 'sec-fetch-site': 'cross-site' } }],
    ['no CSRF cookie', { headers: { cookie: null } }],
    ['a CSRF field of another session', { csrf: 'x'.repeat(43) }],
  ])('refuses a post with %s (403), storing nothing', async (_case, change: { headers?: Record<string, string | null>; csrf?: string }) => {
    const { submit } = await openPage();
    const fields: Record<string, string> = { apiUrl: sandbox.baseUrl, apiKey: sandbox.token, ...(change.csrf ? { csrf: change.csrf } : {}) };
    const res = await submit(fields, change.headers);
    expect(res.status).toBe(403);
    expect(sandbox.calls).toHaveLength(0);
  });
});
