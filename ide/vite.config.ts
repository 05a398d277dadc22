import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { readmeExamples } from './readme-examples.js';

/**
 * The GraphQL IDE (GraphiQL with React, bundled with its Monaco workers) built into dist/ide/, which
 * the server serves in development at GET /graphql (HTML) and /graphql-ide/ (assets). Nothing is
 * loaded from anywhere else, so it works offline. `npm run build:ide`; `npm start` builds it when
 * dev dependencies are installed and a source (or the README, for its examples) is newer.
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

export default defineConfig({
  root,
  base: '/graphql-ide/',
  logLevel: 'warn',
  define: { __README_EXAMPLES__: JSON.stringify(readmeExamples(readme)) },
  esbuild: { jsx: 'automatic' },
  worker: { format: 'es' },
  build: {
    rollupOptions: {
      // framer-motion's "use client" directives mean nothing outside React Server Components.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
    outDir: fileURLToPath(new URL('../dist/ide/', import.meta.url)),
    emptyOutDir: true,
    // Monaco is large; one page for developers, served from loopback.
    chunkSizeWarningLimit: 8_000,
    reportCompressedSize: false,
  },
});
