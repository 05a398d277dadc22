import { MockAgent } from 'undici';
import type { Interceptable } from 'undici';
import { configuredAccount, type Account } from '../../src/account.js';
import { FreshchatError } from '../../src/errors.js';
import { Secret } from '../../src/secret.js';
import { createFreshchatClient } from '../../src/freshchat/client.js';
import type { AttemptInfo, ClientOptions, FreshchatClient } from '../../src/freshchat/client.js';
import { loadConfig } from '../../src/config.js';
import { getAgent, listAgents } from '../../src/resources/agents.js';
import { getUser, listUsers } from '../../src/resources/contacts.js';
import { decodeConfiguration } from '../../src/freshchat/decode.js';
import { listGroups } from '../../src/resources/groups.js';
import type { Page } from '../../src/freshchat/page.js';
import { listRoles } from '../../src/resources/roles.js';

export const ORIGIN = 'https://acme-604283044066011944-bf24686de08d2d817516021.freshchat.com';
export const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.SECRET-TOKEN-4f1c9a.sig';
/** A whole second, so HTTP-date Retry-After values are exact. */
export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

export const account: Account = configuredAccount({ id: 'acme', baseUrl: `${ORIGIN}/v2`, token: new Secret(TOKEN) });

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** The resource modules' endpoint functions, bound to one client. */
export function endpoints(client: FreshchatClient) {
  return {
    listAgents: (query: Parameters<typeof listAgents>[1], p: typeof page) => listAgents(client, query, p),
    getAgent: (id: string) => getAgent(client, id),
    listUsers: (query: Parameters<typeof listUsers>[1], p: typeof page) => listUsers(client, query, p),
    getUser: (id: string) => getUser(client, id),
    listGroups: (p: typeof page) => listGroups(client, p),
    listRoles: (p: typeof page) => listRoles(client, p),
    getAccountConfiguration: () => client.read('/accounts/configuration', decodeConfiguration),
  };
}

export interface Harness {
  mock: MockAgent;
  upstream: Interceptable;
  client: FreshchatClient;
  api: ReturnType<typeof endpoints>;
  /** Waits the retry loop asked for; the injected sleep returns at once. */
  sleeps: number[];
  attempts: AttemptInfo[];
  options: ClientOptions;
}

/** A client over a MockAgent that refuses real connections, with a fixed clock and jitter. */
export function createHarness(overrides: Partial<ClientOptions> = {}): Harness {
  const mock = new MockAgent({ enableCallHistory: true });
  mock.disableNetConnect();
  const sleeps: number[] = [];
  const attempts: AttemptInfo[] = [];
  const options: ClientOptions = {
    account,
    dispatcher: mock,
    retry: loadConfig({}).upstream.retry,
    random: () => 0.5,
    now: () => NOW,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onAttempt: (info) => attempts.push(info),
    ...overrides,
  };
  const client = createFreshchatClient(options);
  return { mock, upstream: mock.get(ORIGIN), client, api: endpoints(client), sleeps, attempts, options };
}

/** Asserts every interceptor was used, then closes the agent. */
export async function settle(harness: Harness | undefined): Promise<void> {
  if (harness === undefined) return;
  harness.mock.assertNoPendingInterceptors();
  await harness.mock.close();
}

/** The FreshchatError a promise rejects with (fails the test when it resolves or throws anything else). */
export async function failureOf(pending: Promise<unknown>): Promise<FreshchatError> {
  try {
    await pending;
  } catch (error) {
    if (error instanceof FreshchatError) return error;
    throw new Error(`expected a FreshchatError, got ${String(error)}`);
  }
  throw new Error('expected a rejection');
}

export const page = { page: 1, items_per_page: 20 };
export const pagination = { total_items: 1, total_pages: 1, current_page: 1, items_per_page: 20 };
export const agent = { id: '2681d294-3460-4f32-b5fb-828958995b5c', first_name: 'Govind' };
export const agentList = { agents: [agent], pagination };
export const groupList = { groups: [{ id: 'g1', name: 'Support' }], pagination };
export const user = { id: 'Denise_aliasc26ddeed24ad9e8b19a68eb119d6e37c', email: 'denise@example.com' };
export const userList = { users: [user], pagination };
export const errorBody = (code: number, status: string, message = 'This is upstream text') => ({ code, status, message });

/** A one-page list as the client hands it on: items, total and no next page. */
export const pageOf = <T>(items: T[]): Page<T> => ({ items, total: items.length, page: 1, perPage: 20, next: null });
export const agentPage = pageOf(agentList.agents);
export const groupPage = pageOf(groupList.groups);
export const userPage = pageOf(userList.users);
