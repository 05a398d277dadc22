/**
 * Stand-in for `graphql` from `react-relay`: the compiler only reads the tagged templates, so the
 * examples need no React to be validated.
 */
export const graphql = (strings: TemplateStringsArray): string => strings.join('');
