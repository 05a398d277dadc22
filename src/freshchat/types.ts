/**
 * Freshchat REST API v2 wire types, exactly as Freshchat sends them (snake_case, everything optional
 * that the reference does not guarantee). Sources and confidence: ../shared/freshchat-api.md §2–§5.
 * Only src/freshchat/ and src/sandbox/ may import this module.
 */

export interface Avatar {
  url?: string | null;
}

export interface SocialProfile {
  type: string;
  id?: string | null;
}

export interface AgentStatus {
  id?: string | null;
  name?: string | null;
}

export type AvailabilityStatus = 'AVAILABLE' | 'UNAVAILABLE';

/** freshchat-api.md §5.1 */
export interface Agent {
  id: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  avatar?: Avatar | null;
  phone?: string | null;
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
  social_profiles?: SocialProfile[] | null;
  freshid_uuid?: string | null;
  locale?: string | null;
  timezone?: string | null;
  login_status?: boolean | null;
  created_time?: string | null;
  freshchat_access?: boolean | null;
  round_robin_access?: boolean | null;
  license_type?: string | null;
}

/** freshchat-api.md §5.2 */
export interface Group {
  id: string;
  name: string;
  description?: string | null;
  routing_type?: string | null;
  chat_group_id?: string | null;
  routing_logic?: string | null;
  standard_response_ids?: string[] | null;
  sla_policy_ids?: string[] | null;
  business_calendar_id?: string | null;
}

/** freshchat-api.md §5.3 */
export interface Role {
  id: string;
  name: string;
  is_custom_role?: boolean | null;
  description?: string | null;
}

export interface Property {
  name: string;
  value?: string | null;
}

/** freshchat-api.md §5.4 (a contact) */
export interface User {
  id: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  phone?: string | null;
  avatar?: Avatar | null;
  properties?: Property[] | null;
  social_profiles?: SocialProfile[] | null;
  reference_id?: string | null;
  restore_id?: string | null;
  org_contact_id?: string | null;
  login_status?: boolean | null;
  created_time?: string | null;
  updated_time?: string | null;
}

/** freshchat-api.md §3: `pagination` of every list envelope. */
export interface Pagination {
  total_items: number;
  total_pages: number;
  current_page: number;
  items_per_page: number;
}

export interface Link {
  href: string;
  rel?: string;
  /** The HTTP method, e.g. "GET" (the field is `type`, not `method`). */
  type?: string;
}

export interface Links {
  next_page?: Link;
  previous_page?: Link;
  first_page?: Link;
  last_page?: Link;
}

export interface AgentList {
  agents: Agent[];
  pagination: Pagination;
  links?: Links;
}
export interface GroupList {
  groups: Group[];
  pagination: Pagination;
  links?: Links;
}
export interface RoleList {
  roles: Role[];
  pagination: Pagination;
  links?: Links;
}
export interface UserList {
  users: User[];
  pagination: Pagination;
  links?: Links;
}

/** freshchat-api.md §4.5: bare object, the cheapest authenticated probe. */
export interface AccountConfiguration {
  account_id?: number | null;
  organisation_id?: number | null;
  app_id?: string | null;
  web_chat_id?: string | null;
  account_domain?: string | null;
  organisation_domain?: string | null;
  datacenter?: string | null;
  plan_type?: string | null;
  bundle_id?: string | null;
  bundle_type?: string | null;
}

/** freshchat-api.md §2: the error/response object. */
export interface ErrorBody {
  code: number;
  status: string;
  message: string;
  details?: { type: string }[];
}

/** Query of GET /agents (freshchat-api.md §4.1). */
export interface AgentListQuery {
  groups?: string;
  is_deactivated?: boolean;
  availability_status?: AvailabilityStatus;
}

/** Query of GET /users (freshchat-api.md §4.4); at least one filter is mandatory upstream. */
export interface UserListQuery {
  email?: string;
  reference_id?: string;
  created_from?: string;
  created_to?: string;
  updated_from?: string;
  updated_to?: string;
}

/** A page request: `page` is 1-based; Freshchat may clamp `items_per_page`. */
export interface PageQuery {
  page: number;
  items_per_page: number;
}
