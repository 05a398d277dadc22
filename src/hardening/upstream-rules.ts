import type * as Schema from '../__generated__/resolvers-types.js';
import { DEFAULT_PAGE } from '../relay/connection.js';
import type { Args, Catalog, FieldRule } from './demand.js';
import { byIds, byReferences } from './node-demand.js';

/**
 * Which fields call Freshchat, and how often per object they are selected on
 * (docs/design.md#the-upstream-call-budget); the walk that applies them is operation-walk.ts.
 *
 * How "needs an upstream call" is known: only a field with a resolver can make one. Mappers build
 * every model eagerly (docs/design.md#one-request-top-to-bottom), so a field without a resolver is a
 * property read. Every field that has a resolver is therefore in this table, with the rule of its
 * calls or NO_CALL, and test/hardening/upstream-rules.test.ts walks the schema and fails on one
 * that is missing. The keys are checked by the compiler against the generated types: a renamed or
 * removed field cannot leave a rule behind.
 */
export const NO_CALL: FieldRule = () => ({});

/**
 * Calls of one paged connection under these arguments (the page planning of src/loaders/pages.ts
 * at its worst, for windows within the list): the window's pages, one more when a cursor may start
 * it mid-page, and for `last` without `before` page 1 first, to learn the total.
 */
export function pagedCalls(args: Args, pageSize: number): number {
  const first = typeof args.first === 'number' ? args.first : undefined;
  const last = typeof args.last === 'number' ? args.last : undefined;
  const edges = first ?? last ?? DEFAULT_PAGE;
  if (edges === 0) return 1; // the total alone
  const pages = Math.ceil(edges / pageSize);
  // As toSlice defaults: `before` alone pages backward.
  const forward = first !== undefined || (last === undefined && (args.before == null || args.after != null));
  if (!forward) return pages + 1 + (args.before == null ? 1 : 0);
  const forwardCalls = pages + (args.after == null ? 0 : 1);
  // With both (which Relay discourages), a window planned before the total is known may move once it is.
  return last === undefined || last >= edges ? forwardCalls : forwardCalls + Math.ceil(last / pageSize) + 1;
}

const paged: FieldRule = (args, pageSize) => ({ calls: pagedCalls(args, pageSize) });
const catalog =
  (name: Catalog): FieldRule =>
  () => ({ catalogs: [name] });
const one: FieldRule = () => ({ calls: 1 });

/** A contact's conversation list (one call, unpaged), then one call per conversation of the window. */
const ticketsOf: FieldRule = (args) => {
  const edges = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : DEFAULT_PAGE;
  return { calls: 1 + edges };
};

/** The newest messages: the pages that hold them. */
const latestOf: FieldRule = (args, pageSize) => ({ calls: Math.max(1, Math.ceil((typeof args.first === 'number' ? args.first : 5) / pageSize)) });

/** The generated object types that have fields with resolvers. */
interface ResolvedTypes {
  Query: Schema.Query;
  FreshchatQuery: Schema.FreshchatQuery;
  FreshchatUser: Schema.FreshchatUser;
  FreshchatGroup: Schema.FreshchatGroup;
  FreshchatRole: Schema.FreshchatRole;
  FreshchatTicketingUser: Schema.FreshchatTicketingUser;
  FreshchatTicket: Schema.FreshchatTicket;
  FreshchatComment: Schema.FreshchatComment;
  HelpdeskChange: Schema.HelpdeskChange;
  HelpdeskChangeConnection: Schema.HelpdeskChangeConnection;
  Mutation: Schema.Mutation;
  FreshchatSetTicketingUserAvailabilityPayload: Schema.FreshchatSetTicketingUserAvailabilityPayload;
}

type RuleTable = { readonly [T in keyof ResolvedTypes]: { readonly [F in Exclude<keyof ResolvedTypes[T], '__typename'>]?: FieldRule } };

const RULES = {
  Query: { freshchat: NO_CALL }, // chooses the account; the registry is not Freshchat
  FreshchatQuery: {
    accountId: NO_CALL,
    users: paged,
    ticketingUsers: paged,
    groups: catalog('groups'),
    group: catalog('groups'),
    roles: catalog('roles'),
    role: catalog('roles'),
    channels: catalog('channels'),
    user: one,
    ticketingUser: one,
    ticket: one,
    node: (args) => byIds([args.id]),
    nodes: (args) => byIds(Array.isArray(args.ids) ? args.ids : []),
    changes: NO_CALL, // the change log is in the registry database (docs/sync.md)
  },
  FreshchatUser: { tickets: ticketsOf },
  FreshchatGroup: { members: paged },
  FreshchatRole: { members: catalog('agents') },
  FreshchatTicketingUser: { groups: catalog('groups'), role: catalog('roles') },
  FreshchatTicket: {
    channel: catalog('channels'),
    contact: catalog('contacts'),
    assignee: catalog('agents'),
    assignedGroup: catalog('groups'),
    // A conversation's whole history: ceil(messages / 50) calls, unknown before it is read. At least
    // one is counted here; a longer thread is held to MAX_UPSTREAM_CALLS_PER_REQUEST at run time.
    comments: one,
    latestComments: latestOf,
  },
  FreshchatComment: { agent: catalog('agents'), contact: catalog('contacts'), ticket: catalog('tickets') },
  // A change's object: at worst one read per change, batched like nodes(ids:) (docs/sync.md).
  HelpdeskChange: { object: one },
  HelpdeskChangeConnection: { totalCount: NO_CALL },
  // Each write is one call, sent once; what its payload selects is counted by its own fields.
  Mutation: {
    freshchatCreateUser: one,
    freshchatUpdateUser: one,
    freshchatDeleteUser: one,
    freshchatSetTicketingUserAvailability: one,
    freshchatDeleteTicketingUser: one,
    freshchatReplyToTicket: one,
    freshchatUpdateTicket: one,
    freshchatCreateTicket: one,
  },
  // The agent read again after its availability changed.
  FreshchatSetTicketingUserAvailabilityPayload: { ticketingUser: one },
} satisfies RuleTable;

/** The fields @apollo/subgraph adds to Query, which the generated types do not know. */
const FEDERATION_RULES: Readonly<Record<string, FieldRule>> = {
  _entities: (args) => byReferences(Array.isArray(args.representations) ? args.representations : []),
  _service: NO_CALL,
};

const TABLE: Readonly<Record<string, Readonly<Record<string, FieldRule | undefined>> | undefined>> = RULES;

/** The rule of `typename.field`: undefined for a field without a resolver (a property read). */
export function ruleOf(typename: string, field: string): FieldRule | undefined {
  const own = Object.hasOwn(TABLE, typename) ? TABLE[typename] : undefined;
  if (own && Object.hasOwn(own, field)) return own[field];
  if (typename === 'Query' && Object.hasOwn(FEDERATION_RULES, field)) return FEDERATION_RULES[field];
  return undefined;
}
