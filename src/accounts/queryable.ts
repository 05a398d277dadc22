/**
 * What the registry's statements run on (./db.ts opens one): a Postgres pool or the embedded PGlite,
 * through the same `query(text, params)` with `$1` placeholders.
 */
export interface QueryOptions {
  /** Epoch ms by which the statement must have answered (a request's deadline). */
  deadline?: number;
  /** Replaces the registry's own timeout for this call (migrations wait longer for each other). */
  timeoutMs?: number;
}

export interface Queryable {
  query<R>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<R[]>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction on one connection; rolls back when it throws. Each statement is bounded by `options`. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: QueryOptions): Promise<T>;
  close(): Promise<void>;
}
