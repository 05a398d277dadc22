import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan, type SubscriptionNode } from '@apollo/query-planner';
import { parse } from 'graphql';

/** One fetch of a query plan: which subgraph, and for `_entities` fetches, the entity types sent. */
export interface PlannedFetch {
  subgraph: string;
  /** Typenames of the representations (`requires`); empty for a root fetch. */
  entityTypes: string[];
}

/** Plans operations exactly as the gateway would for `supergraphSdl`. */
export function createPlanner(supergraphSdl: string): (query: string) => QueryPlan {
  const supergraph = Supergraph.build(supergraphSdl);
  const planner = new QueryPlanner(supergraph);
  return (query) => planner.buildQueryPlan(operationFromDocument(supergraph.schema, parse(query), { validate: true }));
}

/** Every fetch of a plan, in plan order. */
export function fetchesOf(plan: QueryPlan): PlannedFetch[] {
  return plan.node ? collect(plan.node) : [];
}

function collect(node: PlanNode | SubscriptionNode): PlannedFetch[] {
  switch (node.kind) {
    case 'Fetch':
      return [toPlannedFetch(node)];
    case 'Sequence':
    case 'Parallel':
      return node.nodes.flatMap(collect);
    case 'Flatten':
      return collect(node.node);
    case 'Condition':
      return [node.ifClause, node.elseClause].flatMap((branch) => (branch ? collect(branch) : []));
    case 'Defer':
      return [node.primary.node, ...node.deferred.map((d) => d.node)].flatMap((n) => (n ? collect(n) : []));
    case 'Subscription':
      return [toPlannedFetch(node.primary), ...(node.rest ? collect(node.rest) : [])];
  }
}

function toPlannedFetch(fetch: FetchNode): PlannedFetch {
  const entityTypes = (fetch.requires ?? []).flatMap((selection) =>
    selection.kind === 'InlineFragment' && selection.typeCondition ? [selection.typeCondition] : [],
  );
  return { subgraph: fetch.serviceName, entityTypes };
}

export interface GraphQLResult<T> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/** POSTs one operation as a client would (loopback HTTP, JSON). */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLResult<T>;
}

export { readUntil } from '../support/process.js';
