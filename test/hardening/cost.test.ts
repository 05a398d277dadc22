import { getOperationAST, parse, type FragmentDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost } from '../../src/hardening/cost.js';
import { createSchema } from '../../src/schema.js';

// The cost model of src/hardening/cost.ts, the one a router's demand control applies to @listSize.
const schema = createSchema();

function costOf(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === 'FragmentDefinition') fragments[d.name.value] = d;
  return operationCost({ schema, operation: getOperationAST(document)!, fragments, variables });
}

const reps = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'FreshchatGroup', id: String(i) }));

describe('operationCost', () => {
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

  it('computes the exponential cost of fragments spreading fragments twice in linear time', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on FreshchatGroup { name }` : `fragment F${i} on FreshchatGroup { ...F${i + 1} a: members { nodes { __typename } } ...F${i + 1} }`,
    );
    const started = performance.now();
    const cost = costOf(`{ freshchat { groups(first: 1) { nodes { ...F0 } } } } ${fragments.join(' ')}`);
    expect(performance.now() - started).toBeLessThan(200);
    // F(i) = 2 F(i+1) + members (1 + 20), F(last) = 0: execution would expand 2^39 fragments.
    expect(cost).toBe(1 + 1 + 1 * (1 + 21 * (2 ** (levels - 1) - 1)));
  });
});
