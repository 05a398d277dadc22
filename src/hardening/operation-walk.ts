import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { addFigures, narrow, noFigures, scale, type Args, type Figures, type Instances } from './demand.js';
import { fieldFacts, sizeOf, type Sizing } from './field-facts.js';
import type { ListSize } from './list-size.js';

export interface WalkInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  /** Coerced variable values (`getVariableValues`). */
  variables: Readonly<Record<string, unknown>>;
  /** UPSTREAM_PAGE_SIZE. */
  pageSize: number;
  /** Sees every field selection with its argument values and `@listSize`, once per distinct fragment use. */
  onField?: (field: GraphQLField<unknown, unknown>, args: Args, listSize: ListSize | undefined) => void;
}

/** Both figures the budget check limits, from one pass over the operation. */
export interface OperationFigures {
  /** The estimated cost under the schema's `@listSize` model (MAX_QUERY_COST). */
  cost: number;
  /** The Freshchat calls the operation may make (MAX_UPSTREAM_CALLS_PER_REQUEST). */
  upstreamCalls: number;
}

/**
 * One walk over an operation yields its cost and its upstream-call estimate, reading each field's
 * arguments, `@listSize` and rule once (docs/hardening.md#operation-limits). A pure function of the
 * document, the variables and tables derived from the schema, so its result may be cached per
 * document and variables.
 *
 * Cost, as a router's demand control computes it (Apollo "static estimated" cost, IBM GraphQL Cost
 * Directives): an object, interface or union value costs 1, scalars and enums 0; a list multiplies
 * its element by its size (`@listSize` slicing arguments size the `sizedFields`; a list without it
 * is as long as its longest list argument, else 1); sibling fragments on different concrete types of
 * an abstract parent cost the dearest type, not their sum (a value has one type).
 *
 * Upstream calls: per field, its rule (upstream-rules.ts) times the objects it is selected on
 * (connection pages multiply through `@listSize`; `node`, `nodes` and `_entities` say how many
 * objects of each type they return); catalogs count once per `freshchat` field. An upper bound: it
 * does not credit DataLoader's dedupe of equal pages under two aliases, nor ids that turn out foreign.
 */
export function walkOperation(input: WalkInput): OperationFigures {
  const root = input.schema.getRootType(input.operation.operation);
  if (!root) return { cost: 0, upstreamCalls: 0 };
  const figures = new Walker(input).selectionSet(input.operation.selectionSet, root, { total: 1 }, '');
  return { cost: figures.cost, upstreamCalls: figures.calls + figures.catalogs.size };
}

class Walker {
  // A fragment is walked once per (type, objects, scope, sizing): a document that spreads fragments
  // into fragments cannot make the walk exponential (execution is bounded by Apollo separately).
  private readonly memo = new Map<string, Figures>();

  constructor(private readonly input: WalkInput) {}

  selectionSet(set: SelectionSetNode, parent: GraphQLCompositeType, instances: Instances, scope: string, sizing?: Sizing): Figures {
    const figures = noFigures();
    const branches: { type: GraphQLCompositeType; cost: number }[] = [];
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        addFigures(figures, this.field(selection, parent, instances, scope, sizing));
        continue;
      }
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT
          ? this.inline(selection.typeCondition?.name.value, selection.selectionSet, parent, instances, scope, sizing)
          : this.spread(selection.name.value, parent, instances, scope, sizing);
      if (!fragment) continue;
      branches.push({ type: fragment.type, cost: fragment.figures.cost });
      addFigures(figures, { ...fragment.figures, cost: 0 });
    }
    figures.cost += this.branchCost(parent, branches);
    return figures;
  }

  private inline(condition: string | undefined, set: SelectionSetNode, parent: GraphQLCompositeType, instances: Instances, scope: string, sizing?: Sizing) {
    const type = condition ? this.typeNamed(condition, parent) : parent;
    return { type, figures: this.selectionSet(set, type, narrow(this.input.schema, instances, type), scope, sizing) };
  }

  private spread(name: string, parent: GraphQLCompositeType, instances: Instances, scope: string, sizing?: Sizing) {
    const definition = this.input.fragments[name];
    if (!definition) return undefined;
    const type = this.typeNamed(definition.typeCondition.name.value, parent);
    const narrowed = narrow(this.input.schema, instances, type);
    const key = JSON.stringify([name, type.name, narrowed.total, [...(narrowed.byType ?? [])], scope, sizing ?? null]);
    let figures = this.memo.get(key);
    if (figures === undefined) {
      figures = this.selectionSet(definition.selectionSet, type, narrowed, scope, sizing);
      this.memo.set(key, figures);
    }
    return { type, figures };
  }

  /** Fragments on an abstract parent: per possible type the fragments that apply to it add up; the dearest type counts. */
  private branchCost(parent: GraphQLCompositeType, branches: { type: GraphQLCompositeType; cost: number }[]): number {
    if (!isAbstractType(parent)) return branches.reduce((sum, b) => sum + b.cost, 0);
    const { schema } = this.input;
    const applies = (branch: GraphQLCompositeType, type: GraphQLCompositeType) =>
      branch === type || branch === parent || (isAbstractType(branch) && isObjectType(type) && schema.isSubType(branch, type));
    const perType = schema.getPossibleTypes(parent).map((type) => branches.filter((b) => applies(b.type, type)).reduce((sum, b) => sum + b.cost, 0));
    return Math.max(0, ...perType);
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, instances: Instances, scope: string, sizing: Sizing | undefined): Figures {
    if (node.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) return noFigures();
    const field = parent.getFields()[node.name.value];
    if (!field) return noFigures();
    const args = this.argumentsOf(field, node);
    const facts = fieldFacts(this.input.schema, parent, field);
    this.input.onField?.(field, args, facts.listSize);
    const own = facts.rule?.(args, this.input.pageSize) ?? {};
    // Objects this field is selected on: a connection's `edges`/`nodes` once per edge of its page.
    const count = instances.total * (sizing?.fields.includes(field.name) ? sizing.size : 1);
    const childScope = parent.name === 'Query' && field.name === 'freshchat' ? `freshchat:${node.alias?.value ?? field.name}` : scope;
    const figures: Figures = { cost: 0, calls: count * (own.calls ?? 0), catalogs: new Set(count > 0 ? (own.catalogs ?? []).map((c) => `${childScope}:${c}`) : []) };
    const type = getNamedType(field.type);
    if (!isCompositeType(type)) return figures;
    const inner = facts.listSize && facts.listSize.sizedFields.length > 0 ? { fields: facts.listSize.sizedFields, size: sizeOf(facts.listSize, args) } : undefined;
    const children = node.selectionSet ? this.selectionSet(node.selectionSet, type, scale(own.children ?? { total: 1 }, count), childScope, inner) : noFigures();
    const element = 1 + children.cost;
    figures.cost = isListType(getNullableType(field.type)) ? element * this.listLength(field.name, args, facts.listSize, sizing) : element;
    return addFigures(figures, { ...children, cost: 0 });
  }

  private listLength(name: string, args: Args, listSize: ListSize | undefined, sizing: Sizing | undefined): number {
    if (sizing?.fields.includes(name)) return sizing.size;
    if (listSize && listSize.sizedFields.length === 0) return sizeOf(listSize, args);
    const lengths = Object.values(args).map((v) => (Array.isArray(v) ? v.length : 0));
    return Math.max(1, ...lengths);
  }

  private typeNamed(name: string, fallback: GraphQLCompositeType): GraphQLCompositeType {
    const type = this.input.schema.getType(name);
    return type && isCompositeType(type) ? type : fallback;
  }

  // Values that do not coerce are left to execution, which rejects them before any resolver runs.
  private argumentsOf(field: GraphQLField<unknown, unknown>, node: FieldNode): Args {
    try {
      return getArgumentValues(field, node, this.input.variables as Args);
    } catch (error) {
      if (error instanceof GraphQLError) return {};
      throw error;
    }
  }
}
