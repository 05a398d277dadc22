import type * as Freshchat from '../resources/wire.js';
import { createAgents } from './agents.js';
import { createChannels } from './channels.js';
import { createContacts } from './contacts.js';
import { createConversations, type ConversationData } from './conversations.js';
import { createRandom, type Random } from './random.js';
import { ROUTING_TYPES } from './vocab.js';

/**
 * Everything the sandbox serves. Arrays are in list order (created_time ascending for agents and
 * users). Conversations and messages are mutable: the write endpoints change them.
 */
export interface Dataset extends Omit<ConversationData, 'topics'> {
  /** The topics conversations live in, and more (./channels.ts). */
  channels: Freshchat.Channel[];
  agents: Freshchat.Agent[];
  groups: Freshchat.Group[];
  roles: Freshchat.Role[];
  users: Freshchat.User[];
  configuration: Freshchat.AccountConfiguration;
}

const GROUP_NAMES = [
  'Billing', 'Support EU', 'Support US', 'Support APAC', 'Sales', 'Onboarding',
  'Technical Escalations', 'VIP Customers', 'Returns & Refunds', 'Partners', 'Trust & Safety', 'Customer Success',
] as const;

/**
 * Same seed, byte-identical dataset: every value comes from one PRNG consumed in a fixed order, and
 * timestamps are offsets from a fixed epoch.
 */
export function createDataset(seed = 1, options: { contacts?: number } = {}): Dataset {
  const rng = createRandom(seed);
  const configuration = createConfiguration(rng);
  const roles = createRoles(rng);
  const groups = createGroups(rng);
  const agents = createAgents(rng, groups, roles);
  const users = createContacts(rng, options.contacts);
  // Drawn last, so adding conversations left every earlier value of the dataset as it was.
  const { topics, ...conversations } = createConversations(rng, configuration.app_id ?? '', users, agents, groups);
  const channels = createChannels(rng, topics);
  return { agents, groups, roles, users, configuration, channels, ...conversations };
}

/** Built-in roles have fixed name-like ids (docs/freshchat-api.md#roles); custom roles have UUIDs. */
function createRoles(rng: Random): Freshchat.Role[] {
  const builtIn = (id: string, name: string, description: string): Freshchat.Role => ({ id, name, is_custom_role: false, description });
  return [
    builtIn('ACCOUNT_ADMIN', 'Account Admin', 'Owns the account, billing and every setting.'),
    builtIn('ADMIN', 'Admin', 'Manages agents, groups and settings.'),
    builtIn('SUPERVISOR', 'Supervisor', 'Monitors conversations and reports of their groups.'),
    builtIn('AGENT', 'Agent', 'Answers conversations.'),
    { id: rng.uuid(), name: 'Billing Specialist', is_custom_role: true, description: 'Agent with refund rights.' },
    { id: rng.uuid(), name: 'Team Lead', is_custom_role: true, description: null },
  ];
}

function createGroups(rng: Random): Freshchat.Group[] {
  return GROUP_NAMES.map((name, i) => ({
    id: rng.uuid(),
    name,
    // One group without a description: mappers must tolerate null.
    description: i === 7 ? null : `Conversations routed to ${name}.`,
    routing_type: rng.pick(ROUTING_TYPES),
    chat_group_id: rng.uuid(),
    routing_logic: rng.pick(['ROUND_ROBIN', 'LOAD_BASED']),
    standard_response_ids: [],
    sla_policy_ids: rng.chance(0.5) ? [rng.uuid()] : [],
    business_calendar_id: rng.chance(0.5) ? rng.uuid() : null,
  }));
}

function createConfiguration(rng: Random): Freshchat.AccountConfiguration {
  // Per-account host shape of current accounts: <org>-<18 digits>-<23 hex> (docs/freshchat-api.md#hosts-and-base-url).
  const org = `sandbox-${rng.int(100_000_000, 999_999_999)}${rng.int(100_000_000, 999_999_999)}-${rng.hex(23)}`;
  return {
    account_id: rng.int(100_000, 999_999),
    organisation_id: rng.int(100_000_000, 999_999_999),
    app_id: rng.uuid(),
    web_chat_id: rng.uuid(),
    account_domain: `${org}.freshchat.com`,
    organisation_domain: 'sandbox.myfreshworks.com',
    datacenter: 'US',
    plan_type: 'PRO',
    bundle_id: String(rng.int(100_000_000, 999_999_999)),
    bundle_type: 'CUSTOMER_SERVICE_SUITE',
  };
}
