import { readFileSync } from 'node:fs';
import { parse, type GraphQLInterfaceType, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CONTRACT_INTERFACES, contractSdlUrl, fromGlobalId, nodeEntityTypenames, readContractSdl } from '../../src/contract/index.js';
import { nodeRouterTypeDefs } from '../../src/node-router/schema.js';
import { CompositionError, composeSupergraph, type SubgraphDefinition } from '../../src/supergraph/compose.js';
import { exampleDeskId, exampleDeskTypeDefs } from '../../src/supergraph/example-desk/index.js';
import { DEFAULT_URLS, helpdeskNodeTypes, helpdeskSubgraphs } from '../../src/supergraph/subgraphs.js';
import { NODE_TYPENAMES } from '../../src/resources/index.js';
import { freshchatTypeDefs, readTypeDefs } from '../../src/type-defs.js';

const withFreshchatSdl = (sdl: string): SubgraphDefinition[] =>
  helpdeskSubgraphs(DEFAULT_URLS).map((subgraph) => (subgraph.name === 'freshchat' ? { ...subgraph, typeDefs: parse(sdl) } : subgraph));

/** Applies one edit to the Freshchat SDL, failing loudly unless the text it edits occurs exactly once. */
function drift(sdl: string, from: string, to: string): string {
  expect(sdl.split(from).length - 1, `occurrences of the drift anchor ${JSON.stringify(from)}`).toBe(1);
  return sdl.replace(from, to);
}

function compositionErrorCodes(subgraphs: SubgraphDefinition[]): string[] {
  try {
    composeSupergraph(subgraphs);
  } catch (error) {
    if (error instanceof CompositionError) return error.errors.map((e) => String(e.extensions.code));
    throw error;
  }
  return [];
}

describe('the helpdesk contract', () => {
  it('is the SDL of schema/contract.graphql, which documents the global id format', () => {
    expect(contractSdlUrl().pathname).toMatch(/\/schema\/contract\.graphql$/);
    expect(readContractSdl()).toContain('base64url(no padding) of "hd1:<provider>:<typename>:<accountId>:<remoteId>"');
  });

  it('defines every unified interface', () => {
    const interfaces = parse(readContractSdl()).definitions.flatMap((d) => (d.kind === 'InterfaceTypeDefinition' ? [d.name.value] : []));
    expect(interfaces).toEqual([...CONTRACT_INTERFACES]);
  });

  it('is included verbatim by both the Freshchat subgraph and the example desk', () => {
    expect(readTypeDefs().startsWith(readContractSdl())).toBe(true);
    const exampleDesk = exampleDeskTypeDefs().loc?.source.body ?? '';
    expect(exampleDesk.startsWith(readContractSdl())).toBe(true);
  });

  it('pages comments forward only, with a total that may be unknown (docs/design.md#conversations-and-messages)', () => {
    const schema = composeSupergraph(helpdeskSubgraphs(DEFAULT_URLS)).apiSchema;
    const ticket = schema.getType('HelpdeskTicket') as GraphQLInterfaceType;
    expect(ticket.getFields().comments?.args.map((a) => a.name)).toEqual(['first', 'after']);
    const connection = schema.getType('HelpdeskCommentConnection') as GraphQLObjectType;
    expect(String(connection.getFields().totalCount?.type)).toBe('Int');
    const user = schema.getType('HelpdeskUser') as GraphQLInterfaceType;
    expect(user.getFields().tickets?.args.map((a) => a.name)).toEqual(['first', 'after', 'last', 'before']);
  });

  it('is implemented by both helpdesks for tickets and comments', () => {
    const schema = composeSupergraph(helpdeskSubgraphs(DEFAULT_URLS)).apiSchema;
    const names = (name: string) => schema.getPossibleTypes(schema.getType(name) as GraphQLInterfaceType).map((t) => t.name).sort();
    expect(names('HelpdeskTicket')).toEqual(['ExampleDeskTicket', 'FreshchatTicket']);
    expect(names('HelpdeskComment')).toEqual(['ExampleDeskComment', 'FreshchatComment']);
  });

  it('decodes the ids of any provider with the shared codec', () => {
    expect(fromGlobalId(exampleDeskId('ExampleDeskTicketingUser', 'a-1'))).toEqual({
      provider: 'exampledesk',
      typename: 'ExampleDeskTicketingUser',
      accountId: 'demo',
      remoteId: 'a-1',
    });
  });

  it('is a module free of Freshchat code, however deep its imports go', () => {
    const reached = localImports(new URL('../../src/contract/index.ts', import.meta.url));
    expect(reached.map((url) => url.pathname.replace(/.*\/src\//, 'src/'))).toEqual([
      'src/contract/index.ts',
      'src/relay/ids.ts',
      'src/account.ts',
      'src/secret.ts',
    ]);
    for (const url of reached) expect(readFileSync(url, 'utf8'), url.pathname).not.toMatch(/from '[^']*(freshchat|sandbox|loaders|resolvers)[^']*'/);
  });
});

/** Every repo module `entry` imports, transitively (relative imports only), entry first. */
function localImports(entry: URL, seen = new Map<string, URL>()): URL[] {
  if (seen.has(entry.href)) return [...seen.values()];
  seen.set(entry.href, entry);
  for (const [, path] of readFileSync(entry, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
    localImports(new URL(`${path}.ts`, entry), seen);
  }
  return [...seen.values()];
}

describe('composition of Freshchat beside another helpdesk', () => {
  it('composes Freshchat, the example desk and the node-router with no errors and no hints', () => {
    const supergraph = composeSupergraph(helpdeskSubgraphs(DEFAULT_URLS));
    expect(supergraph.hints).toEqual([]);
    const query = supergraph.apiSchema.getQueryType()?.getFields() ?? {};
    expect(Object.keys(query).sort()).toEqual(['exampleDesk', 'freshchat', 'node', 'nodes']);
  });

  it('routes node(id:) for every Node entity of both helpdesks', () => {
    // Freshchat's part is the typed table of src/resources/index.ts; the node-router reads the SDL.
    expect(new Set(helpdeskNodeTypes())).toEqual(new Set([
      ...NODE_TYPENAMES,
      'ExampleDeskUser',
      'ExampleDeskGroup',
      'ExampleDeskRole',
      'ExampleDeskTicketingUser',
      'ExampleDeskTicket',
      'ExampleDeskComment',
    ]));
    expect(nodeEntityTypenames(nodeRouterTypeDefs(['FreshchatUser']))).toEqual(['FreshchatUser']);
  });

  const sdl = readTypeDefs();
  it.each([
    {
      change: 'a field added to the HelpdeskTicketingUser interface and to FreshchatTicketingUser only',
      code: 'INTERFACE_FIELD_NO_IMPLEM',
      edit: (s: string) =>
        drift(
          drift(s, 'interface HelpdeskTicketingUser implements Node {\n', 'interface HelpdeskTicketingUser implements Node {\n  department: String\n'),
          'type FreshchatTicketingUser implements Node & HelpdeskTicketingUser @key(fields: "id") {\n',
          'type FreshchatTicketingUser implements Node & HelpdeskTicketingUser @key(fields: "id") {\n  department: String\n',
        ),
    },
    {
      change: 'a shared value field whose type changed (HelpdeskEmail.address: ID!)',
      code: 'FIELD_TYPE_MISMATCH',
      edit: (s: string) => drift(s, '  address: String!\n', '  address: ID!\n'),
    },
    {
      change: 'PageInfo no longer @shareable',
      code: 'INVALID_FIELD_SHARING',
      edit: (s: string) => drift(s, 'type PageInfo @shareable {', 'type PageInfo {'),
    },
    {
      change: 'a HelpdeskAvailability value renamed (UNAVAILABLE → AWAY)',
      code: 'ENUM_VALUE_MISMATCH',
      edit: (s: string) => drift(s, '  "The user is away or offline."\n  UNAVAILABLE\n', '  "The user is away or offline."\n  AWAY\n'),
    },
    {
      change: 'a Freshchat type that no longer implements its interface (groups as a plain list)',
      code: 'INVALID_GRAPHQL',
      edit: (s: string) =>
        drift(
          s,
          'groups(first: Int, after: String, last: Int, before: String): HelpdeskGroupConnection\n    @listSize(slicingArguments: ["first", "last"], sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false)\n  "IANA',
          'groups: [FreshchatGroup!]!\n  "IANA',
        ),
    },
  ])('fails composition when the Freshchat copy drifts: $change', ({ code, edit }) => {
    expect(compositionErrorCodes(withFreshchatSdl(edit(sdl)))).toContain(code);
  });

  it('composes the undrifted Freshchat SDL (the drift table starts from a passing baseline)', () => {
    expect(compositionErrorCodes(withFreshchatSdl(sdl))).toEqual([]);
    expect(nodeEntityTypenames(freshchatTypeDefs()).sort()).toEqual([...NODE_TYPENAMES].sort());
  });
});
