import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './db.js';

/**
 * One-time link pages (docs/design.md#linked-accounts). The URL's token is 256 random bits; the table keeps only its
 * SHA-256, so a copy of the database opens no page. Sessions live in the registry, so any replica
 * serves any page.
 */
export interface LinkSession {
  tenant: string | null;
  redirectUrl: string | null;
  expiresAt: Date;
  state: 'open' | 'used' | 'expired';
}

export interface LinkSessions {
  create(options: { tenant: string | null; redirectUrl: string | null }): Promise<{ token: string; expiresAt: Date }>;
  get(token: string): Promise<LinkSession | null>;
  /** Uses the session up for `accountId` (inside the transaction that stores it); false when it was not open. */
  claim(tx: Queryable, token: string, accountId: string): Promise<boolean>;
}

export const LINK_SESSION_TTL_MS = 30 * 60 * 1000;

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export function createLinkSessions(db: Queryable, now: () => number = Date.now, ttlMs = LINK_SESSION_TTL_MS): LinkSessions {
  return {
    async create({ tenant, redirectUrl }) {
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now() + ttlMs);
      await db.query('insert into link_sessions (token_hash, tenant, redirect_url, expires_at) values ($1, $2, $3, $4)', [
        hashOf(token), tenant, redirectUrl, expiresAt,
      ]);
      return { token, expiresAt };
    },
    async get(token) {
      const [row] = await db.query<{ tenant: string | null; redirect_url: string | null; expires_at: Date; used_at: Date | null }>(
        'select tenant, redirect_url, expires_at, used_at from link_sessions where token_hash = $1',
        [hashOf(token)],
      );
      if (!row) return null;
      const state = row.used_at !== null ? 'used' : row.expires_at.getTime() <= now() ? 'expired' : 'open';
      return { tenant: row.tenant, redirectUrl: row.redirect_url, expiresAt: row.expires_at, state };
    },
    async claim(tx, token, accountId) {
      const rows = await tx.query(
        `update link_sessions set used_at = $3, account_id = $2
         where token_hash = $1 and used_at is null and expires_at > $3 returning token_hash`,
        [hashOf(token), accountId, new Date(now())],
      );
      return rows.length === 1;
    },
  };
}
