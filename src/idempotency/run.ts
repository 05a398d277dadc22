/**
 * Runs a write under an idempotency key (docs/design.md#writes-and-idempotency):
 * - the first request with a key claims it, writes once, and stores the outcome;
 * - a repeat (same key, same write) gets the stored outcome, with no second write;
 * - the same key with another write is refused (IDEMPOTENCY_KEY_REUSED);
 * - requests that arrive while the first is still writing wait for it and get its outcome: in this
 *   process on its promise, across replicas by reading the store again until it has one;
 * - a write that was never sent frees the key, so the next request with it writes.
 */
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { IdempotencyEntry, IdempotencyStore, StoredOutcome } from './store.js';

export interface IdempotencyOptions {
  store: IdempotencyStore;
  /** How long an entry answers repeats (IDEMPOTENCY_TTL_S). */
  ttlMs: number;
  /** How long a running write may hold its key before it is presumed dead. */
  leaseMs: number;
  now?: () => number;
  /** Longest pause between two reads of another replica's running write. */
  maxPollMs?: number;
}

export interface KeyedWrite {
  accountKey: string;
  key: string;
  /** Identifies the write: mutation, target and input (fingerprintOf). */
  fingerprint: string;
}

/** What the write itself produced: its outcome, and whether the key keeps it (false: never sent). */
export interface WriteResult {
  outcome: StoredOutcome;
  keep: boolean;
}

export type KeyedResult =
  | { kind: 'done'; outcome: StoredOutcome; replayed: boolean }
  | { kind: 'reused' }
  /** Still running elsewhere when this request's deadline came. */
  | { kind: 'in-use' }
  /** Its first request stopped mid-write: whether Freshchat applied it is unknown. */
  | { kind: 'abandoned' };

/** The key store could not be read or written before the write: nothing was sent. */
export class IdempotencyStoreError extends Error {
  constructor(cause: unknown) {
    super('The idempotency key store is unavailable', { cause });
    this.name = 'IdempotencyStoreError';
  }
}

export interface Idempotency {
  run(write: KeyedWrite, send: () => Promise<WriteResult>, signal?: AbortSignal): Promise<KeyedResult>;
}

export function createIdempotency(options: IdempotencyOptions): Idempotency {
  const now = options.now ?? Date.now;
  const maxPollMs = options.maxPollMs ?? 500;
  // This process's running writes, so that local waiters need not poll the store.
  const running = new Map<string, Promise<unknown>>();

  async function claimAndSend(write: KeyedWrite, send: () => Promise<WriteResult>): Promise<KeyedResult | IdempotencyEntry> {
    const at = now();
    const request = { ...write, now: at, leaseUntil: at + options.leaseMs, expiresAt: at + options.ttlMs };
    const claim = await options.store.claim(request).catch((error: unknown) => {
      throw new IdempotencyStoreError(error);
    });
    if (!claim.claimed) return claim.entry;
    const local = `${write.accountKey}\u0000${write.key}`;
    const done = (async () => {
      let result: WriteResult;
      try {
        result = await send();
      } catch (error) {
        await options.store.release(write.accountKey, write.key).catch(() => undefined);
        throw error;
      }
      // The write is done: a store that fails now must not turn its answer into an error. The key
      // then stays claimed until its lease passes, and a repeat is told the outcome is unknown.
      const settle = result.keep
        ? options.store.complete(write.accountKey, write.key, result.outcome, now() + options.ttlMs)
        : options.store.release(write.accountKey, write.key);
      await settle.catch(() => undefined);
      return result;
    })();
    running.set(local, done);
    try {
      const result = await done;
      return { kind: 'done', outcome: result.outcome, replayed: false };
    } finally {
      running.delete(local);
    }
  }

  return {
    async run(write, send, signal) {
      for (let polls = 0; ; polls++) {
        const found = await claimAndSend(write, send);
        if ('kind' in found) return found;
        if (found.fingerprint !== write.fingerprint) return { kind: 'reused' };
        if (found.outcome !== undefined) return { kind: 'done', outcome: found.outcome, replayed: true };
        if (found.leaseUntil <= now()) return { kind: 'abandoned' };
        if (signal?.aborted) return { kind: 'in-use' };
        const local = running.get(`${write.accountKey}\u0000${write.key}`);
        try {
          // Settled either way: the next turn of the loop reads what it left in the store.
          if (local) await local.catch(() => undefined);
          else await delay(Math.min(maxPollMs, 25 * 2 ** polls), undefined, { signal });
        } catch {
          return { kind: 'in-use' }; // the request's deadline fired while waiting
        }
      }
    },
  };
}

/** A stable digest of what a write does: equal for equal writes whatever the key order, null = absent. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('base64url');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== null && v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
}
