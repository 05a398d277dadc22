import DataLoader from 'dataloader';
import type * as Freshchat from '../freshchat/types.js';
import type { FreshchatClient } from '../freshchat/client.js';
import { toGroup, toRole, toTicketingUser, toUser } from '../freshchat/mappers.js';
import { toAgentQuery, toUserQuery, type AgentFilter, type ContactFilter } from '../freshchat/queries.js';
import type { GroupModel, NodeModel, RoleModel, TicketingUserModel, UserModel } from '../models.js';
import type { FetchedPage, PageRequest } from '../relay/pages.js';
import { loadWindow } from '../relay/pages.js';
import type { Slice } from '../relay/connection.js';
import { loadByIds } from './by-ids.js';
import type { CatalogCache, TotalsHint } from './catalog-cache.js';
import { pageKey, walkAll, type ListQuery } from './walk.js';

export interface LoaderDeps {
  client: FreshchatClient;
  /** Largest items_per_page to ask for. */
  pageSize: number;
  catalogs: CatalogCache;
  totals: TotalsHint;
}

export interface WindowResult<T> {
  window: { start: number; end: number };
  items: T[];
  total: number;
}

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * The per-request (and per-account) loaders of DESIGN §5. Never shared across requests or accounts.
 * Every upstream page goes through a page loader keyed by its exact query, so each distinct GET is
 * made at most once per request, and every agent or contact it returns primes the by-id loaders.
 */
export function createLoaders({ client, pageSize, catalogs, totals }: LoaderDeps) {
  const accountId = client.account.id;
  const agentPages = pageLoader<Freshchat.AgentListQuery, TicketingUserModel>(async (query, req) => {
    const env = await client.listAgents(query, { page: req.page, items_per_page: req.perPage });
    return toFetchedPage(env.agents.map((raw) => toTicketingUser(raw, accountId)), env.pagination);
  }, (query, page) => onPage(query, page, 'agents', agent));
  const userPages = pageLoader<Freshchat.UserListQuery, UserModel>(async (query, req) => {
    const env = await client.listUsers(query, { page: req.page, items_per_page: req.perPage });
    return toFetchedPage(env.users.map((raw) => toUser(raw, accountId)), env.pagination);
  }, (query, page) => onPage(query, page, 'users', user));

  const agent = byIdLoader(
    async (id) => nullable(await client.getAgent(id), (raw) => toTicketingUser(raw, accountId)),
    (n) => agentPages.load({}, { page: n, perPage: pageSize }),
    'agents',
  );
  const user = byIdLoader(
    async (id) => nullable(await client.getUser(id), (raw) => toUser(raw, accountId)),
    (n) => userPages.load({}, { page: n, perPage: pageSize }),
    'users',
  );

  /** K ids in at most K calls, never more than the list walk (see by-ids.ts). */
  function byIdLoader<T extends { remoteId: string }>(
    getOne: (id: string) => Promise<T | null>,
    page: (n: number) => Promise<FetchedPage<T>>,
    list: string,
  ): DataLoader<string, T | null> {
    return new DataLoader((ids) =>
      loadByIds(ids, { getOne, page, remoteIdOf: (m) => m.remoteId, totalHint: () => totals.get(accountId, list), pageSize }),
    );
  }

  function onPage<T extends { remoteId: string }>(query: object, page: FetchedPage<T>, list: string, byId: DataLoader<string, T | null>) {
    if (Object.keys(query).length === 0) totals.set(accountId, list, page.total);
    for (const item of page.items) byId.prime(item.remoteId, item);
  }

  const groups = memo(() =>
    catalogs.get(accountId, 'groups', () =>
      walkAll(async (req) => {
        const env = await client.listGroups({ page: req.page, items_per_page: req.perPage });
        return toFetchedPage(env.groups.map((raw) => toGroup(raw, accountId)), env.pagination);
      }, pageSize),
    ),
  );
  const roles = memo(() =>
    catalogs.get(accountId, 'roles', () =>
      walkAll(async (req) => {
        const env = await client.listRoles({ page: req.page, items_per_page: req.perPage });
        return toFetchedPage(env.roles.map((raw) => toRole(raw, accountId)), env.pagination);
      }, pageSize),
    ),
  );
  const allAgents = memo(() => walkAll((req) => agentPages.load({}, req), pageSize));
  const groupIndex = memo(async () => indexByRemoteId(await groups()));
  const roleIndex = memo(async () => indexByRemoteId(await roles()));

  return {
    accountId,
    agent,
    user,
    groups,
    roles,
    allAgents,
    group: async (remoteId: string): Promise<GroupModel | null> => (await groupIndex()).get(remoteId) ?? null,
    role: async (remoteId: string): Promise<RoleModel | null> => (await roleIndex()).get(remoteId) ?? null,
    agentsWindow: (filter: AgentFilter, slice: Slice): Promise<WindowResult<TicketingUserModel>> =>
      loadWindow(slice, (req) => agentPages.load(toAgentQuery(filter), req), pageSize),
    usersWindow: (filter: ContactFilter, slice: Slice): Promise<WindowResult<UserModel>> =>
      loadWindow(slice, (req) => userPages.load(toUserQuery(filter), req), pageSize),
    node(typename: NodeModel['__typename'], remoteId: string): Promise<NodeModel | null> {
      switch (typename) {
        case 'FreshchatTicketingUser':
          return agent.load(remoteId);
        case 'FreshchatUser':
          return user.load(remoteId);
        case 'FreshchatGroup':
          return this.group(remoteId);
        case 'FreshchatRole':
          return this.role(remoteId);
      }
    },
  };
}

/**
 * A loader of upstream pages. DataLoader keys are the canonical `pageKey` strings so that equal
 * requests dedupe; the query object travels beside its key.
 */
function pageLoader<Q extends ListQuery, T>(
  fetch: (query: Q, request: PageRequest) => Promise<FetchedPage<T>>,
  onPage: (query: Q, page: FetchedPage<T>) => void,
) {
  const requests = new Map<string, { query: Q; request: PageRequest }>();
  const loader = new DataLoader<string, FetchedPage<T>>((keys) =>
    Promise.all(
      keys.map(async (key) => {
        const { query, request } = requests.get(key)!;
        try {
          const page = await fetch(query, request);
          onPage(query, page);
          return page;
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    ),
  );
  return {
    load(query: Q, request: PageRequest): Promise<FetchedPage<T>> {
      const key = pageKey(query, request);
      if (!requests.has(key)) requests.set(key, { query, request });
      return loader.load(key);
    },
  };
}

function toFetchedPage<T>(items: T[], pagination: Freshchat.Pagination): FetchedPage<T> {
  return { items, total: pagination.total_items, perPage: pagination.items_per_page, page: pagination.current_page };
}

const nullable = <R, T>(raw: R | null, map: (raw: R) => T): T | null => (raw === null ? null : map(raw));

const indexByRemoteId = <T extends { remoteId: string }>(items: readonly T[]): Map<string, T> =>
  new Map(items.map((item) => [item.remoteId, item]));

/** Once per request: later callers share the first call's promise. */
function memo<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}
