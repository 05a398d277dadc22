import {
  isInterfaceType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';

/**
 * The `@listSize` demand-control directive (federation v2.9+) as the schema declares it on connection
 * fields: `slicingArguments` size the list, `sizedFields` name the lists inside the returned object
 * (`edges`, `nodes`) that the size applies to, `assumedSize` is the size when no argument is given.
 */
export interface ListSize {
  slicingArguments: readonly string[];
  sizedFields: readonly string[];
  assumedSize: number | undefined;
}

type AnyField = GraphQLField<unknown, unknown>;

const cache = new WeakMap<AnyField, ListSize | null>();

/**
 * The `@listSize` of `field` on `parent`. An interface field borrows it from an implementation: the
 * helpdesk contract carries no federation directives (docs/design.md#the-helpdesk-contract), so `Group.members` reached through
 * `edges { node { members } }` would otherwise look unsized and cost 1 instead of a page.
 */
export function listSizeOf(schema: GraphQLSchema, parent: GraphQLCompositeType, field: AnyField): ListSize | undefined {
  const own = declaredListSize(field);
  if (own || !isInterfaceType(parent)) return own;
  for (const implementation of schema.getPossibleTypes(parent)) {
    const borrowed = implementation.getFields()[field.name];
    const size = borrowed && declaredListSize(borrowed);
    if (size) return size;
  }
  return undefined;
}

function declaredListSize(field: AnyField): ListSize | undefined {
  let size = cache.get(field);
  if (size === undefined) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'listSize' || d.name.value === 'federation__listSize');
    size = directive ? fromDirective(directive) : null;
    cache.set(field, size);
  }
  return size ?? undefined;
}

function fromDirective(directive: ConstDirectiveNode): ListSize {
  const argument = (name: string): unknown => {
    const node = directive.arguments?.find((a) => a.name.value === name);
    return node ? valueFromASTUntyped(node.value) : undefined;
  };
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  const assumed = argument('assumedSize');
  return {
    slicingArguments: strings(argument('slicingArguments')),
    sizedFields: strings(argument('sizedFields')),
    assumedSize: typeof assumed === 'number' ? assumed : undefined,
  };
}
