import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * typescript-eslint's type-aware recommended set: the rules that catch what asynchronous code breeds
 * (no-floating-promises, no-misused-promises, await-thenable, prefer-promise-reject-errors), values of
 * type `any` crossing a boundary (no-unsafe-*), and dead code (no-unused-vars). Turned off, each for
 * a reason below, are the few rules that fight how this code is written rather than find bugs in it.
 * Why a linter at all: docs/design.md#testing.
 */
export default defineConfig(
  { ignores: ['dist/', 'artifacts/', '.data/', 'coverage/', 'bench/report/', 'examples/', 'src/__generated__/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The scripts and this file are plain JavaScript outside tsconfig.json: checked with its options.
        projectService: { allowDefaultProject: ['eslint.config.js', 'scripts/*.mjs'], defaultProject: 'tsconfig.json' },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The compiler already refuses an undefined name, with the real globals of Node (@types/node).
      'no-undef': 'off',
      // `_`-named bindings are deliberately unused (an iteration count, a field left out of a copy).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // A rejection passes on what was caught or what an AbortSignal carries (`unknown`, `any`) unchanged.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // Async functions here implement Promise-returning interfaces (Apollo plugin hooks, stores),
      // some of which happen to need no await; the promise rules above catch the real mistakes.
      '@typescript-eslint/require-await': 'off',
      // Services are objects of closures built by createX factories, never of `this`-bound methods,
      // so passing `store.insert` along is safe; the rule cannot tell them from class methods.
      '@typescript-eslint/unbound-method': 'off',
      // Wire types name the values Freshchat is known to send beside `string` for the ones it may add.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      // graphql-js's enums are string enums, compared with their values as its own docs do.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // Beyond the recommended set: `return promise` inside try/catch skips the catch (and the
      // finally runs too early), the classic async bug; a switch over a union must cover it all.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (`expect.any(String)`) are typed `any` by vitest itself.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
