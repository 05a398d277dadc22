import { createAccountRegistry, type Account } from '../account.js';
import type { Config } from '../config.js';
import { createDispatcher } from '../freshchat/http.js';
import type { Logger } from '../logger.js';
import { createResilience } from '../resilience/index.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { Secret } from '../secret.js';
import { createServer } from '../server.js';
import { listenOnLoopback, type RunningSubgraph } from './serve.js';

export interface RunningFreshchat extends RunningSubgraph {
  account: Account;
  /** Set when no Freshchat account is configured and the embedded sandbox serves instead. */
  sandbox: Sandbox | null;
}

/**
 * The Freshchat subgraph wired as src/index.ts wires `npm start` (config → dispatcher → resilience →
 * createServer), on a loopback port for the gateway; the embedded sandbox stands in when
 * FRESHCHAT_API_URL/TOKEN are unset. Keep the two in step.
 */
export async function startFreshchat(config: Config, logger: Logger): Promise<RunningFreshchat> {
  const dispatcher = createDispatcher(config.upstream);
  const { account, sandbox } = await linkAccount(config.target);
  const accounts = createAccountRegistry([account], account.id);
  const resilience = createResilience(config.resilience, { accounts, log: logger, catalogTtlMs: config.catalogCacheTtlMs });
  const server = await createServer(config, { accounts, dispatcher, logger, resilience });
  const url = await listenOnLoopback(server.httpServer);
  const stop = async () => {
    await server.stop();
    await resilience.close();
    await dispatcher.close();
    await sandbox?.close();
  };
  return { url, account, sandbox, stop };
}

async function linkAccount(target: Config['target']): Promise<{ account: Account; sandbox: Sandbox | null }> {
  if (target.kind === 'freshchat') {
    return { account: { id: target.accountId, baseUrl: target.baseUrl, token: target.token }, sandbox: null };
  }
  const sandbox = await startSandbox({ port: target.port, host: '127.0.0.1' });
  return { account: { id: target.accountId, baseUrl: sandbox.baseUrl, token: new Secret(sandbox.token) }, sandbox };
}
