import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { sizeOf } from './cost.js';
import { listSizeOf } from './list-size.js';
import { RULES, type Args, type Instances } from './upstream-rules.js';

/**
 * How many Freshchat calls an operation may make (docs/design.md#the-upstream-call-budget), estimated before execution so that
 * MAX_UPSTREAM_CALLS_PER_REQUEST refuses it before the first one. Per field, times the objects it is
 * selected on (connection pages multiply through `@listSize`, as in cost.ts):
 * - a paged list (`users`, `ticketingUsers`, `Group.members`): its pages at UPSTREAM_PAGE_SIZE, one
 *   more when a cursor may start the window mid-page, one more for `last` alone (page 1 tells the total);
 * - a lookup (`user`, `ticketingUser`), and each distinct agent or contact id of `node`, `nodes` and
 *   `_entities`: one call (their worst case: DataLoader batches them into single GETs or a walk);
 * - the groups and roles catalogs, and the agent walk behind `Role.members`: one call per catalog and
 *   `freshchat` field, however many fields join against it. A catalog longer than one page costs more
 *   at run time, which the runtime ceiling (call-ceiling.ts) enforces.
 * The estimate is an upper bound otherwise: it does not credit DataLoader's dedupe of equal pages
 * under two aliases, nor ids that turn out foreign.
 */
export interface EstimateInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  /** Coerced variable values (`getVariableValues`). */
  variables: Readonly<Record<string, unknown>>;
  /** UPSTREAM_PAGE_SIZE. */
  pageSize: number;
}

export function estimateUpstreamCalls(input: EstimateInput): number {
  const root = input.schema.getRootType(input.operation.operation);
  if (!root) return 0;
  const demand = new Estimator(input).selectionSet(input.operation.selectionSet, root, { total: 1 }, '');
  return demand.calls + demand.catalogs.size;
}

/** Calls, and the catalogs read (keyed by the `freshchat` field they are read under). */
interface Demand {
  calls: number;
  catalogs: Set<string>;
}

interface Sizing {
  fields: readonly string[];
  size: number;
}

const none = (): Demand => ({ calls: 0, catalogs: new Set() });

function add(into: Demand, more: Demand): Demand {
  into.calls += more.calls;
  for (const key of more.catalogs) into.catalogs.add(key);
  return into;
}

class Estimator {
  // A fragment is walked once per (type, objects, scope, sizing), so nested spreads stay linear.
  private readonly memo = new Map<string, Demand>();

  constructor(private readonly input: EstimateInput) {}

  selectionSet(set: SelectionSetNode, parent: GraphQLCompositeType, instances: Instances, scope: string, sizing?: Sizing): Demand {
    const demand = none();
    if (instances.total === 0) return demand;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) add(demand, this.field(selection, parent, instances, scope, sizing));
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.typeNamed(selection.typeCondition.name.value, parent) : parent;
        add(demand, this.selectionSet(selection.selectionSet, type, narrow(this.input.schema, instances, type), scope, sizing));
      } else add(demand, this.spread(selection.name.value, parent, instances, scope, sizing));
    }
    return demand;
  }

  private spread(name: string, parent: GraphQLCompositeType, instances: Instances, scope: string, sizing?: Sizing): Demand {
    const definition = this.input.fragments[name];
    if (!definition) return none();
    const type = this.typeNamed(definition.typeCondition.name.value, parent);
    const narrowed = narrow(this.input.schema, instances, type);
    const key = JSON.stringify([name, type.name, narrowed.total, [...(narrowed.byType ?? [])], scope, sizing ?? null]);
    let demand = this.memo.get(key);
    if (demand === undefined) {
      demand = this.selectionSet(definition.selectionSet, type, narrowed, scope, sizing);
      this.memo.set(key, demand);
    }
    return demand;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, instances: Instances, scope: string, sizing: Sizing | undefined): Demand {
    if (node.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) return none();
    const field = parent.getFields()[node.name.value];
    if (!field) return none();
    const args = this.argumentsOf(field, node);
    const own = this.rule(parent, field.name)?.(args, this.input.pageSize) ?? {};
    const count = instances.total * (sizing?.fields.includes(field.name) ? sizing.size : 1);
    const childScope = parent.name === 'Query' && field.name === 'freshchat' ? `freshchat:${node.alias?.value ?? field.name}` : scope;
    const demand: Demand = { calls: count * (own.calls ?? 0), catalogs: new Set((own.catalogs ?? []).map((c) => `${childScope}:${c}`)) };
    const type = getNamedType(field.type);
    if (!node.selectionSet || !isCompositeType(type)) return demand;
    const listSize = listSizeOf(this.input.schema, parent, field);
    const inner = listSize && listSize.sizedFields.length > 0 ? { fields: listSize.sizedFields, size: sizeOf(listSize, args) } : undefined;
    const children = scale(own.children ?? { total: 1 }, count);
    return add(demand, this.selectionSet(node.selectionSet, type, children, childScope, inner));
  }

  /** The rule of `parent.field`; on an interface, that of the Freshchat type implementing it. */
  private rule(parent: GraphQLCompositeType, field: string) {
    const types = isInterfaceType(parent) ? this.input.schema.getPossibleTypes(parent) : [parent];
    return types.map((type) => RULES[`${type.name}.${field}`]).find((rule) => rule !== undefined);
  }

  private typeNamed(name: string, fallback: GraphQLCompositeType): GraphQLCompositeType {
    const type = this.input.schema.getType(name);
    return type && isCompositeType(type) ? type : fallback;
  }

  // Values that do not coerce are left to execution, which rejects them before any resolver runs.
  private argumentsOf(field: GraphQLField<unknown, unknown>, node: FieldNode): Args {
    try {
      return getArgumentValues(field, node, this.input.variables);
    } catch (error) {
      if (error instanceof GraphQLError) return {};
      throw error;
    }
  }
}

function scale(instances: Instances, factor: number): Instances {
  if (factor === 1) return instances;
  const byType = instances.byType && new Map([...instances.byType].map(([name, n]) => [name, n * factor]));
  return byType ? { total: instances.total * factor, byType } : { total: instances.total * factor };
}

/** The objects a fragment on `type` applies to. */
function narrow(schema: GraphQLSchema, instances: Instances, type: GraphQLCompositeType): Instances {
  if (!instances.byType) return instances;
  const names = isAbstractType(type) ? schema.getPossibleTypes(type).map((t) => t.name) : [type.name];
  const byType = new Map([...instances.byType].filter(([name]) => names.includes(name)));
  return { total: [...byType.values()].reduce((a, b) => a + b, 0), byType };
}
