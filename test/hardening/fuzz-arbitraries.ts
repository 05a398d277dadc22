import fc from 'fast-check';
// The same graphql-js instance as the subgraph schema's (the alias in vitest.config.ts).
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { encodeCursor } from '../../src/relay/cursor.js';
import { NODE_TYPENAMES } from '../../src/resources/index.js';
import { fromGlobalId, toGlobalId } from '../../src/relay/ids.js';
import type { HardenedHarness } from './harness.js';

/** Real ids and cursors of both accounts, collected from the running server, to tamper with. */
export interface Material {
  ids: { a: string[]; b: string[] };
  cursors: { a: string[]; b: string[] };
}

const TYPENAMES = NODE_TYPENAMES;
const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];

/** Flips, cuts or extends an opaque token: what a client tampering with an id or cursor does. */
export function tamperedArb(token: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(fc.nat({ max: token.length - 1 }), fc.constantFrom(...BASE64URL)).map(([i, c]) => token.slice(0, i) + c + token.slice(i + 1)),
    fc.nat({ max: token.length }).map((n) => token.slice(0, n)),
    fc.string({ maxLength: 6 }).map((tail) => token + tail),
    fc.constant(`${token}=`),
  );
}

/** Another account's, another type's, tampered, re-encoded and plain garbage global ids. */
export function hostileIdArb(material: Material): fc.Arbitrary<string> {
  const parts = material.ids.a.map((id) => fromGlobalId(id)).filter((p) => p !== null);
  const reencoded = fc
    .tuple(fc.constantFrom(...parts), fc.constantFrom(...TYPENAMES), fc.constantFrom('a', 'b', 'A', 'a.b', 'other'))
    .map(([p, typename, accountId]) => toGlobalId({ ...p, typename, accountId }));
  return fc.oneof(
    fc.constantFrom(...material.ids.b),
    fc.constantFrom(...material.ids.a).chain(tamperedArb),
    fc.constantFrom(...material.ids.b).chain(tamperedArb),
    reencoded,
    fc.constantFrom(...material.cursors.a, ...material.cursors.b),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(...BASE64URL), maxLength: 80 }),
    fc.string({ maxLength: 60 }).map((s) => Buffer.from(`hd1:freshchat:FreshchatGroup:a:${s}`).toString('base64url')),
  );
}

/** Another account's or connection's, tampered, forged and garbage cursors. */
export function hostileCursorArb(material: Material): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...material.cursors.b),
    fc.constantFrom(...material.cursors.a),
    fc.constantFrom(...material.cursors.a, ...material.cursors.b).chain(tamperedArb),
    fc.tuple(fc.string({ maxLength: 30 }), fc.nat({ max: 1_000 })).map(([scope, offset]) => encodeCursor(scope, offset)),
    fc.constantFrom(...material.ids.a),
    fc.string({ maxLength: 40 }),
  );
}

/** A GraphQL literal for an input type: mostly plausible, sometimes out of range or of the wrong kind. */
function literalArb(type: GraphQLInputType, material: Material): fc.Arbitrary<string> {
  if (isNonNullType(type)) return literalArb(type.ofType, material);
  if (isListType(type)) return fc.array(literalArb(type.ofType, material), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`);
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name), 'NOT_A_VALUE');
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).map((f) => fc.option(literalArb(f.type, material).map((v) => `${f.name}: ${v}`), { nil: '' }));
    return fc.tuple(...fields).map((entries) => `{ ${entries.filter(Boolean).join(', ')} }`);
  }
  switch (type.name) {
    case 'Int':
      return fc.oneof(fc.integer({ min: -2, max: 110 }), fc.constantFrom(0, 100, 101, 500), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })).map(String);
    case 'Boolean':
      return fc.boolean().map(String);
    case 'ID':
      return hostileIdArb(material).map((s) => JSON.stringify(s));
    case '_Any':
      return fc
        .tuple(fc.constantFrom(...TYPENAMES, 'Nope', 'FreshchatQuery'), fc.oneof(hostileIdArb(material).map((id) => JSON.stringify(id)), fc.constantFrom('5', 'null', '[]')))
        .chain(([t, id]) => fc.constantFrom(`{ __typename: "${t}", id: ${id} }`, `{ __typename: "${t}" }`, `{ id: ${id} }`, '"x"'));
    default:
      return fc.oneof(hostileCursorArb(material), fc.string({ maxLength: 20 }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())).map((s) => JSON.stringify(s));
  }
}

function argumentsArb(args: readonly GraphQLArgument[], material: Material): fc.Arbitrary<string> {
  if (args.length === 0) return fc.constant('');
  const each = args.map((arg) => {
    const value = literalArb(arg.type, material).map((v) => `${arg.name}: ${v}`);
    return isNonNullType(arg.type) ? value : fc.option(value, { nil: '' });
  });
  return fc.tuple(...each).map((parts) => (parts.some(Boolean) ? `(${parts.filter(Boolean).join(', ')})` : ''));
}

/** Random selections over the real schema, up to `maxDepth` fields deep, with random arguments. */
export function operationArb(schema: GraphQLSchema, material: Material, maxDepth: number): fc.Arbitrary<string> {
  const selection = (type: GraphQLCompositeType, depth: number): fc.Arbitrary<string> => {
    if (isAbstractType(type)) {
      const possible = schema.getPossibleTypes(type);
      return fc
        .subarray([...possible], { minLength: 1, maxLength: Math.min(2, possible.length) })
        .chain((types) => fc.tuple(...types.map((t) => selection(t, depth).map((s) => `... on ${t.name} { ${s} }`))))
        .map((parts) => `__typename ${parts.join(' ')}`);
    }
    const fields: GraphQLField<unknown, unknown>[] = depth >= maxDepth ? [] : Object.values(type.getFields());
    const names = ['__typename', ...fields.map((f) => f.name)];
    return fc
      .subarray(names, { minLength: 1, maxLength: Math.min(3, names.length) })
      .chain((names) => fc.tuple(...names.map((name) => fieldArb(type, name, depth))))
      .map((parts) => parts.join(' '));
  };
  const fieldArb = (type: GraphQLCompositeType, name: string, depth: number): fc.Arbitrary<string> => {
    if (name === '__typename' || isAbstractType(type)) return fc.constant(name);
    const field = type.getFields()[name]!;
    const named = getNamedType(field.type);
    const sub = isCompositeType(named) ? selection(named, depth + 1).map((s) => ` { ${s} }`) : fc.constant('');
    return fc.tuple(argumentsArb(field.args, material), sub).map(([args, s]) => `${name}${args}${s}`);
  };
  return selection(schema.getQueryType()!, 0).map((s) => `{ ${s} }`);
}

const TOKEN_NOISE = ['{', '}', '(', ')', '[', ']', ':', '$', '@', '!', '"', '...', 'on', 'query', 'fragment', '#', '\\u0000', '1e999', '-1', '__schema', 'first: 1000'];

/** One to three edits of a valid operation: deletions, insertions of GraphQL punctuation, duplications. */
export function mutatedArb(seeds: readonly string[]): fc.Arbitrary<string> {
  const edit = (text: string): fc.Arbitrary<string> => {
    const at = fc.nat({ max: text.length });
    return fc.oneof(
      fc.tuple(at, at).map(([i, j]) => text.slice(0, Math.min(i, j)) + text.slice(Math.max(i, j))),
      fc.tuple(at, fc.constantFrom(...TOKEN_NOISE)).map(([i, noise]) => `${text.slice(0, i)} ${noise} ${text.slice(i)}`),
      fc.tuple(at, at).map(([i, j]) => text.slice(0, Math.max(i, j)) + text.slice(Math.min(i, j))),
      fc.tuple(at, fc.string({ maxLength: 4 })).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    );
  };
  const edits = (text: string, n: number): fc.Arbitrary<string> => (n === 0 ? fc.constant(text) : edit(text).chain((t) => edits(t, n - 1)));
  return fc.tuple(fc.constantFrom(...seeds), fc.integer({ min: 1, max: 3 })).chain(([seed, n]) => edits(seed, n));
}

/** Every `id` string anywhere in a response's data. */
export function idsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(idsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'id' && typeof v === 'string' ? [v] : idsIn(v)));
}

/** Real ids and cursors of both accounts, as a client would have them. */
export async function collectMaterial(h: HardenedHarness): Promise<Material> {
  const page = `edges { cursor node { id } }`;
  const read = async (account: 'a' | 'b') => {
    const res = await h.query(`{ freshchat(accountId: "${account}") {
      users(first: 4) { ${page} } ticketingUsers(first: 4) { ${page} } roles(first: 3) { ${page} }
      groups(first: 3) { edges { cursor node { id members(first: 2) { ${page} } } } } } }`);
    const cursors: string[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (typeof v === 'object' && v !== null) {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'cursor' && typeof x === 'string') cursors.push(x);
          else collect(x);
        }
      }
    };
    collect(res.data);
    return { ids: [...new Set(idsIn(res.data))], cursors };
  };
  const [a, b] = [await read('a'), await read('b')];
  return { ids: { a: a.ids, b: b.ids }, cursors: { a: a.cursors, b: b.cursors } };
}
