import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultHeaders, loadIde } from '../../src/observability/graphql-ide.js';
import { startSubgraph } from './server.js';

describe('the GraphQL IDE page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ide-'));
  writeFileSync(join(dir, 'index.html'), '<html><head><!--ide-settings--></head><body></body></html>');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const settingsOf = (html: string) => JSON.parse(/<script id="ide-settings" type="application\/json">(.*)<\/script>/.exec(html)![1]!) as { endpoint: string; defaultHeaders: string };

  it('starts the headers editor with the default account in the account header', () => {
    const ide = loadIde({ defaultAccountId: 'sandbox', authRequired: false }, dir)!;
    expect(JSON.parse(settingsOf(ide.html).defaultHeaders)).toEqual({ 'x-freshchat-account-id': 'sandbox' });
    expect(settingsOf(ide.html).endpoint).toBe('/graphql');
  });

  it('adds an Authorization header to complete when the server checks caller JWTs', () => {
    expect(defaultHeaders({ defaultAccountId: null, authRequired: true })).toEqual({
      authorization: expect.stringMatching(/^Bearer </),
      'x-freshchat-account-id': expect.stringMatching(/^</),
    });
  });

  it('cannot be broken out of by a value: `<` is escaped inside the settings element', () => {
    const ide = loadIde({ defaultAccountId: '</script><script>alert(1)</script>', authRequired: false }, dir)!;
    expect(ide.html.match(/<\/script>/g)).toHaveLength(1);
  });

  it('is absent until dist/ide/ is built', () => {
    expect(loadIde({ defaultAccountId: 'sandbox', authRequired: false }, join(dir, 'nowhere'))).toBeUndefined();
  });
});

describe('the IDE assets in production', () => {
  it('are not served', async () => {
    const s = await startSubgraph({ NODE_ENV: 'production', FRESHCHAT_SANDBOX: 'true' });
    try {
      expect((await fetch(`${s.base}/graphql-ide/index.html`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});
