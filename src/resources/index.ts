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

/**
 * The per-request (and per-account) loaders of docs/design.md#the-upstream-call-budget, one set per resource, never shared across
 * requests or accounts. One verb style throughout: `get` one by Freshchat id, `window` of a
 * connection, `all` of a list read whole.
 */
export interface Loaders {
  readonly account: Account;
  /** What they were built from: the request's client for the account and the shared caches (writes use them). */
  readonly resources: ResourceDeps;
  readonly agents: AgentLoaders;
  readonly contacts: ContactLoaders;
  readonly groups: Catalog<GroupModel>;
  readonly roles: Catalog<RoleModel>;
  readonly tickets: ConversationLoaders;
  readonly comments: MessageLoaders;
  readonly channels: Catalog<ChannelModel>;
  /** `node`/`_entities`: one object of any entity type by its Freshchat id. */
  node(typename: NodeTypename, remoteId: string): Promise<NodeModel | null>;
}

export type NodeTypename = NodeModel['__typename'];

interface NodeLoader {
  get(remoteId: string): Promise<NodeModel | null>;
}

/**
 * The one table of entity types: which loader answers `node`/`_entities` for each. A Record, so a
 * model the union gains and this table forgets fails to compile; a test holds it equal to the entity
 * types of the SDL. A new entity type adds one line here.
 */
const NODE_LOADERS: Record<NodeTypename, (loaders: Loaders) => NodeLoader> = {
  FreshchatUser: (loaders) => loaders.contacts,
  FreshchatGroup: (loaders) => loaders.groups,
  FreshchatRole: (loaders) => loaders.roles,
  FreshchatTicketingUser: (loaders) => loaders.agents,
  FreshchatTicket: (loaders) => loaders.tickets,
  FreshchatComment: (loaders) => loaders.comments,
  FreshchatChannel: (loaders) => loaders.channels,
};

/** Every entity type, in the order of the table. */
export const NODE_TYPENAMES = Object.keys(NODE_LOADERS) as readonly NodeTypename[];

export function createLoaders(deps: ResourceDeps): Loaders {
  // Each set is built on first use: a request reads a few resources, and every set costs DataLoaders.
  const agents = once(() => createAgentLoaders(deps));
  const contacts = once(() => createContactLoaders(deps));
  const groups = once(() => createGroupLoaders(deps));
  const roles = once(() => createRoleLoaders(deps));
  const tickets = once(() => createConversationLoaders(deps));
  const comments = once(() => createMessageLoaders(deps));
  const channels = once(() => createChannelLoaders(deps));
  const loaders: Loaders = {
    account: deps.client.account,
    resources: deps,
    get agents() {
      return agents();
    },
    get contacts() {
      return contacts();
    },
    get groups() {
      return groups();
    },
    get roles() {
      return roles();
    },
    get tickets() {
      return tickets();
    },
    get comments() {
      return comments();
    },
    get channels() {
      return channels();
    },
    node: (typename, remoteId) => NODE_LOADERS[typename](loaders).get(remoteId),
  };
  return loaders;
}

function once<T>(create: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= create());
}
