import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { chromiumAvailable, launchChromium } from '../support/chromium.js';
import { allowing, startAccountsApp, type AccountsApp } from './app.js';

const ARTEFACTS = new URL('../../artifacts/link-page', import.meta.url);

describe.skipIf(!chromiumAvailable)('the link page in a real browser', () => {
  let sandbox: Sandbox;
  let app: AccountsApp;
  let product: Server;
  let productUrl: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let browser: BrowserContext;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: 'browser-sandbox-token-0123456789' });
    app = await startAccountsApp({ FRESHCHAT_ALLOWED_HOSTS: allowing(sandbox.baseUrl) });
    // The product's page the customer returns to.
    product = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Back in the product</title><h1>Connected</h1>'));
    await new Promise<void>((resolve) => product.listen(0, '127.0.0.1', resolve));
    productUrl = `http://127.0.0.1:${(product.address() as AddressInfo).port}/integrations/freshchat`;
    chromium = await launchChromium();
    browser = chromium.browser;
    await mkdir(ARTEFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    product?.close();
    await app?.close();
    await sandbox?.close();
  });

  it('links an account: a wrong key is shown at its field, the right one returns to the product with accountId', async () => {
    const { body } = await app.admin('POST', '/admin/link-sessions', { tenant: 'tenant-browser', redirectUrl: productUrl });
    const page = await browser.newPage();
    await page.goto(body!.url!);
    expect(await page.title()).toBe('Connect your Freshchat account');

    await page.getByLabel('Your chat URL').fill(sandbox.baseUrl);
    await page.getByLabel('API key').fill('not-the-key');
    await page.getByRole('button', { name: 'Connect Freshchat' }).click();
    await page.waitForLoadState();
    expect(await page.title()).toBe('Error: Connect your Freshchat account');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Freshchat rejected the API key/);
    expect(await page.getByLabel('API key').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Your chat URL').inputValue()).toBe(sandbox.baseUrl);
    await page.screenshot({ path: new URL('rejected-key.png', ARTEFACTS).pathname, fullPage: true });

    await page.getByLabel('API key').fill(sandbox.token);
    await page.getByRole('button', { name: 'Connect Freshchat' }).click();
    await page.waitForURL((url) => url.href.startsWith(productUrl));
    await page.screenshot({ path: new URL('back-in-product.png', ARTEFACTS).pathname, fullPage: true });

    const accountId = new URL(page.url()).searchParams.get('accountId');
    expect(accountId).toMatch(/^acc_[a-z2-7]{16}$/);
    expect(await app.accounts.registry.store.get(accountId!)).toMatchObject({ tenant: 'tenant-browser', status: 'active' });
    expect(await page.title()).toBe('Back in the product');
  }, 60_000);
});
