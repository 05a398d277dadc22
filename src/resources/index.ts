import type { Account } from '../account.js';
import { createAgentLoaders, type AgentLoaders } from './agents.js';
import { createChannelLoaders } from './channels.js';
import { createContactLoaders, type ContactLoaders } from './contacts.js';
import { createConversationLoaders, type ConversationLoaders } from './conversations.js';
import { createMessageLoaders, type MessageLoaders } from './messages.js';
import { createGroupLoaders } from './groups.js';
import { createRoleLoaders } from './roles.js';
import type { ChannelModel, GroupModel, NodeModel, RoleModel } from '../models.js';
import type { Catalog } from '../loaders/catalog.js';
import type { ResourceDeps } from '../loaders/paged-list.js';

export type { WindowResult } from '../loaders/pages.js';

/** The loaders of one resource each: built per request (and per account) on first use. */
interface ResourceLoaders {
  readonly agents: AgentLoaders;
  readonly contacts: ContactLoaders;
  readonly groups: Catalog<GroupModel>;
  readonly roles: Catalog<RoleModel>;
  readonly tickets: ConversationLoaders;
  readonly comments: MessageLoaders;
  readonly channels: Catalog<ChannelModel>;
}

/**
 * The per-request (and per-account) loaders of DESIGN §5, one set per resource, never shared across
 * requests or accounts. One verb style throughout: `get` one by Freshchat id, `window` of a
 * connection, `all` of a list read whole.
 */
export interface Loaders extends ResourceLoaders {
  readonly account: Account;
  /** What they were built from: the request's client for the account and the shared caches (writes use them). */
  readonly resources: ResourceDeps;
  /** `node`/`_entities`: one object of any entity type by its Freshchat id. */
  node(typename: NodeModel['__typename'], remoteId: string): Promise<NodeModel | null>;
}

const FACTORIES: { readonly [K in keyof ResourceLoaders]: (deps: ResourceDeps) => ResourceLoaders[K] } = {
  agents: createAgentLoaders,
  contacts: createContactLoaders,
  groups: createGroupLoaders,
  roles: createRoleLoaders,
  tickets: createConversationLoaders,
  comments: createMessageLoaders,
  channels: createChannelLoaders,
};

/**
 * Which resource's loaders find an entity type by Freshchat id: the one table a new entity type is
 * added to (a Record, so a model the union gains and this table forgets fails to compile). `node`,
 * `nodes` and `_entities` accept exactly these types.
 */
const LOADER_OF: Readonly<Record<NodeModel['__typename'], keyof ResourceLoaders>> = {
  FreshchatTicketingUser: 'agents',
  FreshchatUser: 'contacts',
  FreshchatGroup: 'groups',
  FreshchatRole: 'roles',
  FreshchatTicket: 'tickets',
  FreshchatComment: 'comments',
  FreshchatChannel: 'channels',
};

export const NODE_TYPENAMES = Object.keys(LOADER_OF) as readonly NodeModel['__typename'][];

export function createLoaders(deps: ResourceDeps): Loaders {
  // Each set is built on first use: a request reads a few resources, and every set costs DataLoaders.
  const built = new Map<keyof ResourceLoaders, unknown>();
  const loadersOf = <K extends keyof ResourceLoaders>(name: K): ResourceLoaders[K] => {
    if (!built.has(name)) built.set(name, FACTORIES[name](deps));
    return built.get(name) as ResourceLoaders[K];
  };
  const loaders = {
    account: deps.client.account,
    resources: deps,
    node: (typename: NodeModel['__typename'], remoteId: string) => loadersOf(LOADER_OF[typename]).get(remoteId),
  };
  for (const name of Object.keys(FACTORIES) as (keyof ResourceLoaders)[]) {
    Object.defineProperty(loaders, name, { get: () => loadersOf(name), enumerable: true });
  }
  return loaders as Loaders;
}
