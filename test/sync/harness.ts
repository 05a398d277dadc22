import { bootstrap, type Subgraph } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { listen } from '../../src/process/listen.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createPglite, type TestDatabase } from '../accounts/databases.js';

export const ACCOUNT_ID = 'acme';
export const ADMIN_TOKEN = 'admin-token-0123456789-0123456789-abcdef';

export interface ChangeNode {
  id: string;
  kind: string;
  objectType: string;
  objectId: string;
  changedFields: string[];
  occurredAt: string | null;
  recordedAt: string;
  source: string;
}

export interface ChangesPage {
  edges: { cursor: string; node: ChangeNode }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

export interface GraphQLAnswer<T> {
  data?: T;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
}

export interface SyncHarness {
  subgraph: Subgraph;
  sandbox: Sandbox;
  origin: string;
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLAnswer<T>>;
  /** Every change of an account, oldest first, through `freshchat { changes }`. */
  changes(accountId?: string, types?: string[]): Promise<ChangeNode[]>;
  /** One poll tick of this replica (the interval timer is set far away: tests tick by hand). */
  tick(): Promise<void>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

const CHANGE_FIELDS = 'id kind objectType objectId changedFields occurredAt recordedAt source';

/**
 * The subgraph through the same bootstrap as `npm start`, its registry on a fresh database (PGlite
 * by default), its environment account on a sandbox, with the admin API on and polling driven by
 * hand. The sandbox's webhooks come to this subgraph unless a test points them elsewhere.
 */
export async function startSyncHarness(
  options: { sandbox?: Sandbox; database?: TestDatabase; env?: Record<string, string>; webhooks?: boolean; now?: () => number } = {},
): Promise<SyncHarness> {
  const sandbox = options.sandbox ?? (await startSandbox({ deletionDelayMs: undefined }));
  const database = options.database ?? (await createPglite());
  const config = loadConfig({
    FRESHCHAT_API_URL: sandbox.baseUrl,
    FRESHCHAT_API_TOKEN: sandbox.token,
    FRESHCHAT_ACCOUNT_ID: ACCOUNT_ID,
    DATA_DIR: database.dataDir,
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl.reveal() } : {}),
    SYNC_INTERVAL_S: '3600',
    FRESHCHAT_WEBHOOK_PUBLIC_KEY: sandbox.webhooks.publicKey,
    ADMIN_TOKEN,
    CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
    // Ports are allowed explicitly: the sandbox's own.
    FRESHCHAT_ALLOWED_HOSTS: `127.0.0.1:${new URL(sandbox.baseUrl).port}`,
    CATALOG_CACHE_TTL_MS: '0',
    FRESHCHAT_RATE_LIMIT_PER_MINUTE: '60000',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const subgraph = await bootstrap(config, createLogger('silent'), { now: options.now });
  const port = await listen(subgraph.server.httpServer, 0, '127.0.0.1', 'PORT');
  const origin = `http://127.0.0.1:${port}`;
  if (options.webhooks !== false) sandbox.webhooks.sendTo(`${origin}/webhooks/freshchat/${ACCOUNT_ID}`);

  async function query<T>(text: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLAnswer<T>> {
    const res = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: text, variables }),
    });
    return (await res.json()) as GraphQLAnswer<T>;
  }

  return {
    subgraph,
    sandbox,
    origin,
    query,
    async changes(accountId = ACCOUNT_ID, types) {
      const all: ChangeNode[] = [];
      let after: string | null = null;
      for (;;) {
        const page: GraphQLAnswer<{ freshchat: { changes: ChangesPage } }> = await query(
          `query($account: ID, $after: String, $types: [String!]) { freshchat(accountId: $account) { changes(first: 100, after: $after, types: $types) {
             edges { cursor node { ${CHANGE_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`,
          { account: accountId, after, types },
        );
        if (page.errors) throw new Error(JSON.stringify(page.errors));
        const changes = page.data!.freshchat.changes;
        all.push(...changes.edges.map((edge) => edge.node));
        if (!changes.pageInfo.hasNextPage) return all;
        after = changes.pageInfo.endCursor;
      }
    },
    tick: () => subgraph.sync.poller!.tick(),
    async admin(method, path, body) {
      const res = await fetch(origin + path, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async close() {
      await subgraph.stop();
      if (!options.sandbox) await sandbox.close();
      if (!options.database) await database.drop();
    },
  };
}

export { CHANGE_FIELDS };
