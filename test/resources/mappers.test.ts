import { describe, expect, it } from 'vitest';
import { toTicketingUser } from '../../src/resources/agents.js';
import { toUser } from '../../src/resources/contacts.js';
import { toGroup } from '../../src/resources/groups.js';
import { toRole } from '../../src/resources/roles.js';
import type * as Freshchat from '../../src/resources/wire.js';
import { fromGlobalId } from '../../src/relay/ids.js';

const FULL_AGENT: Freshchat.Agent = {
  id: '2681d294-3460-4f32-b5fb-828958995b5c',
  email: 'govind.patel@example.com',
  first_name: 'Govind',
  last_name: 'Patel',
  avatar: { url: 'https://example.com/a.png' },
  phone: '123456789',
  biography: 'Support',
  role_id: 'ACCOUNT_ADMIN',
  role_name: 'Account Admin',
  skill_id: 'd01faba8-6655-4cce-88fa-a596cc75ece5',
  groups: ['6c03caf2-a37f-45a2-a9a3-6e03aa7b85f5'],
  is_deactivated: false,
  is_deleted: false,
  availability_status: 'AVAILABLE',
  agent_status: { id: '8e755ebf', name: 'Tea break' },
  routing_type: 'INTELLIASSIGN',
  agent_capacity: 4,
  social_profiles: [{ type: 'facebook', id: 'govind.patel' }],
  freshid_uuid: 'f-1',
  locale: 'en-us',
  timezone: 'Asia/Kolkata',
  login_status: false,
  created_time: '2018-08-16T11:34:04.431Z',
  license_type: 'FULL_TIME',
};

describe('toTicketingUser', () => {
  it('maps every Freshchat agent field to a unified or Freshchat-only field', () => {
    expect(toTicketingUser(FULL_AGENT, 'acme')).toMatchObject({
      __typename: 'FreshchatTicketingUser',
      remoteId: FULL_AGENT.id,
      accountId: 'acme',
      name: 'Govind Patel',
      firstName: 'Govind',
      lastName: 'Patel',
      emails: [{ address: 'govind.patel@example.com', type: null, isPrimary: true }],
      avatarUrl: 'https://example.com/a.png',
      isActive: true,
      availability: 'AVAILABLE',
      roleRemoteId: 'ACCOUNT_ADMIN',
      groupRemoteIds: ['6c03caf2-a37f-45a2-a9a3-6e03aa7b85f5'],
      timezone: 'Asia/Kolkata',
      locale: 'en-us',
      createdAt: '2018-08-16T11:34:04.431Z',
      phone: '123456789',
      biography: 'Support',
      routingType: 'INTELLIASSIGN',
      agentStatus: { remoteId: '8e755ebf', name: 'Tea break' },
      loginStatus: false,
      isDeleted: false,
      agentCapacity: 4,
      licenseType: 'FULL_TIME',
      freshidUuid: 'f-1',
      skillId: 'd01faba8-6655-4cce-88fa-a596cc75ece5',
      socialProfiles: [{ type: 'facebook', handle: 'govind.patel' }],
    });
  });

  it('keeps the raw agent by reference as remoteData', () => {
    expect(toTicketingUser(FULL_AGENT, 'acme').remoteData).toBe(FULL_AGENT);
  });

  it('mints a global id that decodes to provider, type, account and Freshchat id', () => {
    expect(fromGlobalId(toTicketingUser(FULL_AGENT, 'acme').id)).toEqual({
      provider: 'freshchat',
      typename: 'FreshchatTicketingUser',
      accountId: 'acme',
      remoteId: FULL_AGENT.id,
    });
  });

  it('is total over an agent with nothing but an id', () => {
    expect(toTicketingUser({ id: 'a1' }, 'acme')).toMatchObject({
      name: null,
      emails: [],
      isActive: true,
      availability: null,
      roleRemoteId: null,
      groupRemoteIds: [],
      agentStatus: null,
      socialProfiles: [],
    });
  });

  it.each([
    [{ is_deactivated: true }, false],
    [{ is_deleted: true }, false],
    [{ is_deactivated: null }, true],
  ])('derives isActive from %o as %s', (flags, isActive) => {
    expect(toTicketingUser({ id: 'a1', ...flags }, 'acme').isActive).toBe(isActive);
  });

  it('drops an availability value it does not know instead of breaking the enum', () => {
    expect(toTicketingUser({ id: 'a1', availability_status: 'ON_CALL' }, 'acme').availability).toBeNull();
  });
});

describe('toUser', () => {
  it('maps a contact with properties, phone and reference id', () => {
    const raw: Freshchat.User = {
      id: 'Denise_aliasc26ddeed24ad9e8b19a68eb119d6e37c',
      email: 'denise@example.com',
      first_name: 'Denise',
      phone: '+4912345',
      properties: [{ name: 'plan', value: 'pro' }, { name: 'empty', value: null }],
      reference_id: 'crm-1',
      restore_id: 'r-1',
      org_contact_id: 'o-1',
      login_status: true,
      created_time: '2023-01-01T00:00:00.000Z',
      updated_time: '2023-02-01T00:00:00.000Z',
    };
    expect(toUser(raw, 'acme')).toMatchObject({
      __typename: 'FreshchatUser',
      remoteId: raw.id,
      name: 'Denise',
      lastName: null,
      emails: [{ address: 'denise@example.com', isPrimary: true }],
      phones: [{ number: '+4912345', type: null }],
      externalId: 'crm-1',
      customFields: [{ name: 'plan', value: 'pro' }, { name: 'empty', value: null }],
      createdAt: '2023-01-01T00:00:00.000Z',
      updatedAt: '2023-02-01T00:00:00.000Z',
      restoreId: 'r-1',
      orgContactId: 'o-1',
      loginStatus: true,
    });
  });

  it('treats blank strings as missing', () => {
    expect(toUser({ id: 'u', email: ' ', first_name: '', phone: '' }, 'acme')).toMatchObject({ emails: [], phones: [], name: null });
  });
});

describe('toGroup and toRole', () => {
  it('maps a group and falls back to its id when it has no name', () => {
    expect(toGroup({ id: 'g1', name: 'Billing', description: 'Invoices', routing_type: 'OCR' }, 'acme')).toMatchObject({
      __typename: 'FreshchatGroup',
      name: 'Billing',
      description: 'Invoices',
      routingType: 'OCR',
    });
    expect(toGroup({ id: 'g2' } as Freshchat.Group, 'acme').name).toBe('g2');
  });

  it('maps a built-in role with a fixed-name id', () => {
    expect(toRole({ id: 'ACCOUNT_ADMIN', name: 'Account Admin', is_custom_role: false }, 'acme')).toMatchObject({
      __typename: 'FreshchatRole',
      remoteId: 'ACCOUNT_ADMIN',
      isCustom: false,
      description: null,
    });
  });
});
