import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ParseOptions, ValidationRule } from 'graphql';
import type { OperationLimits } from '../config.js';
import { operationBudgetPlugin } from './budget.js';
import { limitError, type LimitName } from './limit-error.js';
import { SupportedOperationTypes } from './operation-types.js';
import { variablesPlugin } from './variables.js';

// The callback part of an armor protection's options (the types package is not a direct dependency).
type ArmorCallbacks = Pick<NonNullable<NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>['maxDepth']>, 'onReject' | 'propagateOnRejection'>;

export interface OperationLimitOptions<TContext extends BaseContext> {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<TContext>[];
  parseOptions: ParseOptions;
}

/**
 * Every operation limit, as Apollo Server options. Shape limits (depth, aliases, directives) are
 * GraphQL Armor validation rules; tokens use graphql-js's own parser limit; page sizes, `_entities`
 * representations and cost are checked per request before execution (budget.ts). Defaults and the
 * measured depth of router-generated operations are in docs/hardening.md.
 */
export function createOperationLimits<TContext extends BaseContext>(limits: OperationLimits): OperationLimitOptions<TContext> {
  const armor = new ApolloArmor({
    // Field nesting only: a router wraps entity selections in `... on Type` fragments, which would
    // otherwise add a level the client never wrote.
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...reportAs('depth', limits.maxDepth) },
    maxAliases: { n: limits.maxAliases, ...reportAs('aliases', limits.maxAliases) },
    maxDirectives: { n: limits.maxDirectives, ...reportAs('directives', limits.maxDirectives) },
    // Replaced by operation-walk.ts: armor's model ignores @listSize and variables (see there).
    costLimit: { enabled: false },
    // Armor's Apollo token plugin throws from `parsingDidStart`, outside Apollo's parse error
    // handling, so the client gets HTTP 500; graphql-js's `maxTokens` parse option gives a 400
    // GRAPHQL_PARSE_FAILED instead.
    maxTokens: { enabled: false },
    // Apollo's hideSchemaDetailsFromClientErrors and formatError strip suggestions (format-error.ts).
    blockFieldSuggestion: { enabled: false },
  });
  const { validationRules } = armor.protect();
  return {
    validationRules: [SupportedOperationTypes, ...validationRules],
    plugins: [variablesPlugin<TContext>(), operationBudgetPlugin<TContext>(limits)],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

/**
 * Reports a rejection as a typed error on the validation context instead of armor's default, which
 * carries only a code, and whose message starts with a misleading "Syntax Error:".
 */
function reportAs(limit: LimitName, max: number): ArmorCallbacks {
  return {
    propagateOnRejection: false,
    onReject: [(context, error) => context?.reportError(limitError(error.message.replace(/^Syntax Error: /, ''), limit, max))],
  };
}
