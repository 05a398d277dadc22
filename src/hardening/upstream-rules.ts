import { PROVIDER } from '../resources/fields.js';
import { DEFAULT_PAGE } from '../relay/connection.js';
import { fromGlobalId } from '../relay/ids.js';

/**
 * Which fields call Freshchat, and how often per object they are selected on (DESIGN §5); the walk
 * over an operation is upstream-calls.ts. One rule per field that needs an upstream call: a field
 * added to the schema that calls Freshchat needs one here too.
 */
export type Args = Record<string, unknown>;
/**
 * Reads charged once per `freshchat` field however many fields need them: the groups, roles and
 * channels catalogs, the agent walk, and the by-id joins that DataLoader batches and deduplicates (a thread's
 * authors, its tickets' contacts and assignees: a handful of distinct ids however many comments).
 */
export type Catalog = 'groups' | 'roles' | 'channels' | 'agents' | 'contacts' | 'tickets';

/**
 * Calls of one paged connection under these arguments (the page planning of relay/pages.ts at its
 * worst, for windows within the list): the window's pages, one more when a cursor may start it
 * mid-page, and for `last` without `before` page 1 first, to learn the total.
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

/** How many objects a field returns per parent, by concrete type when the field knows it. */
export interface Instances {
  total: number;
  byType?: ReadonlyMap<string, number>;
}

/** A field's own demand, per parent object. */
export interface FieldDemand {
  calls?: number;
  catalogs?: readonly Catalog[];
  children?: Instances;
}

const paged = (args: Args, pageSize: number): FieldDemand => ({ calls: pagedCalls(args, pageSize) });
const catalog = (name: Catalog) => (): FieldDemand => ({ catalogs: [name] });
const one = (): FieldDemand => ({ calls: 1 });

/** A contact's conversation list (one call, unpaged), then one call per conversation of the window. */
const ticketsOf = (args: Args): FieldDemand => {
  const edges = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : DEFAULT_PAGE;
  return { calls: 1 + edges };
};

/** The newest messages: the pages that hold them. */
const latestOf = (args: Args, pageSize: number): FieldDemand => ({ calls: Math.max(1, Math.ceil((typeof args.first === 'number' ? args.first : 5) / pageSize)) });

/** Freshchat objects by global id: what resolving each distinct one costs. */
const BY_ID: Readonly<Record<string, FieldDemand>> = {
  FreshchatUser: { calls: 1 },
  FreshchatTicketingUser: { calls: 1 },
  FreshchatGroup: { catalogs: ['groups'] },
  FreshchatRole: { catalogs: ['roles'] },
  FreshchatChannel: { catalogs: ['channels'] },
  FreshchatTicket: { calls: 1 },
  // A comment is found in its conversation's history: at least one page.
  FreshchatComment: { calls: 1 },
};

export const RULES: Readonly<Record<string, (args: Args, pageSize: number) => FieldDemand>> = {
  'FreshchatQuery.users': paged,
  'FreshchatQuery.ticketingUsers': paged,
  'FreshchatGroup.members': paged,
  'FreshchatQuery.groups': catalog('groups'),
  'FreshchatQuery.group': catalog('groups'),
  'FreshchatTicketingUser.groups': catalog('groups'),
  'FreshchatQuery.roles': catalog('roles'),
  'FreshchatQuery.role': catalog('roles'),
  'FreshchatTicketingUser.role': catalog('roles'),
  'FreshchatQuery.channels': catalog('channels'),
  'FreshchatTicket.channel': catalog('channels'),
  'FreshchatRole.members': catalog('agents'),
  'FreshchatQuery.user': one,
  'FreshchatQuery.ticket': one,
  'FreshchatUser.tickets': ticketsOf,
  // A conversation's whole history: ceil(messages / 50) calls, unknown before it is read. At least one
  // is counted here; a longer thread is held to MAX_UPSTREAM_CALLS_PER_REQUEST at run time.
  'FreshchatTicket.comments': one,
  'FreshchatTicket.latestComments': latestOf,
  'FreshchatTicket.contact': catalog('contacts'),
  'FreshchatTicket.assignee': catalog('agents'),
  'FreshchatTicket.assignedGroup': catalog('groups'),
  'FreshchatComment.agent': catalog('agents'),
  'FreshchatComment.contact': catalog('contacts'),
  'FreshchatComment.ticket': catalog('tickets'),
  'FreshchatQuery.ticketingUser': one,
  'FreshchatQuery.node': (args) => byIds([args.id]),
  'FreshchatQuery.nodes': (args) => byIds(Array.isArray(args.ids) ? args.ids : []),
  'Query._entities': (args) => byReferences(Array.isArray(args.representations) ? args.representations : []),
};

function byIds(ids: readonly unknown[]): FieldDemand {
  return byTypename(ids.map((id) => toRef(id)));
}

function byReferences(representations: readonly unknown[]): FieldDemand {
  return byTypename(
    representations.map((r) => {
      const { __typename, id } = (typeof r === 'object' && r !== null ? r : {}) as { __typename?: unknown; id?: unknown };
      const ref = toRef(id);
      return ref?.typename === __typename ? ref : null;
    }),
  );
}

/** A Freshchat object's type and identity, from its global id; null for what resolves to null. */
function toRef(id: unknown): { typename: string; id: string } | null {
  const decoded = typeof id === 'string' ? fromGlobalId(id) : null;
  if (decoded === null || decoded.provider !== PROVIDER) return null;
  return { typename: decoded.typename, id: `${decoded.accountId}:${decoded.remoteId}` };
}

/** Distinct ids by type: unknown or malformed ones resolve to null without a call. */
function byTypename(refs: readonly ({ typename: string; id: string } | null)[]): FieldDemand {
  const distinct = new Map<string, Set<string>>();
  for (const ref of refs) {
    if (ref === null || !Object.hasOwn(BY_ID, ref.typename)) continue;
    distinct.set(ref.typename, (distinct.get(ref.typename) ?? new Set()).add(ref.id));
  }
  const byType = new Map([...distinct].map(([typename, ids]) => [typename, ids.size]));
  let calls = 0;
  const catalogs: Catalog[] = [];
  for (const [typename, count] of byType) {
    const cost = BY_ID[typename]!;
    calls += (cost.calls ?? 0) * count;
    catalogs.push(...(cost.catalogs ?? []));
  }
  return { calls, catalogs, children: { total: [...byType.values()].reduce((a, b) => a + b, 0), byType } };
}

