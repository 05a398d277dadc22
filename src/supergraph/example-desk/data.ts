import { toGlobalId } from '../../contract/index.js';

/**
 * The example desk's records, already in unified shape: a handful of each kind is enough to show
 * cross-helpdesk queries and node refetches, and keeps every answer easy to assert whole.
 */
export const PROVIDER = 'exampledesk';
export const ACCOUNT_ID = 'demo';

export type ExampleDeskTypename =
  | 'ExampleDeskUser'
  | 'ExampleDeskGroup'
  | 'ExampleDeskRole'
  | 'ExampleDeskTicketingUser'
  | 'ExampleDeskTicket'
  | 'ExampleDeskComment';

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

export interface ExampleDeskTicketModel extends Row<'ExampleDeskTicket'> {
  status: 'OPEN' | 'IN_PROGRESS' | 'WAITING' | 'RESOLVED';
  subject: string;
  contactRemoteId: string;
  assigneeRemoteId: string | null;
  groupRemoteId: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  url: string;
  priority: string;
}

export interface ExampleDeskCommentModel extends Row<'ExampleDeskComment'> {
  ticketRemoteId: string;
  body: string;
  isPrivate: boolean;
  authorType: 'CONTACT' | 'AGENT';
  agentRemoteId: string | null;
  contactRemoteId: string | null;
  createdAt: string;
}

export type ExampleDeskModel =
  | ExampleDeskRoleModel
  | ExampleDeskGroupModel
  | ExampleDeskAgentModel
  | ExampleDeskUserModel
  | ExampleDeskTicketModel
  | ExampleDeskCommentModel;

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

function ticket(
  remoteId: string,
  subject: string,
  status: ExampleDeskTicketModel['status'],
  people: { contact: string; assignee: string | null; group: string | null },
  day: number,
): ExampleDeskTicketModel {
  return {
    ...base('ExampleDeskTicket', remoteId, { subject, status: status.toLowerCase() }),
    status,
    subject,
    contactRemoteId: people.contact,
    assigneeRemoteId: people.assignee,
    groupRemoteId: people.group,
    createdAt: `2024-04-0${day}T09:00:00.000Z`,
    updatedAt: `2024-04-0${day}T12:00:00.000Z`,
    resolvedAt: status === 'RESOLVED' ? `2024-04-0${day}T12:00:00.000Z` : null,
    url: `https://exampledesk.test/tickets/${remoteId}`,
    priority: day > 1 ? 'normal' : 'high',
  };
}

function comment(remoteId: string, ticketRemoteId: string, author: { agent: string } | { contact: string }, body: string, minute: number, isPrivate = false): ExampleDeskCommentModel {
  const isAgent = 'agent' in author;
  return {
    ...base('ExampleDeskComment', remoteId, { body }),
    ticketRemoteId,
    body,
    isPrivate,
    authorType: isAgent ? 'AGENT' : 'CONTACT',
    agentRemoteId: isAgent ? author.agent : null,
    contactRemoteId: isAgent ? null : author.contact,
    createdAt: `2024-04-01T09:${String(minute).padStart(2, '0')}:00.000Z`,
  };
}

export interface ExampleDeskData {
  roles: ExampleDeskRoleModel[];
  groups: ExampleDeskGroupModel[];
  agents: ExampleDeskAgentModel[];
  users: ExampleDeskUserModel[];
  tickets: ExampleDeskTicketModel[];
  comments: ExampleDeskCommentModel[];
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
    tickets: [
      ticket('t-1', 'Cannot log in', 'IN_PROGRESS', { contact: 'u-1', assignee: 'a-2', group: 'g-1' }, 1),
      ticket('t-2', 'Refund for order #1042', 'RESOLVED', { contact: 'u-1', assignee: 'a-3', group: 'g-2' }, 2),
      ticket('t-3', 'Invoice address', 'WAITING', { contact: 'u-2', assignee: null, group: null }, 3),
    ],
    comments: [
      comment('c-1', 't-1', { contact: 'u-1' }, 'I cannot log in since this morning.', 0),
      comment('c-2', 't-1', { agent: 'a-2' }, 'Customer on the old SSO domain.', 5, true),
      comment('c-3', 't-1', { agent: 'a-2' }, 'Please try again now.', 6),
      comment('c-4', 't-2', { contact: 'u-1' }, 'Order #1042 arrived broken.', 10),
      comment('c-5', 't-2', { agent: 'a-3' }, 'Refunded. Sorry about that!', 20),
      comment('c-6', 't-3', { contact: 'u-2' }, 'Please change the invoice address.', 30),
    ],
  };
}
