import { PGlite } from '@electric-sql/pglite';
import { lockDirectory, privateDirectory, tighten } from './data-dir.js';
import { boundOf, isServerError, RegistryStartError, toRegistryError, within } from './db-faults.js';
import type { Database, Queryable } from './queryable.js';

/**
 * The embedded registry (PGlite) in `dataDir`, private to this process's user (./data-dir.ts). It
 * runs in this process, so no network can freeze it, but a statement still waits its turn behind a
 * long transaction: each is bounded like on Postgres. A directory PGlite cannot open (damaged, or
 * written by an incompatible version) stops the start with one line naming it, not `Aborted()`.
 */
export async function openPglite(dataDir: string, timeoutMs: number): Promise<Database> {
  const memory = dataDir.startsWith('memory://');
  if (!memory) await privateDirectory(dataDir);
  const unlock = memory ? async () => undefined : await lockDirectory(dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir);
    if (!memory) await tighten(dataDir);
  } catch (error) {
    await unlock();
    throw unopenable(dataDir, error);
  }
  const on = (q: Pick<PGlite, 'query'>): Queryable => ({
    query: async <R>(sql: string, params?: readonly unknown[], options?: Parameters<Queryable['query']>[2]) => {
      try {
        return (await within(q.query<R>(sql, params as unknown[]), boundOf(timeoutMs, options))).rows;
      } catch (error) {
        throw toRegistryError(error);
      }
    },
  });
  return {
    kind: 'pglite',
    ...on(pglite),
    // The statements inside are bounded one by one; PGlite's own BEGIN and COMMIT fail as registry errors.
    transaction: (fn, options) =>
      pglite
        .transaction((tx) => fn({ query: (sql, params, own) => on(tx).query(sql, params, own ?? options) }))
        .catch((error: unknown) => {
          throw isServerError(error) ? toRegistryError(error) : error;
        }),
    close: async () => {
      await pglite.close();
      if (!memory) await tighten(dataDir);
      await unlock();
    },
  };
}

function unopenable(dataDir: string, error: unknown): RegistryStartError {
  if (error instanceof RegistryStartError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('E')) {
    return new RegistryStartError(`DATA_DIR: ${dataDir} cannot be read or written by this process (${code})`);
  }
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200) ?? 'unknown error';
  return new RegistryStartError(
    `DATA_DIR: the registry database in ${dataDir} cannot be opened (${reason}): it is damaged or was written by an incompatible PGlite version; restore it from a backup, or move it away to start with an empty registry`,
  );
}
