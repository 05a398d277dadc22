import type { Database, Queryable } from '../accounts/db.js';
import { readChanges, type RecordedChange } from '../sync/change-log.js';
import { toChangeModel } from '../sync/feed.js';
import { newId } from './endpoints.js';

/**
 * Turns recorded changes into deliveries (docs/sync.md "Webhooks out"): one per change and matching
 * endpoint, in the same transaction that moves the one dispatch position past those changes, so a
 * change becomes its deliveries exactly once, whichever replica does it and whenever one crashes.
 * The change log commits in `seq` order, so following it by position never skips a change.
 */

interface EndpointFilter {
  id: string;
  account_ids: string[] | null;
  types: string[] | null;
  tenant: string | null;
  after_seq: string | number;
}

/** The body every send of a change carries (signed, and the same on each retry): the change as the feed shows it. */
export function toBody(change: RecordedChange): string {
  return JSON.stringify({ type: 'helpdesk.change', timestamp: change.recordedAt.toISOString(), data: toChangeModel(change) });
}

/**
 * Dispatches the next `limit` changes, due at `now`; returns how many changes it consumed (0: none
 * left, or another replica is dispatching right now and this one need not wait for it).
 */
export async function dispatchChanges(db: Database, limit: number, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const [position] = await tx.query<{ after_seq: string | number }>('select after_seq from webhook_dispatch where id = 1 for update skip locked');
    if (!position) return 0;
    const changes = await readChanges(tx, { afterSeq: Number(position.after_seq), limit });
    const last = changes.at(-1);
    if (!last) return 0;
    const endpoints = await tx.query<EndpointFilter>('select id, account_ids, types, tenant, after_seq from webhook_endpoints where after_seq < $1', [last.seq]);
    const tenants = endpoints.some((e) => e.tenant !== null) ? await tenantsOf(tx, changes) : new Map<string, string | null>();
    const deliveries = changes.flatMap((change) =>
      endpoints.filter((endpoint) => matches(endpoint, change, tenants)).map((endpoint) => ({ endpoint, change })),
    );
    for (let i = 0; i < deliveries.length; i += ROWS_PER_STATEMENT) await insert(tx, deliveries.slice(i, i + ROWS_PER_STATEMENT), now);
    await tx.query('update webhook_dispatch set after_seq = $1 where id = 1', [last.seq]);
    return changes.length;
  });
}

/** Recorded after the endpoint was created, of an account and type it wants, and (for a tenant's endpoint) of that tenant's account. */
function matches(endpoint: EndpointFilter, change: RecordedChange, tenants: Map<string, string | null>): boolean {
  return (
    change.seq > Number(endpoint.after_seq) &&
    (endpoint.account_ids === null || endpoint.account_ids.includes(change.accountId)) &&
    (endpoint.types === null || endpoint.types.includes(change.objectType)) &&
    (endpoint.tenant === null || tenants.get(change.accountId) === endpoint.tenant)
  );
}

/** The linked accounts' tenants (the environment account is in no table and belongs to no tenant). */
async function tenantsOf(tx: Queryable, changes: readonly RecordedChange[]): Promise<Map<string, string | null>> {
  const ids = [...new Set(changes.map((c) => c.accountId))];
  const rows = await tx.query<{ id: string; tenant: string | null }>('select id, tenant from accounts where id = any($1::text[])', [ids]);
  return new Map(rows.map((row) => [row.id, row.tenant]));
}

// Seven parameters a row; Postgres takes at most 65,535 per statement.
const ROWS_PER_STATEMENT = 1_000;

async function insert(tx: Queryable, rows: readonly { endpoint: EndpointFilter; change: RecordedChange }[], now: Date): Promise<void> {
  const params: unknown[] = [];
  const values = rows.map(({ endpoint, change }) => {
    const row = [newId('dlv'), endpoint.id, change.seq, change.id, toBody(change), now, now];
    const start = params.length;
    params.push(...row);
    return `(${row.map((_, i) => `$${start + i + 1}`).join(', ')})`;
  });
  // A delivery exists once per endpoint and change, whatever happens around this statement.
  await tx.query(
    `insert into webhook_deliveries (id, endpoint_id, change_seq, change_id, body, next_attempt_at, created_at)
     values ${values.join(', ')} on conflict (endpoint_id, change_seq) do nothing`,
    params,
  );
}
