import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, startHardened, type HardenedHarness } from './harness.js';

// docs/hardening.md "Production settings": what NODE_ENV=production changes for clients.
const INTROSPECTION = `{ __schema { queryType { name } } }`;
const TYPE_INTROSPECTION = `{ __type(name: "FreshchatQuery") { fields { name } } }`;

describe('with NODE_ENV=production', () => {
  let h: HardenedHarness;
  beforeAll(async () => {
    h = await startHardened({ env: { NODE_ENV: 'production' }, logLevel: 'silent' });
  });
  afterAll(() => h.close());

  it.each([INTROSPECTION, TYPE_INTROSPECTION])('refuses introspection %s with GRAPHQL_VALIDATION_FAILED', async (query) => {
    const res = await h.query(query);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(codesOf(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(res.errors![0]!.message).toMatch(/introspection is not allowed/);
    expect(res.errors![0]!.message).toMatch(/set GRAPHQL_INTROSPECTION=true/);
    expect(res.errors![0]!.message).not.toMatch(/ApolloServer/);
  });

  it('still serves _service { sdl }, which the router composes from', async () => {
    const res = await h.query<{ _service: { sdl: string } }>(`{ _service { sdl } }`);
    expect(res.data!._service.sdl).toContain('type FreshchatTicketingUser implements Node & HelpdeskTicketingUser');
  });

  it('hides field suggestions in validation errors', async () => {
    const res = await h.query(`{ freshchat { acountId } }`);
    expect(res.errors).toEqual([
      { message: 'Cannot query field "acountId" on type "FreshchatQuery".', locations: [{ line: 1, column: 15 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
  });

  it('hides enum suggestions in variable coercion errors', async () => {
    const res = await h.query(`query($a: HelpdeskAvailability) { freshchat { ticketingUsers(filter: { availability: $a }) { totalCount } } }`, { a: 'AVAILABL' });
    expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).not.toMatch(/Did you mean|AVAILABLE/);
  });

  it('sends no stack trace, in validation, resolver or limit errors', async () => {
    const results = await Promise.all([
      h.query(`{ freshchat { nope } }`),
      h.query(`{ freshchat(accountId: "nope") { accountId } }`),
      h.query(`{ freshchat { groups(first: 101) { totalCount } } }`),
    ]);
    expect(results.flatMap(codesOf)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'ACCOUNT_NOT_FOUND', 'BAD_USER_INPUT']);
    for (const res of results) expect(JSON.stringify(res)).not.toMatch(/stacktrace|\bat .*\.[jt]s:\d+/);
  });

  it('keeps CSRF prevention: a simple text/plain POST is refused', async () => {
    const res = await h.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(res.status).toBe(400);
    expect((JSON.parse(res.text) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/Cross-Site Request Forgery/);
  });

  it('keeps CSRF prevention: a GET needs a preflight header', async () => {
    const path = `/graphql?query=${encodeURIComponent('{ __typename }')}`;
    expect((await h.fetch(path)).status).toBe(400);
    expect((await h.fetch(path, { headers: { 'apollo-require-preflight': 'true' } })).status).toBe(200);
  });

  it('refuses batched requests', async () => {
    const body = JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    const res = await h.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
  });
});

describe('introspection settings', () => {
  it('serves introspection in production when GRAPHQL_INTROSPECTION=true, with suggestions then shown', async () => {
    const h = await startHardened({ env: { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }, logLevel: 'silent' });
    try {
      expect((await h.query(INTROSPECTION)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
      expect((await h.query(`{ freshchat { acountId } }`)).errors![0]!.message).toMatch(/Did you mean "accountId"\?/);
    } finally {
      await h.close();
    }
  });

  it('turns introspection off outside production when GRAPHQL_INTROSPECTION=false', async () => {
    const h = await startHardened({ env: { GRAPHQL_INTROSPECTION: 'false' }, logLevel: 'silent' });
    try {
      expect(codesOf(await h.query(INTROSPECTION))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect((await h.query(`{ freshchat { acountId } }`)).errors![0]!.message).not.toMatch(/Did you mean/);
    } finally {
      await h.close();
    }
  });
});
