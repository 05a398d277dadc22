import { plugin } from '@graphql-codegen/fragment-matcher';
import type { GraphQLSchema } from 'graphql';

/** Apollo Client's `possibleTypes`: every interface and union mapped to its concrete types. */
export type PossibleTypes = Record<string, string[]>;

/**
 * `possibleTypes` from the composed API schema with GraphQL Code Generator's fragment-matcher, never by
 * hand: a helpdesk that adds a `TicketingUser` type changes the schema, and this follows.
 */
export async function possibleTypesOf(apiSchema: GraphQLSchema): Promise<PossibleTypes> {
  const output = await plugin(apiSchema, [], { deterministic: true }, { outputFile: 'possible-types.json' });
  const json = typeof output === 'string' ? output : output.content;
  return (JSON.parse(json) as { possibleTypes: PossibleTypes }).possibleTypes;
}
