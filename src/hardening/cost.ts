import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type InlineFragmentNode,
  type FragmentSpreadNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE } from '../relay/connection.js';
import { listSizeOf, type ListSize } from './list-size.js';

/**
 * The estimated cost of an operation under the model a router's demand control applies to this
 * schema (Apollo "static estimated" cost, IBM GraphQL Cost Directives):
 * - every object, interface or union value costs 1, scalars and enums 0;
 * - a list multiplies its element's cost by its size: `@listSize` slicing arguments (`first`/`last`,
 *   literal or variable; the larger when both; the resolvers' default page of 20 when neither) size
 *   the connection's `sizedFields` (`edges`, `nodes`); a list without `@listSize` is as long as its
 *   longest list argument (`_entities(representations)`, `nodes(ids)`), else 1, since the only such
 *   lists here are value lists of one upstream object (emails, phones, custom fields);
 * - sibling fragments on different concrete types of an abstract parent cost the most expensive type,
 *   not their sum (a value has one type), so a router's multi-type `_entities` call is not overcharged.
 * Armor's own costLimit is not used: it reads only literal `first`/`last`, ignores `@listSize`,
 * `sizedFields` and variables, and charges scalars and depth, so its figure would disagree with the
 * router's for the same operation.
 */
export interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  /** Coerced variable values (`getVariableValues`). */
  variables: Readonly<Record<string, unknown>>;
  /** Sees every field selection with its argument values and `@listSize`, once per distinct fragment use. */
  onField?: (field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, listSize: ListSize | undefined) => void;
}

/** The size a `@listSize` connection's lists get under these arguments. */
export function sizeOf(listSize: ListSize, args: Record<string, unknown>): number {
  const given = listSize.slicingArguments.map((name) => args[name]).filter((v): v is number => typeof v === 'number');
  return given.length > 0 ? Math.max(...given) : (listSize.assumedSize ?? DEFAULT_PAGE);
}

interface Sizing {
  fields: readonly string[];
  size: number;
}

export function operationCost(input: CostInput): number {
  const root = input.schema.getRootType(input.operation.operation);
  return root ? new CostWalker(input).selectionSet(input.operation.selectionSet, root) : 0;
}

class CostWalker {
  // Fragments are costed once per sizing: a document that spreads fragments into fragments cannot
  // make this walk exponential (execution is separately bounded by Apollo's maxRecursiveSelections).
  private readonly memo = new Map<string, number>();

  constructor(private readonly input: CostInput) {}

  selectionSet(set: SelectionSetNode, parent: GraphQLCompositeType, sizing?: Sizing): number {
    let own = 0;
    const branches: { type: GraphQLCompositeType; cost: number }[] = [];
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) own += this.field(selection, parent, sizing);
      else branches.push(this.fragment(selection, parent, sizing));
    }
    return own + this.branchCost(parent, branches);
  }

  private branchCost(parent: GraphQLCompositeType, branches: { type: GraphQLCompositeType; cost: number }[]): number {
    if (!isAbstractType(parent)) return branches.reduce((sum, b) => sum + b.cost, 0);
    const { schema } = this.input;
    const applies = (branch: GraphQLCompositeType, type: GraphQLCompositeType) =>
      branch === type || branch === parent || (isAbstractType(branch) && isObjectType(type) && schema.isSubType(branch, type));
    const perType = schema.getPossibleTypes(parent).map((type) => branches.filter((b) => applies(b.type, type)).reduce((sum, b) => sum + b.cost, 0));
    return Math.max(0, ...perType);
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, sizing: Sizing | undefined): number {
    if (node.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) return 0;
    const field = parent.getFields()[node.name.value];
    if (!field) return 0;
    const args = this.argumentsOf(field, node);
    const listSize = listSizeOf(this.input.schema, parent, field);
    this.input.onField?.(field, args, listSize);
    const type = getNamedType(field.type);
    const inner = listSize && listSize.sizedFields.length > 0 ? { fields: listSize.sizedFields, size: sizeOf(listSize, args) } : undefined;
    const element = isCompositeType(type) ? 1 + (node.selectionSet ? this.selectionSet(node.selectionSet, type, inner) : 0) : 0;
    if (!isListType(getNullableType(field.type))) return element;
    return element * this.listLength(node.name.value, args, listSize, sizing);
  }

  private listLength(name: string, args: Record<string, unknown>, listSize: ListSize | undefined, sizing: Sizing | undefined): number {
    if (sizing?.fields.includes(name)) return sizing.size;
    if (listSize && listSize.sizedFields.length === 0) return sizeOf(listSize, args);
    const lengths = Object.values(args).map((v) => (Array.isArray(v) ? v.length : 0));
    return Math.max(1, ...lengths);
  }

  private fragment(node: InlineFragmentNode | FragmentSpreadNode, parent: GraphQLCompositeType, sizing: Sizing | undefined) {
    if (node.kind === Kind.INLINE_FRAGMENT) {
      const type = node.typeCondition ? this.typeNamed(node.typeCondition.name.value, parent) : parent;
      return { type, cost: this.selectionSet(node.selectionSet, type, sizing) };
    }
    const definition = this.input.fragments[node.name.value];
    if (!definition) return { type: parent, cost: 0 };
    const type = this.typeNamed(definition.typeCondition.name.value, parent);
    const key = `${node.name.value}:${sizing ? `${sizing.size}:${sizing.fields.join(',')}` : '-'}`;
    let cost = this.memo.get(key);
    if (cost === undefined) {
      cost = this.selectionSet(definition.selectionSet, type, sizing);
      this.memo.set(key, cost);
    }
    return { type, cost };
  }

  private typeNamed(name: string, fallback: GraphQLCompositeType): GraphQLCompositeType {
    const type = this.input.schema.getType(name);
    return type && isCompositeType(type) ? type : fallback;
  }

  // Values that do not coerce are left to execution, which rejects them before any resolver runs.
  private argumentsOf(field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
    try {
      return getArgumentValues(field, node, this.input.variables);
    } catch (error) {
      if (error instanceof GraphQLError) return {};
      throw error;
    }
  }
}
