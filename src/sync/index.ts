/**
 * The sync side of the subgraph (docs/sync.md), wired once per process by src/bootstrap.ts: the
 * change log's reader and write recorder for GraphQL, the webhook receiver, the poller and the
 * retention sweep.
 */
import type { KeyObject } from 'node:crypto';
import type express from 'express';
import type { Account } from '../account.js';
import type { Database } from '../accounts/db.js';
import type { WebhookKeys } from '../accounts/webhook-keys.js';
import type { FreshchatClient } from '../freshchat/client.js';
import type { Logger } from '../logger.js';
import { sweepChanges } from './change-log.js';
import { createChangeFeed } from './feed.js';
import { recordObservations } from './observe.js';
import { createPoller, type Poller } from './poller.js';
import type { SyncPort } from './port.js';
import { createWebhooksInRouter } from './webhooks-in.js';

export type { SyncPort } from './port.js';

export interface SyncSettings {
  /** SYNC_INTERVAL_S in ms; 0: no polling. */
  intervalMs: number;
  /** SYNC_RETENTION_DAYS in ms. */
  retentionMs: number;
}

export interface SyncDeps {
  db: Database;
  logger: Logger;
  /** Every account to poll: the environment account and the linked ones. */
  accounts(): Promise<Account[]>;
  /** Whether a webhook's account is served (without reading its credentials). */
  exists(accountId: string): Promise<boolean>;
  keys: WebhookKeys;
  /** A key set outside the registry (the environment account's FRESHCHAT_WEBHOOK_PUBLIC_KEY, or the sandbox's own). */
  fixedKeyOf?: (accountId: string) => KeyObject | null;
  clientFor(account: Account, signal: AbortSignal): FreshchatClient;
  pageSize: number;
  now?: () => number;
  /** Whether the registry database exists yet: a sweep never creates it (PGlite's is made at first use). */
  databaseOpen?: () => boolean;
}

export interface Sync {
  /** The registry database the change log lives in (webhooks out read it by `seq`). */
  db: Database;
  port: SyncPort;
  /** `POST /webhooks/freshchat/{accountId}`. */
  routes: express.Router;
  poller: Poller | null;
  /** Starts polling (unless SYNC_INTERVAL_S=0) and the hourly retention sweep. */
  start(): void;
  stop(): Promise<void>;
}

const SWEEP_EVERY_MS = 3_600_000;

export function createSync(settings: SyncSettings, deps: SyncDeps): Sync {
  const now = deps.now ?? Date.now;
  const { db, logger } = deps;
  const record = (observations: Parameters<typeof recordObservations>[1]) => recordObservations(db, observations);
  const port: SyncPort = {
    feed: createChangeFeed({ db, retentionMs: settings.retentionMs, now }),
    async recordWrite(observations) {
      await record(observations).catch((error: unknown) =>
        logger.warn({ err: error }, 'sync: a write could not be recorded in the change log; the next poll or webhook records it'),
      );
    },
  };
  const routes = createWebhooksInRouter({
    exists: deps.exists,
    keyOf: async (accountId) => deps.fixedKeyOf?.(accountId) ?? deps.keys.get(accountId),
    record,
    logger,
  });
  const poller =
    settings.intervalMs > 0
      ? createPoller({ db, intervalMs: settings.intervalMs, accounts: deps.accounts, clientFor: deps.clientFor, pageSize: deps.pageSize, logger, now })
      : null;
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = () =>
    deps.databaseOpen?.() === false ? undefined : void sweepChanges(db, new Date(now() - settings.retentionMs)).then(
      (swept) => (swept > 0 ? logger.info({ swept }, 'sync: changes past the retention deleted') : undefined),
      (error: unknown) => logger.warn({ err: error }, 'sync: retention sweep failed; the next one tries again'),
    );
  return {
    db,
    port,
    routes,
    poller,
    start() {
      poller?.start();
      sweep();
      sweeper = setInterval(sweep, SWEEP_EVERY_MS).unref();
    },
    async stop() {
      clearInterval(sweeper);
      await poller?.stop();
    },
  };
}
