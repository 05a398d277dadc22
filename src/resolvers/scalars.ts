import { GraphQLScalarType, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { badUserInput } from '../errors.js';
import { parseInstant } from './date-time.js';

const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

// ISO-8601 date-time with an explicit zone; normalised to UTC with milliseconds, as Freshchat expects.
function toDateTime(value: unknown): string {
  const time = typeof value === 'string' ? parseInstant(value) : null;
  if (time === null || Number.isNaN(time)) {
    // A well-formed instant that names a day or time that does not exist (2024-02-30T00:00:00Z) is
    // told as such: it has its zone already.
    if (typeof value === 'string' && WITH_ZONE.test(value)) {
      throw badUserInput('DateTime must be an instant that exists: that date or time is not in the calendar (e.g. 30 February)');
    }
    throw badUserInput('DateTime must be an ISO-8601 date-time with a zone, e.g. 2024-05-01T10:11:12.345Z');
  }
  return new Date(time).toISOString();
}

export const DateTime = new GraphQLScalarType<string | null, string>({
  name: 'DateTime',
  description: 'An instant as an ISO-8601 UTC string with milliseconds.',
  serialize: (value) => (typeof value === 'string' ? value : toDateTime(value)),
  parseValue: toDateTime,
  parseLiteral: (ast: ValueNode) => toDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

export const JSON = new GraphQLScalarType({
  name: 'JSON',
  description: "Arbitrary JSON: the provider's raw object.",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
