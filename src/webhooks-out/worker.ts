import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Database } from '../accounts/db.js';
import type { Logger } from '../logger.js';
import { toOutcome, type RetryPolicy } from './backoff.js';
import { claimDue, release, releaseAll, settle, sweepDeliveries, type ClaimedDelivery } from './deliveries.js';
import { dispatchChanges } from './dispatch.js';
import type { EndpointStore, EndpointTarget } from './endpoints.js';
import { SEND_TIMEOUT_MS, type Sender } from './send.js';

/**
 * Each replica's delivery loop: about once a second (and at once when woken) it turns new changes
 * into deliveries, claims what is due up to its free sending slots, sends, and records each outcome.
 * Everything it knows is in the database, so a replica may stop or die at any point: what it had
 * claimed is sent again once the claim's lease lapses (at start, for a lone PGlite process).
 */
export interface DeliveryWorker {
  start(): void;
  /** Runs a round now (a retry asked for through the API is sent at once). */
  wake(): void;
  /** One round, resolved when its sends are recorded: for tests, which bring their own clock. */
  tick(): Promise<void>;
  /** Stops the loop; sends in flight are interrupted and their claims given back. */
  stop(): Promise<void>;
}

export interface WorkerDeps {
  db: Database;
  /** A registry not created yet (fresh PGlite) holds nothing to send and is not created for this. */
  isOpen: () => boolean;
  endpoints: Pick<EndpointStore, 'target'>;
  sender: Sender;
  retry: RetryPolicy;
  logger: Logger;
  now?: () => number;
  /** Jitter source, uniform in [0, 1). */
  random?: () => number;
  pollMs?: number;
  /** Sends in flight at once, per replica. */
  concurrency?: number;
  /** How long a claim holds: well past a send's timeout, so only a dead replica's claim lapses. */
  leaseMs?: number;
}

const DISPATCH_BATCH = 500;
const SWEEP_EVERY_MS = 3_600_000;
/** Delivered and failed deliveries are listed this long, then swept. */
export const DELIVERY_RETENTION_MS = 30 * 86_400_000;

export function createDeliveryWorker(deps: WorkerDeps): DeliveryWorker {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const concurrency = deps.concurrency ?? 16;
  const leaseMs = deps.leaseMs ?? SEND_TIMEOUT_MS + 20_000;
  const pollMs = deps.pollMs ?? 1_000;
  const instance = randomBytes(6).toString('hex');
  const targets = new LRUCache<string, EndpointTarget>({ max: 1_000 });
  const inFlight = new Set<Promise<void>>();
  const interrupt = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let started = false;
  let stopped = false;
  let released = deps.db.kind !== 'pglite';
  let lastSweep = 0;
  let lastProblem: string | undefined;

  const target = async (endpointId: string): Promise<EndpointTarget | null> => {
    const cached = targets.get(endpointId);
    if (cached) return cached;
    const found = await deps.endpoints.target(endpointId);
    if (found) targets.set(endpointId, found);
    return found;
  };

  const deliver = async (delivery: ClaimedDelivery): Promise<void> => {
    const to = await target(delivery.endpointId);
    if (!to) return; // deleted with its deliveries since the claim
    const result = await deps.sender.send(to, delivery, interrupt.signal);
    if (interrupt.signal.aborted) return release(deps.db, delivery);
    const attempts = delivery.attempts + 1;
    const outcome = toOutcome(result, attempts, deps.retry, now(), random);
    await settle(deps.db, delivery, outcome, new Date(now()));
    const fields = { endpointId: delivery.endpointId, deliveryId: delivery.id, changeId: delivery.changeId, attempts };
    if (outcome.delivered) deps.logger.debug(fields, 'webhook delivered');
    else if (outcome.nextAttemptAt) deps.logger.info({ ...fields, error: outcome.error, nextAttemptAt: outcome.nextAttemptAt }, 'webhook send failed: retrying');
    else deps.logger.warn({ ...fields, error: outcome.error }, 'webhook send failed: giving up');
  };

  const track = (delivery: ClaimedDelivery): Promise<void> => {
    const sending: Promise<void> = deliver(delivery)
      .catch((error: unknown) => problem(error))
      .finally(() => {
        inFlight.delete(sending);
        wake(); // a slot is free: more may be due
      });
    inFlight.add(sending);
    return sending;
  };

  /** Dispatches, then starts the sends it can; resolves with them. */
  const round = async (): Promise<Promise<void>[]> => {
    if (!deps.isOpen()) return [];
    if (!released) {
      await releaseAll(deps.db);
      released = true;
    }
    let dispatched = DISPATCH_BATCH;
    while (dispatched === DISPATCH_BATCH && !stopped) dispatched = await dispatchChanges(deps.db, DISPATCH_BATCH, new Date(now()));
    if (now() - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = now();
      await sweepDeliveries(deps.db, new Date(now() - DELIVERY_RETENTION_MS));
    }
    const free = concurrency - inFlight.size;
    if (free <= 0 || stopped) return [];
    const claim = `${instance}:${randomBytes(6).toString('hex')}`;
    const claimed = await claimDue(deps.db, { claim, now: new Date(now()), leaseMs, limit: free });
    lastProblem = undefined;
    return claimed.map(track);
  };

  /** One problem a streak: the database being away for a minute is one warning, not sixty. */
  const problem = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    if (message !== lastProblem) deps.logger.warn({ err: error }, 'webhooks out: round failed; retrying');
    lastProblem = message;
  };

  const schedule = (): void => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(wake, pollMs);
    timer.unref();
  };

  const wake = (): void => {
    if (!started || stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = round()
      .then(() => undefined, problem)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          wake();
        } else schedule();
      });
  };

  return {
    start() {
      started = true;
      wake();
    },
    wake,
    async tick() {
      await running;
      const sends = await round();
      await Promise.all(sends);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      interrupt.abort();
      await running;
      await Promise.all(inFlight);
    },
  };
}
