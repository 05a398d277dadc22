/**
 * Freshchat agents (`/v2/agents`, docs/freshchat-api.md#agents, docs/freshchat-api.md#agents) as unified TicketingUsers: the wire
 * type, decoding, mapping, list query and the per-request loaders, in one place.
 */
import { z } from 'zod';
import type { AgentStatusModel, AvailabilityModel, TicketingUserModel } from '../models.js';
import { createPagedList, type PagedList, type ResourceDeps } from '../loaders/paged-list.js';
import { hasFilter, isNotFound, type FreshchatClient } from '../freshchat/client.js';
import { decoderOf, withId } from '../freshchat/decode.js';
import { idOf, personFields, text } from './fields.js';
import { pageDecoder, type Page, type PageQuery } from '../freshchat/page.js';
import type { Links, Pagination, Person } from '../freshchat/wire.js';
import { decodeDeletion, objectPath, type DeleteOutcome } from './writes.js';

// ---- wire ----

export type AvailabilityStatus = 'AVAILABLE' | 'UNAVAILABLE';

export interface AgentStatus {
  id?: string | null;
  name?: string | null;
}

/** docs/freshchat-api.md#agents */
export interface Agent extends Person {
  biography?: string | null;
  role_id?: string | null;
  role_name?: string | null;
  skill_id?: string | null;
  groups?: string[] | null;
  is_deactivated?: boolean | null;
  is_deleted?: boolean | null;
  availability_status?: AvailabilityStatus | string | null;
  agent_status?: AgentStatus | null;
  routing_type?: string | null;
  get_ocr_available?: number | null;
  agent_capacity?: number | null;
  freshid_uuid?: string | null;
  locale?: string | null;
  timezone?: string | null;
  freshchat_access?: boolean | null;
  round_robin_access?: boolean | null;
  license_type?: string | null;
}

export interface AgentList {
  agents: Agent[];
  pagination: Pagination;
  links?: Links;
}

/** Query of GET /agents (docs/freshchat-api.md#agents). */
export type AgentListQuery = {
  groups?: string;
  is_deactivated?: boolean;
  availability_status?: AvailabilityStatus;
};

/** `patch_agent_response_model` (docs/freshchat-api.md#agents): only what changed, not the agent. */
export interface AgentPatchResult {
  availability_status?: string | null;
  agent_status?: AgentStatus | null;
}

const decodeAgent = decoderOf<Agent>(withId, 'an agent');
const decodePatch = decoderOf<AgentPatchResult>(z.looseObject({}), 'an agent update');
const decodeAgents = pageDecoder<Agent>('agents', 'an agent list');

// ---- unified model ----

const availability = (raw: string | null | undefined): AvailabilityModel | null =>
  raw === 'AVAILABLE' || raw === 'UNAVAILABLE' ? raw : null;

const agentStatus = (raw: AgentStatus | null | undefined): AgentStatusModel | null =>
  raw ? { remoteId: text(raw.id), name: text(raw.name) } : null;

export function toTicketingUser(raw: Agent, accountId: string): TicketingUserModel {
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

// ---- filter ----

/** `FreshchatTicketingUserFilter` with the group's global id already decoded. */
export interface AgentFilter {
  groupRemoteId?: string | null;
  isActive?: boolean | null;
  availability?: AvailabilityStatus | null;
}

export function toAgentQuery(filter: AgentFilter): AgentListQuery {
  const query: AgentListQuery = {};
  if (filter.groupRemoteId != null) query.groups = filter.groupRemoteId;
  if (filter.isActive != null) query.is_deactivated = !filter.isActive;
  if (filter.availability != null) query.availability_status = filter.availability;
  return query;
}

// ---- endpoints ----

/** A filter matching no agent is an empty page, although Freshchat answers it with 404 (docs/freshchat-api.md#an-empty-agent-filter-answers-404). */
export async function listAgents(client: FreshchatClient, query: AgentListQuery, page: PageQuery): Promise<Page<Agent>> {
  try {
    return await client.list('/agents', decodeAgents, query, page);
  } catch (error) {
    if (isNotFound(error) && hasFilter(query)) return { items: [], total: 0, page: page.page, perPage: page.items_per_page, next: null };
    throw error;
  }
}

export const getAgent = (client: FreshchatClient, id: string): Promise<Agent | null> => client.find('/agents', id, decodeAgent);

/** `PATCH /agents/{id}` with `availability_status` (its other field, `agent_status`, is not offered). */
export const setAvailability = async (client: FreshchatClient, id: string, availability: AvailabilityStatus): Promise<AgentPatchResult> =>
  client.write('PATCH', objectPath('/agents', id), { availability_status: availability }, decodePatch);

/** `DELETE /agents/{id}`: Freshchat accepts it (202) and deletes the agent later. */
export const deleteAgent = async (client: FreshchatClient, id: string): Promise<DeleteOutcome> =>
  client.write('DELETE', objectPath('/agents', id), undefined, decodeDeletion);

// ---- loaders ----

export type AgentLoaders = PagedList<TicketingUserModel, AgentFilter>;

export function createAgentLoaders(deps: ResourceDeps): AgentLoaders {
  const { client } = deps;
  return createPagedList(
    {
      name: 'agents',
      toQuery: toAgentQuery,
      unfiltered: {},
      fetchPage: (query, page) => listAgents(client, query, page),
      getOne: (id) => getAgent(client, id),
      map: (raw: Agent) => toTicketingUser(raw, client.account.id),
    },
    deps,
  );
}
