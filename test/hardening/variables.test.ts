import { parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VARIABLE_VALUES, countValues, declaredVariables } from '../../src/hardening/variables.js';
import { startSubgraph, type Running } from '../observability/server.js';

const operationOf = (source: string) => parse(source).definitions[0] as OperationDefinitionNode;

describe('declaredVariables', () => {
  it('keeps the declared variables and nothing else', () => {
    const operation = operationOf('query ($first: Int, $after: String) { __typename }');
    expect(declaredVariables(operation, { first: 2, extra: 'x', other: { deep: 1 } })).toEqual({ first: 2 });
  });

  it('does not read inherited keys', () => {
    const operation = operationOf('query ($toString: String) { __typename }');
    expect(declaredVariables(operation, {})).toEqual({});
  });
});

describe('countValues', () => {
  it.each([
    [undefined, 0],
    [{}, 0],
    [{ a: 1, b: [1, 2, { c: 3 }] }, 6],
  ])('counts %j as %i values', (value, count) => {
    expect(countValues(value, 100)).toBe(count);
  });

  it('stops counting once past the bound', () => {
    const huge = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    expect(countValues(huge, 10)).toBe(11);
  });
});

describe('variables over HTTP', () => {
  let s: Running;
  beforeAll(async () => void (s = await startSubgraph({ LOG_LEVEL: 'silent' })));
  afterAll(() => s.close());

  it(`rejects variables holding more than ${MAX_VARIABLE_VALUES} values with a 400`, async () => {
    const variables = Object.fromEntries(Array.from({ length: MAX_VARIABLE_VALUES + 1 }, (_, i) => [`v${i}`, i]));
    const res = await s.post({ query: '{ __typename }', variables });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', limit: 'variables', max: MAX_VARIABLE_VALUES } }] });
  });

  it('runs an operation with undeclared variables as if they were absent', async () => {
    const res = await s.post({ query: 'query ($n: Int) { freshchat { ticketingUsers(first: $n) { totalCount } } }', variables: { n: 1, unused: 'x' } });
    expect(res.body).toEqual({ data: { freshchat: { ticketingUsers: { totalCount: 150 } } } });
  });
});
