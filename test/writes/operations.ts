/** The mutation documents the write tests send, with the fields they assert on. */
const USER = 'user { id remoteId name firstName lastName emails { address } phones { number } externalId avatarUrl customFields { name value } }';
const ERRORS = 'userErrors { field message code }';

export const CREATE_USER = `mutation ($accountId: ID, $input: FreshchatCreateUserInput!, $key: String) {
  freshchatCreateUser(accountId: $accountId, input: $input, idempotencyKey: $key) { ${USER} ${ERRORS} } }`;

export const UPDATE_USER = `mutation ($id: ID!, $input: FreshchatUpdateUserInput!, $key: String) {
  freshchatUpdateUser(id: $id, input: $input, idempotencyKey: $key) { ${USER} ${ERRORS} } }`;

export const DELETE_USER = `mutation ($id: ID!, $key: String) {
  freshchatDeleteUser(id: $id, idempotencyKey: $key) { deletedId status ${ERRORS} } }`;

export const SET_AVAILABILITY = `mutation ($id: ID!, $availability: HelpdeskAvailability!, $key: String) {
  freshchatSetTicketingUserAvailability(id: $id, availability: $availability, idempotencyKey: $key) {
    ticketingUser { id availability isActive } ${ERRORS} } }`;

export const DELETE_AGENT = `mutation ($id: ID!, $key: String) {
  freshchatDeleteTicketingUser(id: $id, idempotencyKey: $key) { deletedId status ${ERRORS} } }`;

export const READ_USER = `query ($id: ID!) { freshchat { user(id: $id) { id name emails { address } customFields { name value } } } }`;
export const READ_AGENT = `query ($id: ID!) { freshchat { ticketingUser(id: $id) { id availability } } }`;

export interface UserErrorShape {
  field: string[] | null;
  message: string;
  code: string;
}

export interface UserShape {
  id: string;
  remoteId: string;
  name: string | null;
  emails: { address: string }[];
  phones: { number: string }[];
  externalId: string | null;
  customFields: { name: string; value: string | null }[];
}

export type UserPayload = { user: UserShape | null; userErrors: UserErrorShape[] };
export type DeletePayload = { deletedId: string | null; status: 'DONE' | 'PENDING' | null; userErrors: UserErrorShape[] };
export type AvailabilityPayload = { ticketingUser: { id: string; availability: string; isActive: boolean } | null; userErrors: UserErrorShape[] };

export const ADA = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000', externalId: 'crm-ada', customFields: [{ name: 'plan', value: 'pro' }] };
