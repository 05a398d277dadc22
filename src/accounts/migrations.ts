import type { CredentialCipher } from './crypto.js';
import type { Database, Queryable } from './db.js';
import { resealLegacy } from './keys.js';

interface Migration {
  version: number;
  name: string;
  sql?: string;
  /** A step SQL cannot do (it needs the credentials key), run after `sql` in the same transaction. */
  run?: (tx: Queryable, cipher: CredentialCipher | undefined) => Promise<void>;
}

/**
 * The registry's one schema, as versioned migrations applied at start (in order, each once, all in
 * one transaction). Append new versions; never edit one that has shipped. Versions 5 and 6 are
 * taken by work in progress elsewhere (the sync change log).
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts and link sessions',
    sql: `
      create table accounts (
        id text primary key,
        name text not null,
        api_url text not null,
        tenant text,
        status text not null default 'active' check (status in ('active', 'invalid_credentials')),
        last_validated_at timestamptz,
        last_error_code text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        -- AES-256-GCM of the API token (src/accounts/crypto.ts): never the token itself.
        token_key_id text not null,
        token_nonce bytea not null,
        token_ciphertext bytea not null
      );
      create index accounts_tenant on accounts (tenant);
      create table link_sessions (
        -- SHA-256 of the URL's token: the table alone cannot open a link page.
        token_hash bytea primary key,
        tenant text,
        redirect_url text,
        expires_at timestamptz not null,
        used_at timestamptz,
        account_id text,
        created_at timestamptz not null default now()
      );
    `,
  },
  {
    version: 2,
    name: 'idempotency keys of writes',
    // src/idempotency/sql-store.ts: the primary key is the lock that lets one request of many write.
    sql: `
      create table idempotency_keys (
        account_id text not null,
        key text not null,
        -- SHA-256 of the mutation, its target and input: never the input itself.
        fingerprint text not null,
        -- The payload or error the caller got, as JSON, or null while the write is running.
        outcome jsonb,
        lease_until timestamptz not null,
        expires_at timestamptz not null,
        created_at timestamptz not null default now(),
        primary key (account_id, key)
      );
      create index idempotency_keys_expires_at on idempotency_keys (expires_at)
    `,
  },
  {
    version: 3,
    name: 'a never-reused identity per linked account, which scopes idempotency keys',
    // src/account.ts (linkedAccountKey): everything kept across requests is keyed by id + identity,
    // so an id unlinked and linked again, or re-pointed at another URL, inherits nothing. Keys of
    // linked accounts move to their new scope; the environment account's scope is derived from its
    // settings, which the database does not know, so its keys start afresh.
    sql: `
      alter table accounts add column identity text not null default gen_random_uuid()::text;
      alter table idempotency_keys rename column account_id to account_key;
      update idempotency_keys set account_key = accounts.id || ':' || accounts.identity
        from accounts where accounts.id = idempotency_keys.account_key
    `,
  },
  {
    version: 4,
    name: 'tokens bound to their account id, API URL, tenant and identity',
    // Changing a row's api_url, tenant or identity (version 3's column, so this comes after it) in the
    // database must not redirect its token or hand it another account's kept state: see ./keys.ts.
    run: resealLegacy,
  },
  {
    version: 5,
    name: 'sync: change log, poll snapshots, poll leases, webhook keys',
    // src/sync/: one change log per account (read by `freshchat { changes }` and by webhooks out),
    // the state the poller compares against, and who polls which account.
    sql: `
      create table changes (
        -- the one order every reader sees
        seq bigserial primary key,
        -- public change id ('chg_' and 26 base32 characters), also the webhook-id of deliveries
        id text not null unique,
        account_id text not null,
        kind text not null check (kind in ('CREATED', 'UPDATED', 'DELETED')),
        -- the concrete typename (FreshchatTicketingUser) and the object's global id
        object_type text not null,
        object_id text not null,
        changed_fields jsonb not null default '[]'::jsonb,
        occurred_at timestamptz,
        recorded_at timestamptz not null default now(),
        source text not null check (source in ('WEBHOOK', 'POLL', 'WRITE')),
        -- one recording per (account, key): webhook event ids, write ids
        dedupe_key text,
        unique (account_id, dedupe_key)
      );
      create index changes_account_seq on changes (account_id, seq);
      create index changes_recorded_at on changes (recorded_at);
      -- What the last poll (or a write through the subgraph) saw of each object: the unified fields
      -- a poll compares, so an unchanged object records nothing.
      create table sync_snapshots (
        account_id text not null,
        object_type text not null,
        remote_id text not null,
        state jsonb not null,
        primary key (account_id, object_type, remote_id)
      );
      -- Per account and polled list: when its baseline was taken, and for contacts the latest
      -- updated_time seen (the next poll asks for updated_from that mark).
      create table sync_progress (
        account_id text not null,
        list text not null,
        baseline_at timestamptz not null,
        high_water_mark timestamptz,
        polled_at timestamptz,
        primary key (account_id, list)
      );
      -- Exactly one replica polls an account: the holder renews its lease, another takes it once expired.
      create table sync_leases (
        account_id text primary key,
        holder text not null,
        expires_at timestamptz not null
      );
      -- The RSA public key Freshchat signs the account's webhooks with (SubjectPublicKeyInfo, PEM).
      create table webhook_keys (
        account_id text primary key,
        public_key text not null,
        updated_at timestamptz not null default now()
      )
    `,
  },
  {
    version: 6,
    name: 'webhooks out: endpoints, deliveries, dispatch position',
    // src/webhooks-out/: where changes are sent, each send to make, and how far the change log has
    // been turned into deliveries (docs/sync.md "Webhooks out").
    sql: `
      create table webhook_endpoints (
        id text primary key,
        url text not null,
        description text,
        -- null: every account (of the owner), every type
        account_ids text[],
        types text[],
        -- the tenant that manages it (from a caller JWT), null for the operator's (admin API)
        tenant text,
        -- the change log position at creation: it receives the changes after it
        after_seq bigint not null,
        -- AES-256-GCM of the signing secret (src/accounts/crypto.ts): never the secret itself
        secret_key_id text not null,
        secret_nonce bytea not null,
        secret_ciphertext bytea not null,
        created_at timestamptz not null default now()
      );
      create index webhook_endpoints_tenant on webhook_endpoints (tenant);
      create table webhook_deliveries (
        id text primary key,
        endpoint_id text not null references webhook_endpoints (id) on delete cascade,
        change_seq bigint not null,
        -- the change's public id: the webhook-id header of every send
        change_id text not null,
        -- the exact bytes signed and sent, the same on every retry
        body text not null,
        status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
        -- sends that got an answer or failed (the first included)
        attempts integer not null default 0,
        last_error text,
        last_attempt_at timestamptz,
        next_attempt_at timestamptz,
        delivered_at timestamptz,
        -- a replica sending it now: its claim, and when the claim lapses if that replica died
        claim text,
        lease_until timestamptz,
        created_at timestamptz not null default now(),
        unique (endpoint_id, change_seq)
      );
      create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
      create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, change_seq);
      -- One row: the last change turned into deliveries. Changes recorded before this version are
      -- not sent (no endpoint existed to want them).
      create table webhook_dispatch (
        id integer primary key check (id = 1),
        after_seq bigint not null
      );
      insert into webhook_dispatch (id, after_seq) select 1, coalesce(max(seq), 0) from changes
    `,
  },
];

// Replicas starting together take turns: the second one finds the versions applied.
const MIGRATION_LOCK = 727_111_001;
// A replica waits this long for another's migrations, and a re-seal touches every row: more than one statement's bound.
const MIGRATION_TIMEOUT_MS = 120_000;

/**
 * Applies the versions not applied yet, up to `upTo` (all of them unless a test stops earlier);
 * `cipher` is needed only when a pending step re-seals stored tokens (a KeyCheckError names
 * CREDENTIALS_KEY when it is missing or wrong, and nothing is applied).
 */
export async function migrate(db: Database, cipher?: CredentialCipher, upTo = Number.POSITIVE_INFINITY): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`);
    const done = new Set((await tx.query<{ version: number }>('select version from schema_migrations')).map((r) => r.version));
    const applied: number[] = [];
    for (const migration of MIGRATIONS.filter((m) => !done.has(m.version) && m.version <= upTo)) {
      await apply(tx, migration, cipher);
      applied.push(migration.version);
    }
    return applied;
  }, { timeoutMs: MIGRATION_TIMEOUT_MS });
}

async function apply(tx: Queryable, migration: Migration, cipher: CredentialCipher | undefined): Promise<void> {
  // Statements are split on ';', so none may contain one (PGlite's query() takes one statement).
  for (const statement of (migration.sql ?? '').split(';').map((s) => s.trim()).filter(Boolean)) {
    await tx.query(statement);
  }
  await migration.run?.(tx, cipher);
  await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
}

export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** Every version, in order: a database's `schema_migrations` once it is up to date. */
export const MIGRATION_VERSIONS: readonly number[] = MIGRATIONS.map((m) => m.version);

