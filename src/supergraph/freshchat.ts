import type { Account } from '../account.js';
import { bootstrap } from '../bootstrap.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Sandbox } from '../sandbox/index.js';
import { listenOnLoopback, type RunningSubgraph } from './serve.js';

export interface RunningFreshchat extends RunningSubgraph {
  account: Account | null;
  /** Set when no Freshchat account is configured and the embedded sandbox serves instead. */
  sandbox: Sandbox | null;
}

/** The Freshchat subgraph wired exactly as `npm start` wires it, on a loopback port for the gateway. */
export async function startFreshchat(config: Config, logger: Logger): Promise<RunningFreshchat> {
  const subgraph = await bootstrap(config, logger);
  const url = await listenOnLoopback(subgraph.server.httpServer);
  return { url, account: subgraph.account, sandbox: subgraph.sandbox, stop: subgraph.stop };
}
