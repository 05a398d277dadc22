import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One graphql-js in tests, as in production: @apollo/* `require` graphql's CommonJS build, while
    // Vite would follow graphql's `module` field to index.mjs — a second instance whose instanceof
    // checks reject the first one's types ("Cannot use GraphQLObjectType from another module or realm").
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each file starts its own sandbox on an ephemeral loopback port, so files can run in parallel.
    pool: 'forks',
  },
});
