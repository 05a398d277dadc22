import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubgraph, type Running } from './server.js';

describe('operations the schema cannot run', () => {
  let s: Running;
  beforeAll(async () => void (s = await startSubgraph()));
  afterAll(() => s.close());

  it.each([['mutation { anything }'], ['subscription { anything }'], ['mutation Named { x }']])('%s is a 400 validation error, logged below error level', async (query) => {
    const before = s.lines.length;
    const res = await s.post({ query });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    expect(s.lines.slice(before).filter((l) => (l.level as number) >= 50)).toEqual([]);
  });
});

describe('GET /graphql from a browser', () => {
  const browse = (s: Running) => fetch(`${s.base}/graphql`, { headers: { accept: 'text/html' } });

  it('shows a self-contained page in development: nothing loaded from anywhere else', async () => {
    const s = await startSubgraph();
    try {
      const res = await browse(s);
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain('Freshchat helpdesk subgraph');
      expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
      expect(html).not.toMatch(/apollographql|cdn\./);
    } finally {
      await s.close();
    }
  });

  it('shows nothing in production', async () => {
    const s = await startSubgraph({ NODE_ENV: 'production', FRESHCHAT_SANDBOX: 'true' });
    try {
      const res = await browse(s);
      expect(res.status).toBe(400);
      expect(await res.text()).not.toContain('<html');
    } finally {
      await s.close();
    }
  });
});
