import { GraphQLError } from 'graphql';

/** The GraphQLError `fn` throws; fails the test when it throws nothing or something else. */
export function errorOf(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected a GraphQLError');
}
