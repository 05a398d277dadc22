import { createStaticAccountSource, type Account } from './account.js';
import type { Config } from './config.js';
import { createDispatcher } from './freshchat/http.js';
import type { Logger } from './logger.js';
import { createResilience } from './resilience/index.js';
import { startSandbox, type Sandbox } from './sandbox/index.js';
import { Secret } from './secret.js';
import { createServer, type SubgraphServer } from './server.js';

export interface Subgraph {
  server: SubgraphServer;
  account: Account;
  /** Set when no Freshchat account is configured and the embedded sandbox serves instead. */
  sandbox: Sandbox | null;
  /** Drains GraphQL, then closes limits, the sandbox and upstream sockets. */
  stop(): Promise<void>;
}

/**
 * The one wiring of the subgraph, shared by `npm start` and `npm run supergraph`:
 * config → dispatcher → account (or sandbox) → resilience → createServer. It does not listen.
 */
export async function bootstrap(config: Config, logger: Logger): Promise<Subgraph> {
  const dispatcher = createDispatcher(config.upstream);
  const { account, sandbox } = await linkAccount(config.target, logger);
  const accounts = createStaticAccountSource([account], account.id);
  // Process-wide like the dispatcher: every request's calls to an account share one quota and breakers.
  const resilience = createResilience(config.resilience, { log: logger, catalogTtlMs: config.catalogCacheTtlMs });
  const server = await createServer(config, { accounts, dispatcher, logger, resilience });
  const stop = async () => {
    await server.stop();
    await resilience.close();
    await sandbox?.close();
    await dispatcher.close();
  };
  return { server, account, sandbox, stop };
}

/** The configured Freshchat account, or the embedded sandbox when none is configured. */
async function linkAccount(target: Config['target'], logger: Logger): Promise<{ account: Account; sandbox: Sandbox | null }> {
  if (target.kind === 'freshchat') {
    return { account: { id: target.accountId, baseUrl: target.baseUrl, token: target.token, tenant: null }, sandbox: null };
  }
  // Deletions Freshchat accepts (202) are done a few seconds later, as upstream does them later too.
  const sandbox = await startSandbox({ port: target.port, host: '127.0.0.1', deletionDelayMs: 3_000 });
  logger.info(
    { sandbox: sandbox.baseUrl },
    'FRESHCHAT_API_URL and FRESHCHAT_API_TOKEN are not set: serving the embedded Freshchat sandbox (seeded demo data, not a real account)',
  );
  return { account: { id: target.accountId, baseUrl: sandbox.baseUrl, token: new Secret(sandbox.token), tenant: null }, sandbox };
}
