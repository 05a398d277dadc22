import { readFileSync } from 'node:fs';
import { Kind, isSpecifiedScalarType, parse, type DefinitionNode, type GraphQLEnumType, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTicketingUser } from '../../src/resources/agents.js';
import { createDataset } from '../../src/sandbox/index.js';
import { CompositionError, composeSupergraph, type SubgraphDefinition } from '../../src/supergraph/compose.js';
import { DEFAULT_URLS, SUBGRAPH, helpdeskSubgraphs } from '../../src/supergraph/subgraphs.js';
import { freshchatTypeDefs } from '../../src/type-defs.js';
import { PRODUCT_TYPE_DEFS } from '../fixtures/product/index.js';
import { toContractV3 } from './contract-v3.js';
import { startSupergraphHarness, type SupergraphHarness } from './harness.js';

const product: SubgraphDefinition = { name: 'product', url: 'http://localhost:4005/graphql', typeDefs: PRODUCT_TYPE_DEFS };

/** The names a product is most likely to own already, each with the kind the product gives it. */
const PRODUCT_NAMES = {
  User: 'entity',
  Ticket: 'entity',
  Comment: 'entity',
  Group: 'entity',
  Role: 'entity',
  Email: 'value',
  Phone: 'value',
  UserError: 'value',
  Status: 'enum',
  Availability: 'enum',
} as const;

function kindOf(definition: DefinitionNode): string {
  if (definition.kind === Kind.ENUM_TYPE_DEFINITION) return 'enum';
  if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) return definition.kind;
  return definition.directives?.some((d) => d.name.value === 'key') ? 'entity' : 'value';
}

/** The product's types each composition error is about (the first quoted name, "Type" or "Type.field"). */
function collidingTypes(subgraphs: SubgraphDefinition[]): string[] {
  try {
    composeSupergraph(subgraphs);
  } catch (error) {
    if (!(error instanceof CompositionError)) throw error;
    return [...new Set(error.errors.map((e) => /"(\w+)[."]/.exec(e.message)?.[1] ?? e.message))].sort();
  }
  return [];
}

describe('a product subgraph that owns User, Ticket, Comment, Group, Role, Email, Phone, UserError, Status and Availability', () => {
  it('is an ordinary product fixture: it owns each of those names, as entities, value types and enums', () => {
    const kinds = Object.fromEntries(PRODUCT_TYPE_DEFS.definitions.flatMap((d) => ('name' in d && d.name ? [[d.name.value, kindOf(d)]] : [])));
    expect(kinds).toMatchObject(PRODUCT_NAMES);
  });

  it('composes with contract v4 beside Freshchat, the example desk and the node-router; only PageInfo descriptions differ', () => {
    const supergraph = composeSupergraph(helpdeskSubgraphs(DEFAULT_URLS, [product]));
    expect(supergraph.hints).toEqual([expect.stringMatching(/^\[INCONSISTENT_DESCRIPTION\] Element "PageInfo" has inconsistent descriptions/)]);
    const schema = supergraph.apiSchema;
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual(['exampleDesk', 'freshchat', 'me', 'node', 'nodes']);
    // The product's types keep its shapes: nothing of the contract merged into them.
    expect(Object.keys((schema.getType('User') as GraphQLObjectType).getFields())).toEqual(['id', 'handle', 'status', 'availability', 'emails', 'phone', 'role', 'groups', 'tickets']);
    const values = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);
    expect(values('Availability')).toEqual(['ONLINE', 'BUSY', 'OFFLINE']);
    expect(values('HelpdeskAvailability')).toEqual(['AVAILABLE', 'UNAVAILABLE']);
  });

  describe('contract v3 (derived from v4 by renaming each contract type back, in the AST)', () => {
    const v3 = (subgraphs: SubgraphDefinition[]) =>
      subgraphs.map((s) => (s.name === SUBGRAPH.freshchat || s.name === SUBGRAPH.exampleDesk ? { ...s, typeDefs: toContractV3(s.typeDefs) } : s));

    it('composes without the product, so the rename itself is sound', () => {
      expect(collidingTypes(v3(helpdeskSubgraphs(DEFAULT_URLS)))).toEqual([]);
    });

    it('fails beside the product, naming every product type it collides with', () => {
      expect(collidingTypes(v3(helpdeskSubgraphs(DEFAULT_URLS, [product])))).toEqual(
        ['Availability', 'Comment', 'Email', 'Group', 'Phone', 'Role', 'Ticket', 'TicketConnection', 'TicketEdge', 'User', 'UserError'],
      );
    });
  });
});

describe('a product with a PageInfo of its own', () => {
  const FIELDS = 'hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String';
  const withPageInfo = (pageInfo: string): SubgraphDefinition => ({
    ...product,
    typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@shareable"])
      type Query { things(after: String): ThingConnection }
      type ThingConnection { nodes: [String!]! pageInfo: PageInfo! }
      ${pageInfo}`),
  });
  const errorCodes = (subgraph: SubgraphDefinition): string[] => {
    try {
      composeSupergraph(helpdeskSubgraphs(DEFAULT_URLS, [subgraph]));
    } catch (error) {
      if (error instanceof CompositionError) return [...new Set(error.errors.map((e) => String(e.extensions.code)))];
      throw error;
    }
    return [];
  };

  it('composes when it is @shareable with the same four fields', () => {
    expect(errorCodes(withPageInfo(`type PageInfo @shareable { ${FIELDS} }`))).toEqual([]);
  });

  it.each([
    ['is not @shareable', `type PageInfo { ${FIELDS} }`, 'INVALID_FIELD_SHARING'],
    ['has a field of another type', `type PageInfo @shareable { ${FIELDS.replace('endCursor: String', 'endCursor: ID')} }`, 'FIELD_TYPE_MISMATCH'],
    ['has a field more', `type PageInfo @shareable { ${FIELDS} totalPages: Int }`, 'SATISFIABILITY_ERROR'],
    ['has a field fewer', `type PageInfo @shareable { ${FIELDS.replace('startCursor: String', '')} }`, 'SATISFIABILITY_ERROR'],
  ])('fails composition when it %s', (_name, pageInfo, code) => {
    expect(errorCodes(withPageInfo(pageInfo))).toEqual([code]);
  });
});

describe('the names the Freshchat subgraph adds to a supergraph', () => {
  const schema = composeSupergraph([{ name: SUBGRAPH.freshchat, url: DEFAULT_URLS.freshchat, typeDefs: freshchatTypeDefs() }]).apiSchema;
  const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__') && !isSpecifiedScalarType(t)).map((t) => t.name);
  const rootFields = [schema.getQueryType()!, schema.getMutationType()!].flatMap((root) => Object.keys(root.getFields()).map((field) => `${root.name}.${field}`));

  it('are Helpdesk* or Freshchat* but for Node, PageInfo, DateTime, JSON and the root types', () => {
    expect(types.filter((name) => !/^(Helpdesk|Freshchat)[A-Z]/.test(name)).sort()).toEqual(['DateTime', 'JSON', 'Mutation', 'Node', 'PageInfo', 'Query']);
  });

  it('add only root fields that start with freshchat', () => {
    expect(rootFields.filter((coordinate) => !/^(Query|Mutation)\.freshchat/.test(coordinate))).toEqual([]);
  });

  it('are listed exactly in docs/supergraph.md', () => {
    const markdown = readFileSync(new URL('../../docs/supergraph.md', import.meta.url), 'utf8');
    const start = markdown.indexOf('### The names it adds');
    const section = markdown.slice(start, markdown.indexOf('\n### ', start + 1));
    const documented = [...section.matchAll(/`((?:Query\.|Mutation\.)?[A-Za-z]+)`/g)].map((m) => m[1]!);
    expect(start).toBeGreaterThan(0);
    expect([...new Set(documented)].sort()).toEqual([...types.filter((t) => t !== 'Query' && t !== 'Mutation'), ...rootFields].sort());
  });
});

describe('the product, Freshchat and the example desk through @apollo/gateway', () => {
  let h: SupergraphHarness;
  beforeAll(async () => {
    h = await startSupergraphHarness({ product: true });
  });
  afterAll(() => h.close());

  it("answers one query reading the product's me, freshchat { ... } and exampleDesk { ... }", async () => {
    const dataset = createDataset(1);
    const agents = dataset.agents.slice(0, 2).map((raw) => toTicketingUser(raw, 'sandbox'));
    const res = await h.query(`query ProductAndHelpdesks {
      me {
        handle status availability
        emails { address verified }
        phone { number country }
        role { title permissions }
        groups { slug members { handle } }
        tickets(first: 1) {
          edges { cursor node { title status comments { text author { handle } } } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
      }
      freshchat { ticketingUsers(first: 2) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { __typename name availability } } }
      exampleDesk { ticketingUsers(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { __typename name availability } } }
    }`);
    expect(res).toEqual({
      data: {
        me: {
          handle: 'ada',
          status: 'ACTIVE',
          availability: 'BUSY',
          emails: [{ address: 'ada@product.test', verified: true }],
          phone: { number: '+351210000001', country: 'PT' },
          role: { title: 'Admin', permissions: ['billing', 'members'] },
          groups: [{ slug: 'core', members: [{ handle: 'ada' }, { handle: 'bob' }] }],
          tickets: {
            edges: [{ cursor: 't2', node: { title: 'Cannot log in', status: 'ACTIVE', comments: [{ text: 'Seen on Safari', author: { handle: 'bob' } }] } }],
            pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: 't2', endCursor: 't2' },
          },
        },
        freshchat: {
          ticketingUsers: {
            totalCount: dataset.agents.length,
            pageInfo: { hasNextPage: true, hasPreviousPage: false },
            nodes: agents.map((a) => ({ __typename: 'FreshchatTicketingUser', name: a.name, availability: a.availability })),
          },
        },
        exampleDesk: {
          ticketingUsers: {
            totalCount: 3,
            pageInfo: { hasNextPage: true, hasPreviousPage: false },
            nodes: [{ __typename: 'ExampleDeskTicketingUser', name: 'Ines Costa', availability: 'AVAILABLE' }],
          },
        },
      },
    });
  });
});
