import type { NodeModel } from '../models.js';
import { fromGlobalId } from '../relay/ids.js';
import { PROVIDER } from '../resources/fields.js';
import type { Catalog, FieldDemand } from './demand.js';

type NodeTypename = NodeModel['__typename'];

/**
 * Freshchat objects by global id (`node`, `nodes`, `_entities`): what resolving each distinct one
 * costs. A Record over every entity type, so a new one without its cost fails to compile.
 */
const BY_ID: Readonly<Record<NodeTypename, FieldDemand>> = {
  FreshchatUser: { calls: 1 },
  FreshchatTicketingUser: { calls: 1 },
  FreshchatGroup: { catalogs: ['groups'] },
  FreshchatRole: { catalogs: ['roles'] },
  FreshchatChannel: { catalogs: ['channels'] },
  FreshchatTicket: { calls: 1 },
  // A comment is found in its conversation's history: at least one page.
  FreshchatComment: { calls: 1 },
};

interface Ref {
  typename: NodeTypename;
  id: string;
}

/** `node(id:)` and `nodes(ids:)`: one object per distinct id that can resolve. */
export function byIds(ids: readonly unknown[]): FieldDemand {
  return byTypename(ids.map((id) => toRef(id)));
}

/** `_entities`: one object per distinct representation whose `__typename` agrees with its id. */
export function byReferences(representations: readonly unknown[]): FieldDemand {
  return byTypename(
    representations.map((r) => {
      const { __typename, id } = (typeof r === 'object' && r !== null ? r : {}) as { __typename?: unknown; id?: unknown };
      const ref = toRef(id);
      return ref?.typename === __typename ? ref : null;
    }),
  );
}

/** A Freshchat object's type and identity, from its global id; null for what resolves to null. */
function toRef(id: unknown): Ref | null {
  const decoded = typeof id === 'string' ? fromGlobalId(id) : null;
  if (decoded === null || decoded.provider !== PROVIDER || !Object.hasOwn(BY_ID, decoded.typename)) return null;
  return { typename: decoded.typename as NodeTypename, id: `${decoded.accountId}:${decoded.remoteId}` };
}

/** Distinct ids by type: unknown or malformed ones resolve to null without a call. */
function byTypename(refs: readonly (Ref | null)[]): FieldDemand {
  const distinct = new Map<NodeTypename, Set<string>>();
  for (const ref of refs) {
    if (ref !== null) distinct.set(ref.typename, (distinct.get(ref.typename) ?? new Set()).add(ref.id));
  }
  const byType = new Map([...distinct].map(([typename, ids]) => [typename, ids.size]));
  let calls = 0;
  const catalogs: Catalog[] = [];
  for (const [typename, count] of byType) {
    const cost = BY_ID[typename];
    calls += (cost.calls ?? 0) * count;
    catalogs.push(...(cost.catalogs ?? []));
  }
  return { calls, catalogs, children: { total: [...byType.values()].reduce((a, b) => a + b, 0), byType } };
}
