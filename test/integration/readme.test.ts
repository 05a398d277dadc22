import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeExamples } from '../../ide/readme-examples.js';
import { loadConfig } from '../../src/config.js';
import { registryDataDir } from '../support/data-dir.js';
import { startHarness, type Harness } from '../support/harness.js';
import { withoutStacktraces } from '../support/responses.js';

// "Every example in the README works as printed": each GraphQL operation (outside "In a supergraph",
// which runs against the gateway: test/supergraph/docs.test.ts) with its printed variables, against
// the sandbox as `npm start` serves it, and each `curl` to /graphql. The same list is the IDE's picker.
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const examples = readmeExamples(readme);
const curlBodies = [...readme.matchAll(/curl -s http:\/\/localhost:4001\/graphql[^\n]*(?:\\\n[^\n]*)*?-d '(\{"query".*?\})'/g)].map(
  (m) => JSON.parse(m[1]!) as { query: string; variables?: Record<string, unknown> },
);

describe('README examples', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ accountId: 'sandbox', env: { DATA_DIR: await registryDataDir() } });
  });
  afterAll(() => h.close());

  it('has examples to check in every section that shows one', () => {
    expect(examples.length).toBeGreaterThanOrEqual(14);
    expect(new Set(examples.map((e) => e.section))).toEqual(new Set(['First steps', 'Schema', 'Example queries', 'Writes', 'Sync: what changed']));
    expect(examples.some((e) => e.variables !== undefined)).toBe(true);
  });

  it.each(examples.filter((e) => e.response === undefined).map((e) => [e.title, e] as const))('%s: runs as printed and finds data', async (_title, example) => {
    const res = await h.query(example.query, example.variables === undefined ? undefined : (JSON.parse(example.variables) as Record<string, unknown>));
    expect(res.errors).toBeUndefined();
    expect(JSON.stringify(res.data)).not.toMatch(/"(node|role|ticketingUser|ticket|channel)":null/);
    expect(JSON.stringify(res.data)).not.toContain('"totalCount":0');
    // A mutation example must succeed, not just answer: its userErrors are empty.
    expect(JSON.stringify(res.data)).not.toMatch(/"userErrors":\[\{/);
  });

  it.each(examples.filter((e) => e.response !== undefined).map((e) => [e.title, e] as const))('%s: answers exactly what is printed', async (_title, example) => {
    const { status: _status, ...res } = await h.query(example.query);
    expect(withoutStacktraces(res)).toEqual(JSON.parse(example.response!));
  });

  it.each(curlBodies.map((body) => [body.query, body] as const))('curl %s runs as printed', async (_query, body) => {
    const res = await h.query(body.query, body.variables);
    expect(res.errors).toBeUndefined();
    expect(JSON.stringify(res.data)).not.toContain('"totalCount":0');
  });

  it('prints the keys of "First steps" in a form the subgraph accepts', async () => {
    const { execFileSync } = await import('node:child_process');
    const lines = execFileSync(process.execPath, ['scripts/new-keys.mjs'], { encoding: 'utf8' }).trim().split('\n');
    const settings = Object.fromEntries(lines.map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
    expect(Object.keys(settings)).toEqual(['CREDENTIALS_KEY', 'ADMIN_TOKEN']);
    const config = loadConfig(settings);
    expect(config.accounts.credentialsKey).toBeDefined();
    expect(config.accounts.adminToken).toBeDefined();
  });
});
