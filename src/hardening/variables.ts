import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import { limitError } from './limit-error.js';

/**
 * Values a request's `variables` may hold, nested ones included. Far above what any operation here
 * needs (500 entity representations of a few keys each), far below what makes walking them costly.
 */
export const MAX_VARIABLE_VALUES = 10_000;

/** Counts the values in `variables`, stopping as soon as `max` is passed. */
export function countValues(variables: unknown, max: number): number {
  let count = 0;
  const stack: unknown[] = [variables];
  while (stack.length > 0 && count <= max) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      count += 1;
      if (count > max) break;
      stack.push(child);
    }
  }
  return count;
}

/** The variables the operation declares, and only those: nothing else is ever read or copied. */
export function declaredVariables(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const declared: Record<string, unknown> = {};
  if (variables === undefined) return declared;
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (Object.hasOwn(variables, name)) declared[name] = variables[name];
  }
  return declared;
}

/**
 * Bounds `variables` (too many values: 400 before execution) and drops the undeclared
 * ones before execution, so a body of 100,000 unused keys costs one count, not a copy per step.
 */
export function variablesPlugin<TContext extends BaseContext>(max = MAX_VARIABLE_VALUES): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        // Registered before the budget plugin: Apollo calls these hooks in order, and the budget
        // check must see the declared variables only.
        async didResolveOperation({ operation, request }) {
          if (countValues(request.variables, max) > max) {
            throw limitError(`Request variables hold more than ${max} values.`, 'variables', max, { code: 'BAD_USER_INPUT' });
          }
          if (operation) request.variables = declaredVariables(operation, request.variables);
        },
      };
    },
  };
}
