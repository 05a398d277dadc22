import type * as Freshchat from './types.js';
import { toGlobalId } from '../relay/ids.js';
import type {
  AgentStatusModel,
  AvailabilityModel,
  EmailModel,
  GroupModel,
  NodeModel,
  RemoteData,
  RoleModel,
  SocialProfileModel,
  TicketingUserModel,
  UserModel,
} from '../models.js';

/**
 * Freshchat JSON → unified models: pure and total. Every field of freshchat-api.md §5 lands in a
 * unified field, a Freshchat-only field of the concrete type, or `remoteData` (the raw object, kept by
 * reference so it costs nothing unless selected). Missing and null fields become null or [].
 */

export const PROVIDER = 'freshchat';

const idOf = (typename: NodeModel['__typename'], accountId: string, remoteId: string): string =>
  toGlobalId({ provider: PROVIDER, typename, accountId, remoteId });

const text = (value: string | null | undefined): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

const fullName = (first: string | null, last: string | null): string | null =>
  [first, last].filter((part) => part !== null).join(' ') || null;

const primaryEmail = (address: string | null | undefined): EmailModel[] => {
  const value = text(address);
  return value === null ? [] : [{ address: value, type: null, isPrimary: true }];
};

const socialProfiles = (raw: Freshchat.SocialProfile[] | null | undefined): SocialProfileModel[] =>
  (raw ?? [])
    .filter((p) => typeof p?.type === 'string')
    .map((p) => ({ type: p.type, handle: text(p.id) }));

const availability = (raw: string | null | undefined): AvailabilityModel | null =>
  raw === 'AVAILABLE' || raw === 'UNAVAILABLE' ? raw : null;

const agentStatus = (raw: Freshchat.AgentStatus | null | undefined): AgentStatusModel | null =>
  raw ? { remoteId: text(raw.id), name: text(raw.name) } : null;

const remote = (raw: object): RemoteData => raw as RemoteData;

/** The fields agents and contacts share. */
function personFields(raw: Freshchat.Agent | Freshchat.User) {
  const firstName = text(raw.first_name);
  const lastName = text(raw.last_name);
  return {
    remoteId: raw.id,
    name: fullName(firstName, lastName),
    firstName,
    lastName,
    emails: primaryEmail(raw.email),
    avatarUrl: text(raw.avatar?.url),
    createdAt: text(raw.created_time),
    loginStatus: raw.login_status ?? null,
    socialProfiles: socialProfiles(raw.social_profiles),
    remoteData: remote(raw),
  };
}

export function toUser(raw: Freshchat.User, accountId: string): UserModel {
  const phone = text(raw.phone);
  return {
    __typename: 'FreshchatUser',
    id: idOf('FreshchatUser', accountId, raw.id),
    accountId,
    ...personFields(raw),
    phones: phone === null ? [] : [{ number: phone, type: null }],
    externalId: text(raw.reference_id),
    customFields: (raw.properties ?? [])
      .filter((p) => typeof p?.name === 'string')
      .map((p) => ({ name: p.name, value: p.value ?? null })),
    updatedAt: text(raw.updated_time),
    restoreId: text(raw.restore_id),
    orgContactId: text(raw.org_contact_id),
  };
}

export function toTicketingUser(raw: Freshchat.Agent, accountId: string): TicketingUserModel {
  return {
    __typename: 'FreshchatTicketingUser',
    id: idOf('FreshchatTicketingUser', accountId, raw.id),
    accountId,
    ...personFields(raw),
    isActive: raw.is_deactivated !== true && raw.is_deleted !== true,
    availability: availability(raw.availability_status),
    roleRemoteId: text(raw.role_id),
    groupRemoteIds: (raw.groups ?? []).filter((g): g is string => typeof g === 'string' && g !== ''),
    timezone: text(raw.timezone),
    locale: text(raw.locale),
    phone: text(raw.phone),
    biography: text(raw.biography),
    routingType: text(raw.routing_type),
    agentStatus: agentStatus(raw.agent_status),
    isDeleted: raw.is_deleted ?? null,
    agentCapacity: typeof raw.agent_capacity === 'number' ? raw.agent_capacity : null,
    licenseType: text(raw.license_type),
    freshidUuid: text(raw.freshid_uuid),
    skillId: text(raw.skill_id),
  };
}

export function toGroup(raw: Freshchat.Group, accountId: string): GroupModel {
  return {
    __typename: 'FreshchatGroup',
    id: idOf('FreshchatGroup', accountId, raw.id),
    remoteId: raw.id,
    accountId,
    // A group without a name would break `name: String!`; its id is the most useful stand-in.
    name: text(raw.name) ?? raw.id,
    description: text(raw.description),
    routingType: text(raw.routing_type),
    remoteData: remote(raw),
  };
}

export function toRole(raw: Freshchat.Role, accountId: string): RoleModel {
  return {
    __typename: 'FreshchatRole',
    id: idOf('FreshchatRole', accountId, raw.id),
    remoteId: raw.id,
    accountId,
    name: text(raw.name) ?? raw.id,
    description: text(raw.description),
    isCustom: raw.is_custom_role ?? null,
    remoteData: remote(raw),
  };
}
