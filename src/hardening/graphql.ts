/**
 * graphql-js for the modules that inspect schema objects (`isObjectType`, `getVariableValues`, …).
 *
 * The schema comes from @apollo/subgraph, which `require`s graphql's CommonJS build. Under Node,
 * `import 'graphql'` resolves to that same build, but Vite (vitest) follows graphql's `module` field
 * to `index.mjs`: a second instance, whose `instanceof` checks reject the first one's types ("Cannot
 * use GraphQLObjectType from another module or realm"). The explicit `graphql/index.js` is the
 * CommonJS build under both, so checks made here hold in tests exactly as in production.
 */
export {
  GraphQLError,
  Kind,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  isUnionType,
  valueFromASTUntyped,
} from 'graphql/index.js';
export type {
  ConstDirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  FragmentSpreadNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLSchema,
  InlineFragmentNode,
  OperationDefinitionNode,
  ParseOptions,
  SelectionSetNode,
  ValidationRule,
} from 'graphql/index.js';
