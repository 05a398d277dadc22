import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * A `mutation` or `subscription` the schema has no root type for is a client error found at
 * validation (HTTP 400 GRAPHQL_VALIDATION_FAILED), not an execution failure: graphql-js's execute
 * would throw "Schema is not configured to execute …", which Apollo answers as a 200 internal error
 * with an error-level log line for each one.
 */
export const SupportedOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    const schema = context.getSchema();
    const root = node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    if (!root) {
      context.reportError(new GraphQLError(`This subgraph does not support ${node.operation} operations.`, { nodes: [node] }));
    }
  },
});
