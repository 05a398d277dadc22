import type { Connection } from './relay/connection.js';
import type { ForwardConnection } from './relay/forward.js';

/**
 * The unified models: what resolvers receive as parents (codegen mappers). The mappers of the
 * resource modules (src/resources/) build them once, eagerly, with their global id and __typename;
 * every model carries its account so nested fields load from the right account.
 */

/**
 * Parent of `FreshchatQuery`: the account the namespace reads. Like every model it carries only the
 * account's id, and resolvers reach its loaders with `ctx.loadersOf(accountId)`.
 */
export interface NamespaceModel {
  readonly accountId: string;
}

export interface EmailModel {
  address: string;
  type: string | null;
  isPrimary: boolean;
}

export interface PhoneModel {
  number: string;
  type: string | null;
}

export interface CustomFieldModel {
  name: string;
  value: string | null;
}

export interface SocialProfileModel {
  type: string;
  handle: string | null;
}

export interface AgentStatusModel {
  remoteId: string | null;
  name: string | null;
}

/** The provider's raw object: handed out as-is by `remoteData`, never copied. */
export type RemoteData = Readonly<Record<string, unknown>>;

interface ModelBase {
  /** Global id. */
  id: string;
  remoteId: string;
  accountId: string;
  remoteData: RemoteData;
}

export interface UserModel extends ModelBase {
  __typename: 'FreshchatUser';
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  emails: EmailModel[];
  phones: PhoneModel[];
  avatarUrl: string | null;
  externalId: string | null;
  customFields: CustomFieldModel[];
  createdAt: string | null;
  updatedAt: string | null;
  restoreId: string | null;
  orgContactId: string | null;
  loginStatus: boolean | null;
  socialProfiles: SocialProfileModel[];
}

export interface GroupModel extends ModelBase {
  __typename: 'FreshchatGroup';
  name: string;
  description: string | null;
  routingType: string | null;
}

export interface RoleModel extends ModelBase {
  __typename: 'FreshchatRole';
  name: string;
  description: string | null;
  isCustom: boolean | null;
}

/** A Freshchat channel (topic): Freshchat-only, no unified model. */
export interface ChannelModel extends ModelBase {
  __typename: 'FreshchatChannel';
  name: string;
  locale: string | null;
  enabled: boolean | null;
  isPublic: boolean | null;
  tags: string[];
  source: string | null;
  iconUrl: string | null;
  /** The text parts of the welcome message, joined with a newline. */
  welcomeMessage: string | null;
  updatedAt: string | null;
}

export type AvailabilityModel = 'AVAILABLE' | 'UNAVAILABLE';

export interface TicketingUserModel extends ModelBase {
  __typename: 'FreshchatTicketingUser';
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  emails: EmailModel[];
  avatarUrl: string | null;
  isActive: boolean;
  availability: AvailabilityModel | null;
  /** Freshchat role id; `role` resolves it against the role catalog. */
  roleRemoteId: string | null;
  /** Freshchat group ids; `groups` resolves them against the group catalog. */
  groupRemoteIds: readonly string[];
  timezone: string | null;
  locale: string | null;
  createdAt: string | null;
  phone: string | null;
  biography: string | null;
  routingType: string | null;
  agentStatus: AgentStatusModel | null;
  loginStatus: boolean | null;
  isDeleted: boolean | null;
  agentCapacity: number | null;
  licenseType: string | null;
  freshidUuid: string | null;
  skillId: string | null;
  socialProfiles: SocialProfileModel[];
}

export type TicketStatusModel = 'OPEN' | 'IN_PROGRESS' | 'WAITING' | 'RESOLVED';
export type CommentAuthorTypeModel = 'CONTACT' | 'AGENT' | 'BOT' | 'SYSTEM';

export interface TicketModel extends ModelBase {
  __typename: 'FreshchatTicket';
  status: TicketStatusModel | null;
  freshchatStatus: string | null;
  subject: string | null;
  /** Freshchat ids that `contact`, `assignee` and `assignedGroup` resolve through the loaders. */
  contactRemoteId: string | null;
  assigneeRemoteId: string | null;
  groupRemoteId: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  resolvedAt: string | null;
  url: string | null;
  channelId: string | null;
  internalId: string | null;
  properties: CustomFieldModel[];
}

export type MessagePartKindModel =
  | 'TEXT' | 'IMAGE' | 'FILE' | 'VIDEO' | 'EMAIL' | 'URL_BUTTON' | 'QUICK_REPLY_BUTTON'
  | 'CALLBACK' | 'COLLECTION' | 'REFERENCE' | 'TEMPLATE' | 'OTHER';

export interface MessagePartModel {
  kind: MessagePartKindModel;
  text: string | null;
  subject: string | null;
  url: string | null;
  name: string | null;
  contentType: string | null;
  fileSizeInBytes: number | null;
  label: string | null;
  payload: string | null;
  customReplyText: string | null;
  target: string | null;
  parts: MessagePartModel[];
  raw: RemoteData;
}

export interface CommentModel extends ModelBase {
  __typename: 'FreshchatComment';
  /** The conversation's Freshchat id: a message cannot be found without it. */
  ticketRemoteId: string;
  body: string | null;
  isPrivate: boolean;
  authorType: CommentAuthorTypeModel | null;
  /** The author's Freshchat id when it is an agent / a contact, for `agent` / `contact`. */
  agentRemoteId: string | null;
  contactRemoteId: string | null;
  createdAt: string | null;
  messageType: string | null;
  actorType: string | null;
  actorId: string | null;
  messageSource: string | null;
  parts: MessagePartModel[];
  replyParts: MessagePartModel[];
  inReplyToId: string | null;
}

export type NodeModel = UserModel | GroupModel | RoleModel | TicketingUserModel | TicketModel | CommentModel | ChannelModel;

// A Record, so that a new entity type the models gain and a list of node types forgets fails to compile.
const NODE_TYPES: Record<NodeModel['__typename'], true> = {
  FreshchatUser: true,
  FreshchatGroup: true,
  FreshchatRole: true,
  FreshchatChannel: true,
  FreshchatTicketingUser: true,
  FreshchatTicket: true,
  FreshchatComment: true,
};
/** Every concrete Node typename: what `node` resolves, and what change feeds' `types` name. */
export const NODE_TYPENAMES = Object.keys(NODE_TYPES) as readonly NodeModel['__typename'][];

export type UserConnectionModel = Connection<UserModel>;
export type GroupConnectionModel = Connection<GroupModel>;
export type RoleConnectionModel = Connection<RoleModel>;
export type TicketingUserConnectionModel = Connection<TicketingUserModel>;
export type TicketConnectionModel = Connection<TicketModel>;
export type CommentConnectionModel = ForwardConnection<CommentModel>;
export type ChannelConnectionModel = Connection<ChannelModel>;

// ── Changes (docs/sync.md) ───────────────────────────────────────────────────────────────────────

export type ChangeKindModel = 'CREATED' | 'UPDATED' | 'DELETED';
export type ChangeSourceModel = 'WEBHOOK' | 'POLL' | 'WRITE';

/** One entry of an account's change log; `object` reads it through the account's loaders. */
export interface ChangeModel {
  id: string;
  accountId: string;
  kind: ChangeKindModel;
  objectType: string;
  objectId: string;
  changedFields: string[];
  occurredAt: string | null;
  recordedAt: string;
  source: ChangeSourceModel;
}

/** `totalCount` is a count in the database, made only when selected. */
export type ChangeConnectionModel = Omit<ForwardConnection<ChangeModel>, 'totalCount'> & { count(): Promise<number> };

// ── Mutation payloads ─────────────────────────────────────────────────────────────────────────────
// What mutation resolvers return, before GraphQL selects from them. Every payload is plain JSON
// (models included), because an idempotency key stores it and replays it as it was.

export interface UserErrorModel {
  field: string[] | null;
  message: string;
  code: string;
}

export interface UserPayloadModel {
  user: UserModel | null;
  userErrors: UserErrorModel[];
}

export interface DeletePayloadModel {
  deletedId: string | null;
  status: 'DONE' | 'PENDING' | null;
  userErrors: UserErrorModel[];
}

/**
 * Freshchat answers an availability change with the changed fields only, so the payload names the
 * agent and its field reads it again (a read, never a second write, when the payload is replayed).
 */
export interface AvailabilityPayloadModel {
  agent: { accountId: string; remoteId: string } | null;
  userErrors: UserErrorModel[];
}

export type PayloadModel = UserPayloadModel | DeletePayloadModel | AvailabilityPayloadModel;

export interface CommentPayloadModel {
  comment: CommentModel | null;
  userErrors: UserErrorModel[];
}

export interface TicketPayloadModel {
  ticket: TicketModel | null;
  userErrors: UserErrorModel[];
}
