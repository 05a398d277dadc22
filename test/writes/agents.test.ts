import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { globalId, startHarness, type Harness } from '../support/harness.js';
import { DELETE_AGENT, READ_AGENT, SET_AVAILABILITY, type AvailabilityPayload, type DeletePayload } from './operations.js';

type Set = { freshchatSetTicketingUserAvailability: AvailabilityPayload };
type Deleted = { freshchatDeleteTicketingUser: DeletePayload };
type Read = { freshchat: { ticketingUser: { id: string; availability: string } | null } };

describe('agent writes over the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.sandbox.resetCalls());

  const activeAgent = (availability: string) => h.sandbox.dataset.agents.find((a) => !a.is_deactivated && a.availability_status === availability)!;

  it('sets availability with one PATCH /v2/agents/{id} and answers the agent as read after the change', async () => {
    const agent = activeAgent('AVAILABLE');
    const id = globalId('FreshchatTicketingUser', agent.id);
    const res = await h.query<Set>(SET_AVAILABILITY, { id, availability: 'UNAVAILABLE' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.freshchatSetTicketingUserAvailability).toEqual({
      ticketingUser: { id, availability: 'UNAVAILABLE', isActive: true },
      userErrors: [],
    });
    expect(h.sandbox.calls.map((c) => `${c.method} ${c.path}`)).toEqual([`PATCH /v2/agents/${agent.id}`, `GET /v2/agents/${agent.id}`]);
    expect((await h.query<Read>(READ_AGENT, { id })).data!.freshchat.ticketingUser!.availability).toBe('UNAVAILABLE');
  });

  it('sees the change in a list filtered by availability in a later request', async () => {
    const agent = activeAgent('UNAVAILABLE');
    const id = globalId('FreshchatTicketingUser', agent.id);
    await h.query<Set>(SET_AVAILABILITY, { id, availability: 'AVAILABLE' });
    const res = await h.query<{ freshchat: { ticketingUsers: { nodes: { id: string }[] } } }>(
      `{ freshchat { ticketingUsers(first: 100, filter: { availability: UNAVAILABLE }) { nodes { id } } } }`,
    );
    expect(res.data!.freshchat.ticketingUsers.nodes.map((n) => n.id)).not.toContain(id);
  });

  it('reports an agent deletion as PENDING (202); the agent stays until Freshchat does it, then is gone', async () => {
    const agent = activeAgent('AVAILABLE');
    const id = globalId('FreshchatTicketingUser', agent.id);
    const res = await h.query<Deleted>(DELETE_AGENT, { id });
    expect(res.data!.freshchatDeleteTicketingUser).toEqual({ deletedId: id, status: 'PENDING', userErrors: [] });
    expect(h.sandbox.calls.map((c) => `${c.method} ${c.status}`)).toEqual(['DELETE 202']);
    expect((await h.query<Read>(READ_AGENT, { id })).data!.freshchat.ticketingUser).toMatchObject({ id });
    expect(h.sandbox.completeDeletions()).toBe(1);
    expect((await h.query<Read>(READ_AGENT, { id })).data!.freshchat.ticketingUser).toBeNull();
  });

  it('answers the deletion of an unknown agent with NOT_FOUND', async () => {
    const res = await h.query<Deleted>(DELETE_AGENT, { id: globalId('FreshchatTicketingUser', 'gone') });
    expect(res.data!.freshchatDeleteTicketingUser).toEqual({
      deletedId: null,
      status: null,
      userErrors: [{ field: ['id'], code: 'NOT_FOUND', message: 'Freshchat has no such agent (404 AGENT_NOT_FOUND).' }],
    });
  });

  it('offers no mutation to create agents or to write groups, roles or memberships', async () => {
    const res = await h.query<{ __schema: { mutationType: { fields: { name: string }[] } } }>(`{ __schema { mutationType { fields { name } } } }`);
    expect(res.data!.__schema.mutationType.fields.map((f) => f.name).sort()).toEqual([
      'freshchatCreateTicket',
      'freshchatCreateUser',
      'freshchatDeleteTicketingUser',
      'freshchatDeleteUser',
      'freshchatReplyToTicket',
      'freshchatSetTicketingUserAvailability',
      'freshchatUpdateTicket',
      'freshchatUpdateUser',
    ]);
  });
});
