import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { globalId, startHarness, type Harness } from '../support/harness.js';
import { ADA, CREATE_USER, DELETE_USER, READ_USER, UPDATE_USER, type DeletePayload, type UserPayload } from './operations.js';

type Created = { freshchatCreateUser: UserPayload };
type Updated = { freshchatUpdateUser: UserPayload };
type Deleted = { freshchatDeleteUser: DeletePayload };
type Read = { freshchat: { user: { id: string; name: string | null; emails: { address: string }[]; customFields: { name: string; value: string }[] } | null } };

describe('contact writes over the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.resetCalls();
    h.sandbox.clearFaults();
  });
  const writes = () => h.sandbox.calls.filter((call) => call.method !== 'GET');

  it('creates a contact with one POST /v2/users and answers it as Freshchat stored it', async () => {
    const res = await h.query<Created>(CREATE_USER, { input: ADA });
    expect(res.errors).toBeUndefined();
    const { user, userErrors } = res.data!.freshchatCreateUser;
    expect(userErrors).toEqual([]);
    expect(user).toMatchObject({
      name: 'Ada Lovelace',
      emails: [{ address: 'ada@example.com' }],
      phones: [{ number: '+44 20 7946 0000' }],
      externalId: 'crm-ada',
      customFields: [{ name: 'plan', value: 'pro' }],
    });
    expect(user!.id).toBe(globalId('FreshchatUser', user!.remoteId));
    expect(writes().map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual(['POST /v2/users 201']);
  });

  it('lets a later request read the created contact by id and by email filter', async () => {
    const created = (await h.query<Created>(CREATE_USER, { input: { email: 'grace@example.com', firstName: 'Grace' } })).data!.freshchatCreateUser.user!;
    const byId = await h.query<Read>(READ_USER, { id: created.id });
    expect(byId.data!.freshchat.user).toMatchObject({ id: created.id, name: 'Grace' });
    const byEmail = await h.query<{ freshchat: { users: { nodes: { id: string }[] } } }>(
      `{ freshchat { users(filter: { email: "grace@example.com" }) { nodes { id } } } }`,
    );
    expect(byEmail.data!.freshchat.users.nodes).toEqual([{ id: created.id }]);
  });

  it('refuses invalid input with a userErrors entry per field and sends nothing', async () => {
    const input = {
      email: 'not-an-email',
      phone: 'call me',
      firstName: 'x'.repeat(256),
      avatarUrl: 'javascript:alert(1)',
      customFields: [{ name: '1bad', value: 'v' }, { name: 'ok', value: 'v' }, { name: 'ok', value: 'w' }],
    };
    const res = await h.query<Created>(CREATE_USER, { input });
    expect(res.errors).toBeUndefined();
    expect(res.data!.freshchatCreateUser.user).toBeNull();
    expect(res.data!.freshchatCreateUser.userErrors.map((e) => [e.field, e.code])).toEqual([
      [['input', 'firstName'], 'TOO_LONG'],
      [['input', 'email'], 'INVALID_EMAIL'],
      [['input', 'phone'], 'INVALID_PHONE'],
      [['input', 'avatarUrl'], 'INVALID_URL'],
      [['input', 'customFields', '0', 'name'], 'INVALID_PROPERTY_NAME'],
      [['input', 'customFields', '2', 'name'], 'DUPLICATE_PROPERTY'],
    ]);
    expect(h.sandbox.calls).toEqual([]);
  });

  it('refuses an empty contact and an oversized idempotency key before any call', async () => {
    const res = await h.query<Created>(CREATE_USER, { input: {}, key: 'k'.repeat(256) });
    expect(res.data!.freshchatCreateUser.userErrors.map((e) => e.code)).toEqual(['INVALID_IDEMPOTENCY_KEY', 'REQUIRED']);
    expect(h.sandbox.calls).toEqual([]);
  });

  it('updates a contact with PUT /v2/users/{id}, and the same request and later ones read the change', async () => {
    const contact = h.sandbox.dataset.users[1]!;
    const id = globalId('FreshchatUser', contact.id);
    const res = await h.query<Updated>(UPDATE_USER, { id, input: { firstName: 'Renamed', customFields: [{ name: 'tier', value: 'gold' }] } });
    expect(res.data!.freshchatUpdateUser.userErrors).toEqual([]);
    expect(res.data!.freshchatUpdateUser.user).toMatchObject({ id, firstName: 'Renamed' });
    expect(writes().map((c) => `${c.method} ${c.path}`)).toEqual([`PUT /v2/users/${encodeURIComponent(contact.id)}`]);
    const later = await h.query<Read>(READ_USER, { id });
    expect(later.data!.freshchat.user!.customFields).toContainEqual({ name: 'tier', value: 'gold' });
  });

  it('answers an update of an unknown contact with NOT_FOUND on `id`, never an upstream error', async () => {
    const res = await h.query<Updated>(UPDATE_USER, { id: globalId('FreshchatUser', 'no-such-contact'), input: { firstName: 'X' } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.freshchatUpdateUser).toEqual({
      user: null,
      userErrors: [{ field: ['id'], code: 'NOT_FOUND', message: 'Freshchat has no such contact (404 USER_NOT_FOUND).' }],
    });
  });

  it('answers a malformed or foreign id with INVALID_ID and sends nothing', async () => {
    const agentId = globalId('FreshchatTicketingUser', h.sandbox.dataset.agents[0]!.id);
    for (const id of ['garbage', agentId]) {
      const res = await h.query<Deleted>(DELETE_USER, { id });
      expect(res.data!.freshchatDeleteUser.userErrors.map((e) => e.code)).toEqual(['INVALID_ID']);
    }
    expect(h.sandbox.calls).toEqual([]);
  });

  it('answers a contact of an account the caller cannot use with ACCOUNT_NOT_FOUND', async () => {
    const res = await h.query<Deleted>(DELETE_USER, { id: globalId('FreshchatUser', 'x', 'other-account') });
    expect(res.data!.freshchatDeleteUser).toBeNull();
    expect(res.errors!.map((e) => e.extensions?.code)).toEqual(['ACCOUNT_NOT_FOUND']);
    expect(h.sandbox.calls).toEqual([]);
  });

  it('reports a deletion Freshchat accepts (202) as PENDING, and the contact is gone once it is done', async () => {
    const created = (await h.query<Created>(CREATE_USER, { input: { email: 'leaving@example.com' } })).data!.freshchatCreateUser.user!;
    const res = await h.query<Deleted>(DELETE_USER, { id: created.id });
    expect(res.data!.freshchatDeleteUser).toEqual({ deletedId: created.id, status: 'PENDING', userErrors: [] });
    expect((await h.query<Read>(READ_USER, { id: created.id })).data!.freshchat.user).not.toBeNull();
    expect(h.sandbox.completeDeletions()).toBe(1);
    expect((await h.query<Read>(READ_USER, { id: created.id })).data!.freshchat.user).toBeNull();
  });
});

describe('contact deletion that Freshchat does at once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sandbox: { userDeletion: 'immediate' } });
  });
  afterAll(() => h.close());

  it('reports DONE and the contact reads as null right after', async () => {
    const contact = h.sandbox.dataset.users[2]!;
    const id = globalId('FreshchatUser', contact.id);
    const res = await h.query<Deleted>(`${DELETE_USER}`, { id });
    expect(res.data!.freshchatDeleteUser).toEqual({ deletedId: id, status: 'DONE', userErrors: [] });
    expect((await h.query<Read>(READ_USER, { id })).data!.freshchat.user).toBeNull();
  });
});
