import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each file starts its own sandbox on an ephemeral loopback port, so files can run in parallel.
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
