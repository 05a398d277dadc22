import { getOperationAST, parse, type FragmentDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { walkOperation, type OperationFigures } from '../../src/hardening/operation-walk.js';
import { toGlobalId } from '../../src/relay/ids.js';
import { createSchema } from '../../src/schema.js';

// One walk, two figures: the cost model a router's demand control applies to @listSize, and the
// upstream-call estimate that MAX_UPSTREAM_CALLS_PER_REQUEST limits.
const schema = createSchema();
const PAGE_SIZE = loadConfig({}).hardening.limits.upstreamPageSize;
const id = (typename: string, remoteId: string, accountId = 'acme') => toGlobalId({ provider: 'freshchat', typename, accountId, remoteId });
const ids = (typename: string, n: number) => Array.from({ length: n }, (_, i) => id(typename, `r${i}`));

function walk(query: string, variables: Record<string, unknown> = {}, pageSize = PAGE_SIZE): OperationFigures {
  const document = parse(query);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === 'FragmentDefinition') fragments[d.name.value] = d;
  return walkOperation({ schema, operation: getOperationAST(document)!, fragments, variables, pageSize });
}

const costOf = (query: string, variables?: Record<string, unknown>) => walk(query, variables).cost;
const estimate = (query: string, variables?: Record<string, unknown>, pageSize?: number) => walk(query, variables, pageSize).upstreamCalls;

const reps = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'FreshchatGroup', id: String(i) }));

describe('walkOperation: cost', () => {
  it.each<[string, string, Record<string, unknown>, number]>([
    ['an object field costs 1, a scalar 0', `{ freshchat { accountId } }`, {}, 1],
    ['a connection without its lists costs 1', `{ freshchat { groups { totalCount pageInfo { hasNextPage } } } }`, {}, 3],
    ['an unsized connection gets the default page of 20', `{ freshchat { groups { nodes { name } } } }`, {}, 1 + 1 + 20],
    ['first sizes both edges and nodes', `{ freshchat { groups(first: 5) { edges { cursor node { name } } nodes { name } } } }`, {}, 1 + 1 + 5 * 2 + 5],
    ['a variable slicing argument counts its value', `query($n: Int) { freshchat { groups(first: $n) { nodes { name } } } }`, { n: 7 }, 1 + 1 + 7],
    ['a null variable falls back to the default page', `query($n: Int) { freshchat { groups(first: $n) { nodes { name } } } }`, { n: null }, 1 + 1 + 20],
    ['first and last together count the larger', `{ freshchat { groups(first: 5, last: 3) { nodes { id } } } }`, {}, 1 + 1 + 5],
    ['nested connections multiply', `{ freshchat { groups(first: 3) { nodes { members(first: 4) { nodes { name } } } } } }`, {}, 1 + 1 + 3 * (1 + 1 + 4)],
    [
      'an interface field borrows @listSize from its implementations',
      `{ freshchat { ticketingUsers(first: 2) { nodes { groups(first: 3) { nodes { name } } } } } }`,
      {},
      1 + 1 + 2 * (1 + 1 + 3),
    ],
    ['an unsized value list counts one element', `{ freshchat { users(first: 2) { nodes { emails { address } } } } }`, {}, 1 + 1 + 2 * (1 + 1)],
    ['nodes(ids) is as long as its ids', `{ freshchat { nodes(ids: ["a", "b", "c"]) { id } } }`, {}, 1 + 3],
    ['_entities is as long as its representations', `query($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatGroup { name } } }`, { r: reps(4) }, 4],
    [
      'fragments on different types of an abstract parent cost the dearest, not their sum',
      `query($r: [_Any!]!) { _entities(representations: $r) {
         ... on FreshchatTicketingUser { groups(first: 10) { nodes { name } } }
         ... on FreshchatGroup { members(first: 5) { nodes { name } } } } }`,
      { r: reps(2) },
      2 * (1 + (1 + 10)),
    ],
    [
      'fragments applying to the same type add up',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatGroup { name } ... on HelpdeskGroup { members(first: 5) { nodes { name } } } ... on Node { id } } }`,
      { r: reps(2) },
      2 * (1 + (1 + 5)),
    ],
    [
      'a named fragment counts at every use',
      `{ freshchat { a: groups(first: 3) { nodes { ...M } } b: groups(first: 1) { nodes { ...M } } } } fragment M on FreshchatGroup { members(first: 2) { nodes { name } } }`,
      {},
      1 + (1 + 3 * (1 + 1 + 2)) + (1 + 1 * (1 + 1 + 2)),
    ],
    ['introspection and __typename cost nothing', `{ __typename freshchat { __typename } }`, {}, 1],
  ])('%s', (_name, query, variables, expected) => {
    expect(costOf(query, variables)).toBe(expected);
  });

  // Walked without the memo, 2^39 spreads would not finish within the test's timeout.
  it('computes the exponential cost of fragments spreading fragments twice, forty deep, by walking each once', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on FreshchatGroup { name }` : `fragment F${i} on FreshchatGroup { ...F${i + 1} a: members { nodes { __typename } } ...F${i + 1} }`,
    );
    const cost = costOf(`{ freshchat { groups(first: 1) { nodes { ...F0 } } } } ${fragments.join(' ')}`);
    // F(i) = 2 F(i+1) + members (1 + 20), F(last) = 0: execution would expand 2^39 fragments.
    expect(cost).toBe(1 + 1 + 1 * (1 + 21 * (2 ** (levels - 1) - 1)));
  });
});

describe('walkOperation: both figures at once', () => {
  it('gives the cost and the upstream calls of one operation from one walk', () => {
    expect(walk(`{ freshchat { ticketingUsers(first: 50) { nodes { role { name } } } } }`)).toEqual({ cost: 1 + 1 + 50 * (1 + 1), upstreamCalls: 2 });
  });

  it('counts each write of a mutation as one call, and what its payload selects on top', () => {
    const agent = id('FreshchatTicketingUser', 'a');
    const query = `mutation { a: freshchatDeleteUser(id: "${id('FreshchatUser', 'u')}") { deletedId }
      b: freshchatSetTicketingUserAvailability(id: "${agent}", availability: AVAILABLE) { ticketingUser { role { name } } } }`;
    expect(walk(query).upstreamCalls).toBe(1 + 1 + 1 + 1);
  });
});

describe('walkOperation: upstream calls', () => {
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

  // Walked without the memo, 2^20 spreads would not finish within the test's timeout.
  it('counts fragments that spread a fragment twice, twenty deep, by walking each once', () => {
    const levels = Array.from({ length: 20 }, (_, i) => `fragment f${i} on FreshchatQuery { ...f${i + 1} ...f${i + 1} }`).join('\n');
    const query = `{ freshchat { ...f0 } }\n${levels}\nfragment f20 on FreshchatQuery { user(id: "x") { name } }`;
    expect(estimate(query)).toBe(2 ** 20);
  });
});

function fromTypename(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString().split(':')[2]!;
}
