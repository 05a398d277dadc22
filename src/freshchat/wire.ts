/**
 * The pieces of Freshchat's wire format that every resource shares, exactly as Freshchat sends them
 * (snake_case, optional wherever Freshchat does not guarantee a field): list envelopes, the person
 * fields of agents and contacts, errors. Each resource module owns its own object types.
 */
export interface Avatar {
  url?: string | null;
}

export interface SocialProfile {
  type: string;
  id?: string | null;
}

/** docs/freshchat-api.md#lists-and-pagination: `pagination` of every list envelope. */
export interface Pagination {
  total_items: number;
  total_pages: number;
  current_page: number;
  items_per_page: number;
}

/** The fields agents and contacts share (docs/freshchat-api.md#agents, docs/freshchat-api.md#contacts). */
export interface Person {
  id: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  phone?: string | null;
  avatar?: Avatar | null;
  social_profiles?: SocialProfile[] | null;
  login_status?: boolean | null;
  created_time?: string | null;
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

/** docs/freshchat-api.md#authentication: bare object, the cheapest authenticated probe. */
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

/** docs/freshchat-api.md#errors-and-status-codes: the error/response object. */
export interface ErrorBody {
  code: number;
  status: string;
  message: string;
  details?: { type: string }[];
}

