/**
 * The poller of one replica (docs/sync.md "Polling"): every SYNC_INTERVAL_S it claims the lease of
 * each account (src/sync/lease.ts) and polls those it holds (./poll.ts), a few at a time. With
 * several replicas each account is polled by exactly one; when that one stops or crashes, its lease
 * lapses after two intervals and another replica takes the account at its next tick, so an account
 * is polled again within three intervals.
 */
import type { Account } from '../account.js';
import type { Database } from '../accounts/db.js';
import type { FreshchatClient } from '../freshchat/client.js';
import type { Logger } from '../logger.js';
import { claimLease, newHolder, releaseLeases } from './lease.js';
import { pollAccount, type PollResult } from './poll.js';

export interface PollerOptions {
  db: Database;
  intervalMs: number;
  /** Every account to keep in sync: the environment account and the linked ones. */
  accounts(): Promise<Account[]>;
  /** A client for the account whose calls wait at background priority in its quota; stops with `signal`. */
  clientFor(account: Account, signal: AbortSignal): FreshchatClient;
  pageSize: number;
  logger: Logger;
  now?: () => number;
  /** Accounts polled at once by this replica. */
  concurrency?: number;
  /** Names this poller in the lease table (tests give two replicas readable names). */
  holder?: string;
}

export interface Poller {
  /**
   * Ticks every interval, the first one interval from now: a newly served account gets its baseline
   * then, and an account polled before a restart carries on from its stored snapshot.
   */
  start(): void;
  /** One tick: claims leases, polls the accounts held, resolves when those polls end. */
  tick(): Promise<void>;
  /** Stops ticking, cancels polls in flight and gives up its leases (unless halted already). */
  stop(): Promise<void>;
  /** Stops like `stop`; without `releaseLeases` the leases stay taken, as a killed process leaves them. */
  halt(options: { releaseLeases: boolean }): Promise<void>;
}

export function createPoller(options: PollerOptions): Poller {
  const now = options.now ?? Date.now;
  const holder = options.holder ?? newHolder();
  const controller = new AbortController();
  const inFlight = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let halted = false;
  // A poller that never ticked has no lease to give up (and must not open a registry to say so).
  let ticked = false;

  const pollOne = async (account: Account): Promise<void> => {
    const started = now();
    try {
      const client = options.clientFor(account, controller.signal);
      const result: PollResult = await pollAccount({ db: options.db, client, pageSize: options.pageSize, now });
      const fields = { accountId: account.id, recorded: result.recorded, ms: now() - started };
      if (result.baselines.length > 0) options.logger.info({ ...fields, baselines: result.baselines }, 'sync: baseline taken, changes are recorded from the next poll');
      else options.logger.debug(fields, 'sync: account polled');
    } catch (error) {
      if (!controller.signal.aborted) options.logger.warn({ accountId: account.id, err: error }, 'sync: poll failed; the next interval tries again');
    }
  };

  const tick = async (): Promise<void> => {
    if (halted) return;
    ticked = true;
    const accounts = await options.accounts();
    const until = new Date(now() + 2 * options.intervalMs);
    const held: Account[] = [];
    for (const account of accounts) {
      if (await claimLease(options.db, account.id, holder, new Date(now()), until)) held.push(account);
    }
    // An account still being polled since an earlier tick is not polled twice at once.
    const due = held.filter((account) => !inFlight.has(account.id));
    await runLimited(due, options.concurrency ?? 4, async (account) => {
      const polling = pollOne(account).finally(() => inFlight.delete(account.id));
      inFlight.set(account.id, polling);
      await polling;
    });
  };

  const safeTick = () =>
    void tick().catch((error: unknown) => options.logger.warn({ err: error }, 'sync: could not claim accounts to poll; the next interval tries again'));

  const halt = async ({ releaseLeases: release }: { releaseLeases: boolean }) => {
    if (halted) return;
    halted = true;
    clearInterval(timer);
    controller.abort();
    await Promise.allSettled(inFlight.values());
    if (release && ticked) await releaseLeases(options.db, holder).catch(() => undefined);
  };

  return {
    start() {
      timer = setInterval(safeTick, options.intervalMs);
      timer.unref();
    },
    tick,
    stop: () => halt({ releaseLeases: true }),
    halt,
  };
}

/** Runs `work` over `items`, at most `limit` at once. */
async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const lanes = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  });
  await Promise.all(lanes);
}
