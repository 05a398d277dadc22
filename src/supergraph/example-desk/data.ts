import { toGlobalId } from '../../contract/index.js';

/**
 * The example desk's records, already in unified shape: a handful of each kind is enough to show
 * cross-helpdesk queries and node refetches, and keeps every answer easy to assert whole.
 */
export const PROVIDER = 'exampledesk';
export const ACCOUNT_ID = 'demo';

export type ExampleDeskTypename = 'ExampleDeskUser' | 'ExampleDeskGroup' | 'ExampleDeskRole' | 'ExampleDeskTicketingUser';

interface Row<T extends ExampleDeskTypename> {
  __typename: T;
  id: string;
  remoteId: string;
  remoteData: { [key: string]: unknown };
}

export interface ExampleDeskRoleModel extends Row<'ExampleDeskRole'> {
  name: string;
  description: string | null;
  isCustom: boolean;
}

export interface ExampleDeskGroupModel extends Row<'ExampleDeskGroup'> {
  name: string;
  description: string | null;
}

export interface ExampleDeskAgentModel extends Row<'ExampleDeskTicketingUser'> {
  name: string;
  firstName: string;
  lastName: string;
  emails: { address: string; type: string | null; isPrimary: boolean }[];
  avatarUrl: null;
  isActive: boolean;
  availability: 'AVAILABLE' | 'UNAVAILABLE';
  roleRemoteId: string;
  groupRemoteIds: string[];
  timezone: string;
  locale: string;
  createdAt: string;
  level: number;
}

export interface ExampleDeskUserModel extends Row<'ExampleDeskUser'> {
  name: string;
  firstName: string;
  lastName: string;
  emails: { address: string; type: string | null; isPrimary: boolean }[];
  phones: { number: string; type: string | null }[];
  avatarUrl: null;
  externalId: string | null;
  customFields: { name: string; value: string | null }[];
  createdAt: string;
  updatedAt: string;
  organization: string | null;
}

export type ExampleDeskModel = ExampleDeskRoleModel | ExampleDeskGroupModel | ExampleDeskAgentModel | ExampleDeskUserModel;

const base = <T extends ExampleDeskTypename>(typename: T, remoteId: string, raw: { [key: string]: unknown }): Row<T> => ({
  __typename: typename,
  id: exampleDeskId(typename, remoteId),
  remoteId,
  remoteData: { id: remoteId, ...raw },
});

/** The global id the example desk gives one of its records. */
export function exampleDeskId(typename: ExampleDeskTypename, remoteId: string): string {
  return toGlobalId({ provider: PROVIDER, typename, accountId: ACCOUNT_ID, remoteId });
}

const role = (remoteId: string, name: string, isCustom: boolean): ExampleDeskRoleModel => ({
  ...base('ExampleDeskRole', remoteId, { name }),
  name,
  description: null,
  isCustom,
});

const group = (remoteId: string, name: string): ExampleDeskGroupModel => ({
  ...base('ExampleDeskGroup', remoteId, { name }),
  name,
  description: `Tickets routed to ${name}.`,
});

function agent(remoteId: string, first: string, last: string, roleRemoteId: string, groupRemoteIds: string[], level: number): ExampleDeskAgentModel {
  const address = `${first.toLowerCase()}@exampledesk.test`;
  return {
    ...base('ExampleDeskTicketingUser', remoteId, { first, last, email: address }),
    name: `${first} ${last}`,
    firstName: first,
    lastName: last,
    emails: [{ address, type: 'work', isPrimary: true }],
    avatarUrl: null,
    isActive: true,
    availability: level > 1 ? 'AVAILABLE' : 'UNAVAILABLE',
    roleRemoteId,
    groupRemoteIds,
    timezone: 'Europe/Lisbon',
    locale: 'en-gb',
    createdAt: `2024-01-0${level}T09:00:00.000Z`,
    level,
  };
}

function user(remoteId: string, first: string, last: string, organization: string | null): ExampleDeskUserModel {
  const address = `${first.toLowerCase()}.${last.toLowerCase()}@customer.test`;
  return {
    ...base('ExampleDeskUser', remoteId, { first, last, email: address }),
    name: `${first} ${last}`,
    firstName: first,
    lastName: last,
    emails: [{ address, type: null, isPrimary: true }],
    phones: [],
    avatarUrl: null,
    externalId: `crm-${remoteId}`,
    customFields: [{ name: 'plan', value: 'pro' }],
    createdAt: '2024-02-01T10:00:00.000Z',
    updatedAt: '2024-03-01T10:00:00.000Z',
    organization,
  };
}

export interface ExampleDeskData {
  roles: ExampleDeskRoleModel[];
  groups: ExampleDeskGroupModel[];
  agents: ExampleDeskAgentModel[];
  users: ExampleDeskUserModel[];
}

export function createExampleDeskData(): ExampleDeskData {
  return {
    roles: [role('admin', 'Administrator', false), role('agent', 'Agent', false)],
    groups: [group('g-1', 'Tier 1'), group('g-2', 'Tier 2')],
    agents: [
      agent('a-1', 'Ines', 'Costa', 'admin', ['g-2'], 3),
      agent('a-2', 'Tomas', 'Silva', 'agent', ['g-1'], 1),
      agent('a-3', 'Rita', 'Sousa', 'agent', ['g-1', 'g-2'], 2),
    ],
    users: [user('u-1', 'Ana', 'Lima', 'Acme'), user('u-2', 'Rui', 'Mota', null), user('u-3', 'Eva', 'Reis', 'Globex')],
  };
}
