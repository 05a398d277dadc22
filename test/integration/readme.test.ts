import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryDataDir } from '../support/data-dir.js';
import { startHarness, type Harness } from '../support/harness.js';

// "Every example query in the README works as printed": run each ```graphql block of its
// "Example queries" section, and the curl example, against the sandbox as `npm start` serves it.
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Example queries'), readme.indexOf('## Upstream call budget'));
const examples = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
const curlQuery = JSON.parse(/-d '(\{"query".*?\})'/.exec(readme)![1]!) as { query: string };

describe('README examples', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ accountId: 'sandbox', env: { DATA_DIR: await registryDataDir() } });
  });
  afterAll(() => h.close());

  it('has example queries to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((query, i) => [i + 1, query]))('example %i runs without errors and finds data', async (_i, query) => {
    const res = await h.query(query);
    expect(res.errors).toBeUndefined();
    expect(JSON.stringify(res.data)).not.toMatch(/"(node|role|ticketingUser)":null/);
    expect(JSON.stringify(res.data)).not.toContain('"totalCount":0');
    // A mutation example must succeed, not just answer: its userErrors are empty.
    expect(JSON.stringify(res.data)).not.toMatch(/"userErrors":\[\{/);
  });

  it('runs the curl example of the startup log', async () => {
    const res = await h.query(curlQuery.query);
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ freshchat: { ticketingUsers: { totalCount: 150 } } });
  });
});
