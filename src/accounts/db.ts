import type { Secret } from '../secret.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Database } from './queryable.js';

export type { Database, Queryable, QueryOptions } from './queryable.js';
export { RegistryStartError } from './db-faults.js';
export { DirectoryInUseError, directoryHolder } from './data-dir.js';

export interface DatabaseOptions {
  databaseUrl: Secret | undefined;
  /** PGlite's directory when there is no databaseUrl; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /** REGISTRY_TIMEOUT_MS: the longest any statement (or the wait for a connection) may take. */
  timeoutMs?: number;
}

export const DEFAULT_REGISTRY_TIMEOUT_MS = 5_000;

/**
 * The registry's SQL connection: a real Postgres server through `pg` (./postgres.ts), or the
 * embedded PGlite (./pglite.ts).
 *
 * Why `pg` directly rather than a query builder: both `pg` and PGlite answer the same
 * `query(text, params) → { rows }` with `$1` placeholders, so one set of plain SQL statements
 * (src/accounts/store.ts, a dozen of them) serves both with no dialect layer. Kysely would add types
 * to those statements, but its current line needs Node 22 (we support 20.18) and its PGlite dialects
 * lag PGlite's releases (their peer ranges stop at 0.4; PGlite is at 0.5).
 *
 * Every statement is bounded in time (docs/resilience.md, "The registry under faults"): the
 * registry's own timeout, cut to the caller's deadline when it gives one. Any failure — a timeout, a
 * lost connection, a statement the server refused — is a RegistryUnavailableError (src/errors.ts)
 * that names the class of fault and never the statement, its parameters or the driver's message. A
 * registry that cannot be opened at all is a RegistryStartError: one start line naming the setting.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
  return options.databaseUrl === undefined ? openPglite(options.dataDir, timeoutMs) : openPostgres(options.databaseUrl.reveal(), timeoutMs);
}
