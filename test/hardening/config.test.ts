import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

// The hardening settings of src/config.ts: defaults, production switch, validation, .env.example.
const SETTINGS = {
  MAX_REQUEST_BYTES: 2_000_000,
  MAX_QUERY_TOKENS: 5_000,
  MAX_QUERY_DEPTH: 12,
  MAX_QUERY_ALIASES: 30,
  MAX_QUERY_DIRECTIVES: 50,
  MAX_QUERY_COST: 50_000,
  MAX_ENTITY_REPRESENTATIONS: 500,
  MAX_UPSTREAM_CALLS_PER_REQUEST: 100,
  MAX_CURSOR_OFFSET: 1_000_000,
};

describe('hardening settings', () => {
  it('defaults to the limits docs/hardening.md documents', () => {
    expect(loadConfig({}).hardening).toEqual({
      introspection: true,
      maxRequestBytes: 2_000_000,
      maxCursorOffset: 1_000_000,
      limits: {
        maxTokens: 5_000,
        maxDepth: 12,
        maxAliases: 30,
        maxDirectives: 50,
        maxCost: 50_000,
        maxRepresentations: 500,
        maxUpstreamCalls: 100,
        upstreamPageSize: 50,
      },
    });
  });

  it.each<[Record<string, string>, boolean]>([
    [{ NODE_ENV: 'production' }, false],
    [{ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }, true],
    [{ NODE_ENV: 'development', GRAPHQL_INTROSPECTION: 'false' }, false],
    [{ NODE_ENV: 'test' }, true],
  ])('turns introspection on or off from %o', (env, introspection) => {
    expect(loadConfig(env).hardening.introspection).toBe(introspection);
  });

  it('reports every malformed hardening setting at once, one line naming each', () => {
    const env = { GRAPHQL_INTROSPECTION: 'yes', MAX_QUERY_DEPTH: '0', MAX_QUERY_COST: 'lots', MAX_ENTITY_REPRESENTATIONS: '-1' };
    let problems: string[] = [];
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['GRAPHQL_INTROSPECTION', 'MAX_QUERY_DEPTH', 'MAX_QUERY_COST', 'MAX_ENTITY_REPRESENTATIONS']);
  });

  it('lists every hardening setting in .env.example with its default', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    expect(example).toMatch(/^GRAPHQL_INTROSPECTION=$/m);
    for (const [name, value] of Object.entries(SETTINGS)) expect(example).toMatch(new RegExp(`^${name}=${value}$`, 'm'));
    const parsed = Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, new RegExp(`^${name}=(.*)$`, 'm').exec(example)![1]!]));
    expect(loadConfig(parsed).hardening).toEqual(loadConfig({}).hardening);
  });
});
