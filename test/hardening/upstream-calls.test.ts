import fc from 'fast-check';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { estimateUpstreamCalls } from '../../src/hardening/upstream-calls.js';
import { pagedCalls } from '../../src/hardening/upstream-rules.js';
import { toSlice } from '../../src/relay/connection.js';
import { connectionScope, encodeCursor } from '../../src/relay/cursor.js';
import { loadWindow, type PageFetcher } from '../../src/loaders/pages.js';
import { toGlobalId } from '../../src/relay/ids.js';
import { createSchema } from '../../src/schema.js';

const schema = createSchema();
const PAGE_SIZE = loadConfig({}).hardening.limits.upstreamPageSize;
const id = (typename: string, remoteId: string, accountId = 'acme') => toGlobalId({ provider: 'freshchat', typename, accountId, remoteId });
const ids = (typename: string, n: number) => Array.from({ length: n }, (_, i) => id(typename, `r${i}`));
const after = encodeCursor(connectionScope('acme', 'users'), 10);

function estimate(query: string, variables: Record<string, unknown> = {}, pageSize = PAGE_SIZE): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return estimateUpstreamCalls({ schema, operation, fragments, variables, pageSize });
}

describe('pagedCalls (page size 50)', () => {
  it.each([
    [{}, 1], // the default page of 20
    [{ first: 0 }, 1], // the total alone
    [{ first: 20 }, 1],
    [{ first: 50 }, 1],
    [{ first: 51 }, 2],
    [{ first: 100 }, 2],
    [{ first: 50, after }, 2], // a window starting mid-page spans one more
    [{ last: 50, before: after }, 2],
    [{ last: 20 }, 3], // page 1 for the total, then up to two pages at the end
    [{ last: 100 }, 4],
    [{ first: 100, last: 10 }, 4], // the last 10 of the first 100, planned again once the total is known
    [{ before: after }, 2], // the 20 before it
    [{ first: 20, after, before: after }, 2],
  ])('%j costs %i calls', (args, calls) => {
    expect(pagedCalls(args, 50)).toBe(calls);
  });
});

describe('pagedCalls against the page planner', () => {
  // A consistent list at least as long as the cursors, that honours the page size asked for: the
  // estimate then bounds what loadWindow really fetches. (A cursor past the end costs one call more
  // to learn the total; the runtime ceiling covers that.)
  it('is never below the pages loadWindow fetches for any arguments within the list', async () => {
    const scope = connectionScope('acme', 'users');
    const size = fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined });
    const arbitrary = fc.record(
      { total: fc.integer({ min: 1, max: 400 }), first: size, last: size, after: fc.nat(), before: fc.nat(), pageSize: fc.integer({ min: 1, max: 100 }) },
      { requiredKeys: ['total', 'pageSize'] },
    );
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ total, first, last, after: a, before: b, pageSize }) => {
        const args = {
          first,
          last,
          after: a === undefined ? undefined : encodeCursor(scope, a % total),
          before: b === undefined ? undefined : encodeCursor(scope, b % total),
        };
        let calls = 0;
        const fetchPage: PageFetcher<number> = async ({ page, perPage }) => {
          calls += 1;
          const start = (page - 1) * perPage;
          return { items: Array.from({ length: Math.max(0, Math.min(perPage, total - start)) }, (_, i) => start + i), total, perPage, page };
        };
        await loadWindow(toSlice(args, scope, total), fetchPage, pageSize);
        expect(calls).toBeLessThanOrEqual(pagedCalls(args, pageSize));
      }),
      { seed: 20_260_126, numRuns: 500 },
    );
  });
});

describe('estimateUpstreamCalls', () => {
  it.each([
    ['an agents page with role and groups: the page and two catalogs', `{ freshchat { ticketingUsers(first: 50) { nodes { role { name } groups { nodes { name } } } } } }`, 3],
    ['two pages of agents with role and groups', `{ freshchat { ticketingUsers(first: 100) { nodes { role { name } groups { nodes { name } } } } } }`, 4],
    ['members of 12 groups: the catalog and one page each', `{ freshchat { groups(first: 12) { nodes { members(first: 5) { totalCount } } } } }`, 13],
    ['members of 100 groups, 100 each', `{ freshchat { groups(first: 100) { nodes { members(first: 100) { totalCount } } } } }`, 201],
    ['members of every role: the roles catalog and one agent walk', `{ freshchat { roles { nodes { members(first: 100) { totalCount } } } } }`, 2],
    ['a catalog read by three fields, once', `{ freshchat { groups { totalCount } group(id: "x") { name } ticketingUsers(first: 1) { nodes { groups { totalCount } } } } }`, 2],
    ['catalogs under two freshchat fields, once each', `{ a: freshchat { groups { totalCount } } b: freshchat(accountId: "b") { groups { totalCount } } }`, 2],
    ['lookups by id', `{ freshchat { user(id: "x") { name } ticketingUser(id: "y") { name } } }`, 2],
    ['a connection nested in an interface list, through its implementation', `{ freshchat { ticketingUsers(first: 3) { edges { node { groups { edges { node { members(first: 60) { totalCount } } } } } } } } }`, 1 + 1 + 3 * 20 * 2],
    ['scalars only', `{ freshchat { accountId } }`, 0],
    ['_service', `{ _service { sdl } }`, 0],
  ])('counts %s', (_name, query, calls) => {
    expect(estimate(query)).toBe(calls);
  });

  it('counts 30 aliased pages of 100 and 45 agent ids as 105 calls', () => {
    const pages = Array.from({ length: 30 }, (_, i) => `u${i}: users(first: 100, filter: { externalId: "crm-${i}" }) { totalCount }`).join(' ');
    expect(estimate(`query($ids: [ID!]!) { freshchat { ${pages} nodes(ids: $ids) { id } } }`, { ids: ids('FreshchatTicketingUser', 45) })).toBe(105);
  });

  it('reads first and last from variables, and the page size from settings', () => {
    const query = `query($n: Int) { freshchat { users(first: $n) { totalCount } } }`;
    expect(estimate(query, { n: 100 })).toBe(2);
    expect(estimate(query, { n: 100 }, 20)).toBe(5);
  });

  it('counts nodes(ids:) per distinct agent or contact id, groups and roles once as their catalog', () => {
    const mixed = [...ids('FreshchatTicketingUser', 3), ...ids('FreshchatUser', 2), ...ids('FreshchatGroup', 4), id('FreshchatRole', 'r'), id('FreshchatUser', 'r0')];
    expect(estimate(`query($ids: [ID!]!) { freshchat { nodes(ids: $ids) { id } } }`, { ids: mixed })).toBe(3 + 2 + 1 + 1);
  });

  it('counts nothing for ids that resolve to null without a call', () => {
    const garbage = ['nope', id('FreshchatAgent', 'x'), id('toString', 'x'), toGlobalId({ provider: 'zendesk', typename: 'FreshchatUser', accountId: 'acme', remoteId: 'x' })];
    expect(estimate(`query($ids: [ID!]!) { freshchat { nodes(ids: $ids) { id } } }`, { ids: garbage })).toBe(0);
  });

  it('multiplies nested fields by the objects of each type only', () => {
    const query = `query($ids: [ID!]!) { freshchat { nodes(ids: $ids) { ... on FreshchatGroup { members(first: 100) { totalCount } } ...agent } } }
      fragment agent on FreshchatTicketingUser { role { name } }`;
    const mixed = [...ids('FreshchatGroup', 3), ...ids('FreshchatTicketingUser', 5)];
    expect(estimate(query, { ids: mixed })).toBe(1 + 3 * 2 + 5 + 1);
  });

  it('counts _entities per distinct agent or contact, and groups once as their catalog', () => {
    const agents = ids('FreshchatTicketingUser', 40);
    const representations = [...agents, ...agents.slice(0, 10), ...ids('FreshchatGroup', 7)].map((value) => ({
      __typename: fromTypename(value),
      id: value,
    }));
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatTicketingUser { name } ... on FreshchatGroup { members(first: 100) { totalCount } } } }`;
    expect(estimate(query, { r: representations })).toBe(40 + 1 + 7 * 2);
  });

  it('does not count a representation whose __typename disagrees with its id', () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`;
    expect(estimate(query, { r: [{ __typename: 'FreshchatUser', id: id('FreshchatGroup', 'g') }] })).toBe(0);
  });

  it('walks a fragment spread many times once per sizing, not exponentially', () => {
    const levels = Array.from({ length: 20 }, (_, i) => `fragment f${i} on FreshchatQuery { ...f${i + 1} ...f${i + 1} }`).join('\n');
    const query = `{ freshchat { ...f0 } }\n${levels}\nfragment f20 on FreshchatQuery { user(id: "x") { name } }`;
    const started = performance.now();
    expect(estimate(query)).toBe(2 ** 20);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

function fromTypename(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString().split(':')[2]!;
}
