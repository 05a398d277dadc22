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
    // Bounds for a hang, not speed checks (those are the benchmark's): many tests start a child
    // process or a database, which on a loaded 2-core CI machine can take tens of seconds.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // Each file starts its own sandbox on an ephemeral loopback port, so files can run in parallel.
    pool: 'forks',
  },
});
