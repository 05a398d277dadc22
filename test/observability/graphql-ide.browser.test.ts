import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../support/chromium.js';
import { startSubgraph, type Running } from './server.js';

const ARTEFACTS = new URL('../../artifacts/graphql-ide/', import.meta.url);

interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
}

/** The text a Monaco editor shows (it renders spaces as no-break spaces). */
const shown = async (page: Page, selector: string): Promise<string> => (await page.locator(selector).innerText()).replace(/\u00a0/g, ' ');

/** Clears a Monaco editor of the IDE and inserts `text` as one edit (typing would auto-close brackets). */
async function replaceEditorText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(`${selector} .monaco-editor:visible`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

describe.skipIf(!chromiumAvailable)('the GraphQL IDE at GET /graphql, in a real browser', () => {
  let s: Running;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let browser: BrowserContext;
  let page: Page;
  /** Every request the page made to anywhere but this server. */
  const elsewhere: string[] = [];

  beforeAll(async () => {
    // `npm start` builds the IDE; a test run builds it when a source is newer than dist/ide/ (not
    // spawnSync: the worker must keep answering vitest while vite works).
    const build = spawn(process.execPath, ['scripts/build-if-needed.mjs', '--only=ide'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    build.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => build.on('close', resolve));
    expect(code, stderr).toBe(0);
    expect(existsSync(new URL('../../dist/ide/index.html', import.meta.url)), stderr).toBe(true);
    s = await startSubgraph();
    chromium = await launchChromium({ width: 1400, height: 900 });
    browser = chromium.browser;
    // Offline: nothing but this server answers, and anything else is recorded.
    await browser.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === s.base) return route.continue();
      elsewhere.push(url.href);
      return route.abort();
    });
    await mkdir(ARTEFACTS, { recursive: true });
    page = await browser.newPage();
    await page.goto(`${s.base}/graphql`);
    await page.locator('.graphiql-container').waitFor({ timeout: 60_000 });
  }, 660_000);
  afterAll(async () => {
    await chromium?.close();
    await s?.close();
  });

  it('serves GraphiQL from this server alone: nothing is fetched from anywhere else', async () => {
    expect(await page.title()).toBe('Freshchat helpdesk subgraph: GraphiQL');
    expect(elsewhere).toEqual([]);
  });

  it('runs a README example with its variables and the account header from the headers editor', async () => {
    await page.getByRole('button', { name: 'Show README examples' }).click();
    await page.getByRole('button', { name: /^A page of agents with variables/ }).click();
    await expect.poll(() => shown(page, '.graphiql-query-editor'), { timeout: 15_000 }).toContain('query AgentsPage');

    // The headers editor starts with the account header; an unknown account proves it is sent.
    await page.getByRole('button', { name: 'Headers' }).click();
    await replaceEditorText(page, '.graphiql-editor-tool', '{ "x-freshchat-account-id": "no-such-account" }');
    const refused = page.waitForResponse((res) => res.url() === `${s.base}/graphql` && res.request().method() === 'POST');
    await page.getByRole('button', { name: /Execute query/ }).click();
    expect(await (await refused).json()).toMatchObject({ data: { freshchat: null }, errors: [{ extensions: { code: 'ACCOUNT_NOT_FOUND' } }] });

    await replaceEditorText(page, '.graphiql-editor-tool', '{ "x-freshchat-account-id": "sandbox" }');
    const answered = page.waitForResponse((res) => res.url() === `${s.base}/graphql` && res.request().method() === 'POST');
    await page.getByRole('button', { name: /Execute query/ }).click();
    const response = await answered;
    const sent = response.request();
    expect(sent.headers()['x-freshchat-account-id']).toBe('sandbox');
    expect((sent.postDataJSON() as GraphQLBody).variables).toEqual({ first: 2 });
    const body = (await response.json()) as { data: { freshchat: { accountId: string; ticketingUsers: { totalCount: number; nodes: unknown[] } } } };
    expect(body.data.freshchat).toMatchObject({ accountId: 'sandbox', ticketingUsers: { totalCount: 150 } });
    expect(body.data.freshchat.ticketingUsers.nodes).toHaveLength(2);
    await expect.poll(() => shown(page, '.graphiql-response'), { timeout: 15_000 }).toContain('"totalCount": 150');
    await page.screenshot({ path: new URL('readme-example-with-variables.png', ARTEFACTS).pathname });
  }, 60_000);

  it('explores the schema: the documentation explorer describes FreshchatQuery', async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.getByRole('link', { name: 'Query' }).first().click();
    await page.getByRole('link', { name: 'FreshchatQuery' }).first().click();
    await expect.poll(() => page.locator('.graphiql-doc-explorer').innerText(), { timeout: 15_000 }).toContain('Everything this subgraph reads from one Freshchat account');
    await page.screenshot({ path: new URL('schema-explorer.png', ARTEFACTS).pathname });
    expect(elsewhere).toEqual([]);
  }, 60_000);
});
