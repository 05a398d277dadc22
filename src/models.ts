import type { Account } from './account.js';
import type { Connection } from './relay/connection.js';

/**
 * The unified models: what resolvers receive as parents (codegen mappers). Mappers in
 * src/freshchat/mappers.ts build them once, eagerly, with their global id and __typename; every
 * model carries its account so nested fields load from the right account.
 */

/** Parent of `FreshchatQuery`: the account the namespace reads. */
export interface NamespaceModel {
  readonly account: Account;
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

export type NodeModel = UserModel | GroupModel | RoleModel | TicketingUserModel;

export type UserConnectionModel = Connection<UserModel>;
export type GroupConnectionModel = Connection<GroupModel>;
export type RoleConnectionModel = Connection<RoleModel>;
export type TicketingUserConnectionModel = Connection<TicketingUserModel>;
