import fc from 'fast-check';
import { defaultFieldResolver, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { NO_CALL, pagedCalls, ruleOf } from '../../src/hardening/upstream-rules.js';
import { toSlice } from '../../src/relay/connection.js';
import { connectionScope, encodeCursor } from '../../src/relay/cursor.js';
import { loadWindow, type PageFetcher } from '../../src/loaders/pages.js';
import { createSchema } from '../../src/schema.js';

const schema = createSchema();
const after = encodeCursor(connectionScope('acme', 'users'), 10);

/** Every `Type.field` of the schema that has a resolver: only those can call Freshchat (introspection cannot). */
function resolvedFields(): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
    .filter(isObjectType)
    .flatMap((type) => Object.values(type.getFields()).filter((f) => f.resolve !== undefined && f.resolve !== defaultFieldResolver).map((f) => `${type.name}.${f.name}`));
}

describe('the upstream-call rules', () => {
  it('name every schema field that has a resolver, with its calls or as making none', () => {
    const missing = resolvedFields().filter((name) => {
      const [type = '', field = ''] = name.split('.');
      return ruleOf(type, field) === undefined;
    });
    expect(missing).toEqual([]);
  });

  it('find the fields that read Freshchat, among them a nested connection and the federation entry point', () => {
    expect(resolvedFields()).toEqual(expect.arrayContaining(['FreshchatGroup.members', 'Query._entities', 'Mutation.freshchatCreateUser']));
    expect(ruleOf('FreshchatGroup', 'members')).not.toBe(NO_CALL);
  });

  it('have no rule for a field without a resolver, which reads what its parent already holds', () => {
    expect(ruleOf('FreshchatGroup', 'name')).toBeUndefined();
  });
});

describe('pagedCalls (page size 50)', () => {
  it.each([
    [{}, 1], // the default page of 20
    [{ first: 0 }, 1], // the total alone
    [{ first: 20 }, 1],
    [{ first: 50 }, 1],
    [{ first: 51 }, 2],
    [{ first: 100 }, 2],
    [{ first: 50, after }, 2], // a window starting mid-page spans one more
    [{ last: 50, before: after }, 2],
    [{ last: 20 }, 3], // page 1 for the total, then up to two pages at the end
    [{ last: 100 }, 4],
    [{ first: 100, last: 10 }, 4], // the last 10 of the first 100, planned again once the total is known
    [{ before: after }, 2], // the 20 before it
    [{ first: 20, after, before: after }, 2],
  ])('%j costs %i calls', (args, calls) => {
    expect(pagedCalls(args, 50)).toBe(calls);
  });
});

describe('pagedCalls against the page planner', () => {
  // A consistent list at least as long as the cursors, that honours the page size asked for: the
  // estimate then bounds what loadWindow really fetches. (A cursor past the end costs one call more
  // to learn the total; the runtime ceiling covers that.)
  it('is never below the pages loadWindow fetches for any arguments within the list', async () => {
    const scope = connectionScope('acme', 'users');
    const size = fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined });
    const arbitrary = fc.record(
      { total: fc.integer({ min: 1, max: 400 }), first: size, last: size, after: fc.nat(), before: fc.nat(), pageSize: fc.integer({ min: 1, max: 100 }) },
      { requiredKeys: ['total', 'pageSize'] },
    );
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ total, first, last, after: a, before: b, pageSize }) => {
        const args = {
          first,
          last,
          after: a === undefined ? undefined : encodeCursor(scope, a % total),
          before: b === undefined ? undefined : encodeCursor(scope, b % total),
        };
        let calls = 0;
        const fetchPage: PageFetcher<number> = async ({ page, perPage }) => {
          calls += 1;
          const start = (page - 1) * perPage;
          return { items: Array.from({ length: Math.max(0, Math.min(perPage, total - start)) }, (_, i) => start + i), total, perPage, page };
        };
        await loadWindow(toSlice(args, scope, total), fetchPage, pageSize);
        expect(calls).toBeLessThanOrEqual(pagedCalls(args, pageSize));
      }),
      { seed: 20_260_126, numRuns: 500 },
    );
  });
});
