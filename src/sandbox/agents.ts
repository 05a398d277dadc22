import type * as Freshchat from '../resources/wire.js';
import type { Random } from './random.js';
import { EPOCH_MS, FIRST_NAMES, LAST_NAMES, LOCALES, ROUTING_TYPES, SOCIAL_TYPES, SPAN_MS, TIMEZONES, handle, iso } from './vocab.js';

export const AGENT_COUNT = 150;

/**
 * Role, activity and group membership follow the agent's index so that the guarantees the brief
 * asks for (every role staffed, every group with >= 3 agents, deactivated members in some groups)
 * hold for every seed, not just the one we looked at.
 */
export const agentShape = {
  /** #9, #19, … : 15 agents (10%). */
  deactivated: (i: number) => i % 10 === 9,
  /** #5, #13, … : optional fields null or absent (mappers must tolerate). */
  sparse: (i: number) => i % 8 === 5,
  /** #1–#36 belong to group (i - 1) % 12 (so each group has 3 of them), plus 0–2 random groups. */
  anchorGroup: (i: number): number | undefined => (i >= 1 && i <= 36 ? (i - 1) % 12 : undefined),
} as const;

/** Index into the role list of createRoles: 0 ACCOUNT_ADMIN, 1 ADMIN, 2 SUPERVISOR, 3 AGENT, 4–5 custom. */
export function roleIndexFor(i: number): number {
  if (i === 0) return 0;
  if (i % 10 === 1) return 1;
  if (i % 10 === 2) return 2;
  if (i % 20 === 3) return 4;
  if (i % 20 === 13) return 5;
  return 3;
}

export function createAgents(rng: Random, groups: readonly Freshchat.Group[], roles: readonly Freshchat.Role[]): Freshchat.Agent[] {
  const statuses = ['Tea break', 'Lunch', 'In a meeting'].map((name) => ({ id: rng.uuid(), name }));
  const step = Math.floor(SPAN_MS / AGENT_COUNT);
  const agents: Freshchat.Agent[] = [];
  for (let i = 0; i < AGENT_COUNT; i += 1) {
    const role = roles[roleIndexFor(i)];
    if (!role) throw new Error(`createAgents needs ${roleIndexFor(i) + 1} roles`);
    const created = EPOCH_MS - SPAN_MS / 2 + i * step + rng.int(0, step - 1);
    agents.push({
      ...identity(rng, i),
      role_id: role.id,
      role_name: role.name,
      skill_id: agentShape.sparse(i) ? null : rng.uuid(),
      groups: groupIds(rng, i, groups),
      ...activity(rng, i, statuses),
      routing_type: rng.pick(ROUTING_TYPES),
      ...capacity(rng),
      social_profiles: agentShape.sparse(i) ? [] : [{ type: rng.pick(SOCIAL_TYPES), id: `agent${i}` }],
      freshid_uuid: rng.uuid(),
      locale: rng.pick(LOCALES),
      timezone: rng.pick(TIMEZONES),
      created_time: iso(created),
      license_type: rng.pick(['FULL_TIME', 'OCCASIONAL']),
    });
  }
  return agents;
}

function identity(rng: Random, i: number): Freshchat.Agent {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const id = rng.uuid();
  const email = `${handle(first, last)}.${i}@support.example.com`;
  const phone = `+${rng.int(1, 99)}${rng.int(100_000_000, 999_999_999)}`;
  const avatar = { url: `https://cdn.example.com/agents/${rng.hex(16)}.png` };
  if (agentShape.sparse(i)) return { id, email, first_name: first, last_name: null, avatar: null, biography: null };
  return { id, email, first_name: first, last_name: last, avatar, phone, biography: `${first} from the ${rng.pick(['day', 'night', 'weekend'])} shift.` };
}

function groupIds(rng: Random, i: number, groups: readonly Freshchat.Group[]): string[] {
  const anchor = agentShape.anchorGroup(i);
  const anchored = anchor === undefined ? undefined : groups[anchor];
  const others = groups.filter((g) => g !== anchored);
  // Agents outside the anchor range have i % 4 groups (0–3), so some have none at all.
  const extra = anchored ? rng.int(0, 2) : i === 0 ? 2 : i % 4;
  return [...(anchored ? [anchored] : []), ...rng.sample(others, extra)].map((g) => g.id);
}

function activity(rng: Random, i: number, statuses: Freshchat.AgentStatus[]): Partial<Freshchat.Agent> {
  const deactivated = agentShape.deactivated(i);
  const unavailable = deactivated || rng.chance(0.25);
  const status = rng.pick(statuses);
  return {
    is_deactivated: deactivated,
    is_deleted: false,
    availability_status: unavailable ? 'UNAVAILABLE' : 'AVAILABLE',
    ...(!agentShape.sparse(i) && rng.chance(0.4) ? { agent_status: status } : {}),
    login_status: !deactivated && rng.chance(0.6),
  };
}

function capacity(rng: Random): Partial<Freshchat.Agent> {
  const agentCapacity = rng.int(1, 10);
  return {
    agent_capacity: agentCapacity,
    get_ocr_available: rng.int(0, agentCapacity),
    freshchat_access: true,
    round_robin_access: rng.chance(0.7),
  };
}
