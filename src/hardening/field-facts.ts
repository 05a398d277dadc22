import { isInterfaceType, type GraphQLCompositeType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { DEFAULT_PAGE } from '../relay/connection.js';
import type { Args, FieldRule } from './demand.js';
import { listSizeOf, type ListSize } from './list-size.js';
import { ruleOf } from './upstream-rules.js';

/** What the operation walk needs to know of a schema field, whatever the operation. */
export interface FieldFacts {
  listSize: ListSize | undefined;
  /** Its upstream-call rule; on an interface, that of the Freshchat type implementing it. */
  rule: FieldRule | undefined;
}

/** The lists inside a connection's value (`edges`, `nodes`) and how long they are. */
export interface Sizing {
  fields: readonly string[];
  size: number;
}

type AnyField = GraphQLField<unknown, unknown>;

// Keyed by the field object, which belongs to one type of one schema.
const facts = new WeakMap<AnyField, FieldFacts>();

export function fieldFacts(schema: GraphQLSchema, parent: GraphQLCompositeType, field: AnyField): FieldFacts {
  let found = facts.get(field);
  if (found === undefined) {
    const types = isInterfaceType(parent) ? schema.getPossibleTypes(parent) : [parent];
    const rule = types.map((type) => ruleOf(type.name, field.name)).find((r) => r !== undefined);
    found = { listSize: listSizeOf(schema, parent, field), rule };
    facts.set(field, found);
  }
  return found;
}

/** The size a `@listSize` connection's lists get under these arguments. */
export function sizeOf(listSize: ListSize, args: Args): number {
  const given = listSize.slicingArguments.map((name) => args[name]).filter((v): v is number => typeof v === 'number');
  return given.length > 0 ? Math.max(...given) : (listSize.assumedSize ?? DEFAULT_PAGE);
}
