import { getNamedType, isInputObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  TICKETING_USER_FILTER_LIMITS,
  USER_FILTER_LIMITS,
  checkTicketingUserFilter,
  checkUserFilter,
} from '../../src/resolvers/filters.js';
import { createSchema } from '../../src/schema.js';
import { errorOf } from '../support/errors.js';

const a = (length: number): string => 'a'.repeat(length);
const email = (length: number): string => `${a(length - '@example.com'.length)}@example.com`;

describe('checkUserFilter', () => {
  it.each([
    ['no filter', undefined],
    ['null', null],
    ['an empty filter', {}],
    ['an email of 254 characters', { email: email(254) }],
    ['an external id of 256 characters', { externalId: a(256) }],
    ['256 four-byte characters (256 code points, 512 UTF-16 units)', { externalId: '😀'.repeat(256) }],
    ['null fields', { email: null, externalId: null }],
  ])('accepts %s', (_name, filter) => {
    expect(() => checkUserFilter(filter)).not.toThrow();
  });

  it.each([
    ['an email of 255 characters', { email: email(255) }, 'filter.email', 254, 255],
    ['a 100 KB email', { email: email(100_000) }, 'filter.email', 254, 100_000],
    ['an external id of 257 characters', { externalId: a(257) }, 'filter.externalId', 256, 257],
    ['257 four-byte characters', { externalId: '😀'.repeat(257) }, 'filter.externalId', 256, 257],
  ])('rejects %s as BAD_USER_INPUT naming the argument', (_name, filter, argument, max, length) => {
    const error = errorOf(() => checkUserFilter(filter));
    expect(error.message).toBe(`\`${argument}\` must be at most ${max} characters; got ${length}.`);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument, max });
  });
});

describe('checkTicketingUserFilter', () => {
  it('accepts a group id of 1024 characters', () => {
    expect(() => checkTicketingUserFilter({ groupId: a(1024) })).not.toThrow();
  });

  it('rejects a group id longer than any global id', () => {
    const error = errorOf(() => checkTicketingUserFilter({ groupId: a(1025), isActive: true }));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'filter.groupId', max: 1024 });
  });
});

// A string filter added to the SDL without a cap would reach Freshchat unbounded.
describe('the filter caps', () => {
  const schema = createSchema();
  it.each([
    ['FreshchatUserFilter', USER_FILTER_LIMITS],
    ['FreshchatTicketingUserFilter', TICKETING_USER_FILTER_LIMITS],
  ])('cover every String and ID field of %s', (name, limits) => {
    const type = schema.getType(name);
    if (!isInputObjectType(type)) throw new Error(`${name} is not an input type`);
    const strings = Object.values(type.getFields())
      .filter((field) => ['String', 'ID'].includes(getNamedType(field.type).name))
      .map((field) => field.name);
    expect(strings.length).toBeGreaterThan(0);
    expect(Object.keys(limits).sort()).toEqual(strings.sort());
  });
});
