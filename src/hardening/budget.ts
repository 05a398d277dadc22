import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  Kind,
  getVariableValues,
  isUnionType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { MAX_PAGE, isPageSize, pageSizeProblem } from '../relay/connection.js';
import { inputError, limitError } from './limit-error.js';
import type { ListSize } from './list-size.js';
import { walkOperation } from './operation-walk.js';
import { declaredVariables } from './variables.js';

export interface BudgetLimits {
  maxCost: number;
  maxRepresentations: number;
  maxUpstreamCalls: number;
  upstreamPageSize: number;
}

/** `nodes(ids:)` takes at most this many ids (docs/design.md#the-upstream-call-budget): part of the contract, like MAX_PAGE. */
export const MAX_NODE_IDS = 100;

/**
 * Page sizes, `_entities` representations, `nodes` ids, cost and upstream calls, checked in
 * `didResolveOperation`: after validation and before execution, so a rejected operation runs no
 * resolver and calls no upstream. Not validation rules, because all of them depend on variable
 * values, which validation never sees (and Apollo caches a validated document by hash, so a rule
 * would not even run for new variables).
 */
export function operationBudgetPlugin<TContext extends BaseContext>(limits: BudgetLimits): ApolloServerPlugin<TContext> {
  const passed = new WeakMap<DocumentNode, Set<string>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (operation) checkOnce(passed, { schema, document, operation, variables: request.variables }, limits);
        },
      };
    },
  };
}

/**
 * Apollo hands the same DocumentNode to every request of a query string it has cached, so an
 * operation that passed with the same variables passes again: its cost, page sizes and call estimate
 * are functions of (document, operation, variables, schema, limits) only. Only passes are kept (a
 * rejection recomputes and throws a fresh error); per plugin (one server's schema and limits), bounded
 * per document, dropped with the document.
 */
const MAX_PASSED_PER_DOCUMENT = 256;

function checkOnce(cache: WeakMap<DocumentNode, Set<string>>, input: BudgetInput, limits: BudgetLimits): void {
  // Without declared variables (the variables plugin dropped the rest) the operation alone decides.
  const declares = (input.operation.variableDefinitions?.length ?? 0) > 0;
  const key = `${input.operation.name?.value ?? ''}\u0000${declares ? JSON.stringify(input.variables ?? {}) : ''}`;
  let passed = cache.get(input.document);
  if (passed?.has(key)) return;
  checkOperationBudget(input, limits);
  if (passed === undefined) cache.set(input.document, (passed = new Set()));
  if (passed.size >= MAX_PASSED_PER_DOCUMENT) passed.clear();
  passed.add(key);
}

export interface BudgetInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Readonly<Record<string, unknown>> | undefined;
}

/** Throws the first limit error of the operation, if any. */
export function checkOperationBudget(input: BudgetInput, limits: BudgetLimits): void {
  const coerced = getVariableValues(input.schema, input.operation.variableDefinitions ?? [], declaredVariables(input.operation, input.variables), { maxErrors: 1 });
  // Variables that do not coerce are rejected by execution (BAD_USER_INPUT) before any resolver runs.
  if ('errors' in coerced) return;
  // One walk gives both figures; the argument checks run on the way, so the first bad one is thrown.
  const { cost, upstreamCalls: calls } = walkOperation({
    schema: input.schema,
    operation: input.operation,
    fragments: fragmentsOf(input.document),
    variables: coerced.coerced,
    pageSize: limits.upstreamPageSize,
    onField: (field, args, listSize) => {
      checkPageSizes(args, listSize);
      if (field.name === '_entities') checkRepresentations(input.schema, args.representations, limits);
      if (Array.isArray(args.ids)) checkNodeIds(args.ids);
    },
  });
  if (cost > limits.maxCost) {
    throw limitError(`Query cost limit of ${limits.maxCost} exceeded, found ${cost}.`, 'cost', limits.maxCost, { extensions: { cost } });
  }
  if (calls > limits.maxUpstreamCalls) {
    const message = `Upstream call limit of ${limits.maxUpstreamCalls} per request exceeded: this operation may make ${calls} Freshchat calls.`;
    throw limitError(message, 'upstreamCalls', limits.maxUpstreamCalls, { extensions: { upstreamCalls: calls } });
  }
}

// Relay's `nodes(ids:)` keeps its shape `[Node]!` (null per unknown id); only the list length is capped.
function checkNodeIds(ids: readonly unknown[]): void {
  if (ids.length <= MAX_NODE_IDS) return;
  const message = `\`nodes\` takes at most ${MAX_NODE_IDS} ids; got ${ids.length}.`;
  throw limitError(message, 'ids', MAX_NODE_IDS, { code: 'BAD_USER_INPUT', extensions: { argument: 'ids' } });
}

// The resolvers' own rule and message (relay/connection.ts), only earlier.
function checkPageSizes(args: Record<string, unknown>, listSize: ListSize | undefined): void {
  for (const argument of listSize?.slicingArguments ?? []) {
    const value = args[argument];
    if (value != null && !isPageSize(value)) {
      throw limitError(pageSizeProblem(argument, value), 'pageSize', MAX_PAGE, {
        code: 'BAD_USER_INPUT',
        extensions: { argument, min: 0 },
      });
    }
  }
}

/**
 * At most `maxRepresentations`, each a member of `_Entity` with a string `id` (every entity here is
 * `@key(fields: "id")`). @apollo/subgraph answers an unknown `__typename` with an error without a
 * code, and a missing id would fail in the reference resolver: both would reach the client as
 * internal errors instead of the client's own BAD_USER_INPUT.
 */
function checkRepresentations(schema: GraphQLSchema, representations: unknown, limits: BudgetLimits): void {
  if (!Array.isArray(representations)) return;
  if (representations.length > limits.maxRepresentations) {
    const message = `\`_entities\` takes at most ${limits.maxRepresentations} representations; got ${representations.length}.`;
    throw limitError(message, 'representations', limits.maxRepresentations, { code: 'BAD_USER_INPUT', extensions: { argument: 'representations' } });
  }
  const entity = schema.getType('_Entity');
  const entityTypes = new Set(entity && isUnionType(entity) ? entity.getTypes().map((t) => t.name) : []);
  const isReference = (r: unknown) => {
    const { __typename, id } = (typeof r === 'object' && r !== null ? r : {}) as { __typename?: unknown; id?: unknown };
    return typeof __typename === 'string' && entityTypes.has(__typename) && typeof id === 'string';
  };
  const index = representations.findIndex((r) => !isReference(r));
  if (index >= 0) {
    throw inputError(`\`representations[${index}]\` is not a reference to an entity of this subgraph ({ __typename, id }).`, {
      argument: 'representations',
      index,
    });
  }
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}
