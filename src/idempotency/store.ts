/**
 * Where idempotency keys live (docs/design.md#writes-and-idempotency): one entry per account and key, holding a fingerprint of
 * the write it was first used for, and that write's stored outcome once it has one. The store only
 * keeps entries; src/idempotency/run.ts decides what they mean. Claiming is atomic, so however many
 * requests (and replicas, with the database store) race for one key, exactly one of them writes.
 */

/** A finished write as the caller saw it, stored as plain JSON so it replays exactly. */
export type StoredOutcome =
  | { kind: 'payload'; payload: unknown }
  | { kind: 'error'; message: string; extensions: Record<string, unknown> };

export interface IdempotencyEntry {
  fingerprint: string;
  /** Undefined while the write that claimed the key is still running. */
  outcome: StoredOutcome | undefined;
  /** Epoch ms after which a running write is presumed dead (its process stopped mid-write). */
  leaseUntil: number;
}

export interface ClaimRequest {
  accountKey: string;
  key: string;
  fingerprint: string;
  now: number;
  leaseUntil: number;
  /** Epoch ms at which the entry expires (IDEMPOTENCY_TTL_S after its use). */
  expiresAt: number;
}

export interface IdempotencyStore {
  /** Takes the key for a new write, unless a live (unexpired) entry holds it: then that entry. */
  claim(request: ClaimRequest): Promise<{ claimed: true } | { claimed: false; entry: IdempotencyEntry }>;
  /** The live entry of a key, or null. */
  read(accountKey: string, key: string, now: number): Promise<IdempotencyEntry | null>;
  /** Records the claimed write's outcome, kept until `expiresAt`. */
  complete(accountKey: string, key: string, outcome: StoredOutcome, expiresAt: number): Promise<void>;
  /** The claimed write was never sent (or Freshchat refused it outright): the key is free again. */
  release(accountKey: string, key: string): Promise<void>;
  /**
   * The account's key was retired (unlinked, re-pointed): its entries can never be asked for again,
   * and their payloads hold its data. The registry erases its own rows as it retires a key
   * (src/accounts/store.ts), so only a store in process needs this.
   */
  forgetAccount?(accountKey: string): Promise<void>;
  close?(): Promise<void>;
}

interface MemoryEntry extends IdempotencyEntry {
  expiresAt: number;
}

/**
 * The store of a single replica without a database: in process, bounded (the oldest entries go
 * first beyond `maxEntries`), expired entries swept as keys are claimed.
 */
export function createMemoryIdempotencyStore(maxEntries = 100_000): IdempotencyStore {
  const entries = new Map<string, MemoryEntry>();
  const id = (accountKey: string, key: string) => `${accountKey}\u0000${key}`;
  const live = (accountKey: string, key: string, now: number): MemoryEntry | undefined => {
    const entry = entries.get(id(accountKey, key));
    if (entry && entry.expiresAt <= now) entries.delete(id(accountKey, key));
    return entry && entry.expiresAt > now ? entry : undefined;
  };
  return {
    async claim(request) {
      const existing = live(request.accountKey, request.key, request.now);
      if (existing) return { claimed: false, entry: { ...existing } };
      const { fingerprint, leaseUntil, expiresAt } = request;
      entries.set(id(request.accountKey, request.key), { fingerprint, outcome: undefined, leaseUntil, expiresAt });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return { claimed: true };
    },
    async read(accountKey, key, now) {
      const entry = live(accountKey, key, now);
      return entry ? { ...entry } : null;
    },
    async complete(accountKey, key, outcome, expiresAt) {
      const entry = entries.get(id(accountKey, key));
      if (entry) entries.set(id(accountKey, key), { ...entry, outcome, expiresAt });
    },
    async release(accountKey, key) {
      entries.delete(id(accountKey, key));
    },
    async forgetAccount(accountKey) {
      const prefix = id(accountKey, '');
      for (const entry of [...entries.keys()].filter((key) => key.startsWith(prefix))) entries.delete(entry);
    },
  };
}
