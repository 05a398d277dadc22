import type { Queryable } from '../accounts/db.js';

/**
 * The delivery queue (table `webhook_deliveries`, migration 6). A replica claims due deliveries
 * with `FOR UPDATE SKIP LOCKED`, so two replicas never claim the same one, and holds each claim
 * for a lease: a replica that dies mid-send leaves a claim that lapses, and the delivery is sent
 * again (at least once). Its outcome is recorded only under its own claim.
 */

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A delivery as the API shows it. */
export interface Delivery {
  id: string;
  endpointId: string;
  /** The change's id, which is also the `webhook-id` of every send. */
  changeId: string;
  status: DeliveryStatus;
  /** Sends made so far, the first included. */
  attempts: number;
  /** Why the last send failed (an HTTP status, a timeout, a refusal); never the receiver's body. */
  lastError: string | null;
  /** When it is sent next; null once delivered or failed. */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** A delivery this replica claimed and now sends. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  changeId: string;
  body: string;
  /** Sends made before this one. */
  attempts: number;
  claim: string;
}

/** What a send came to: delivered, or failed and then retried at `nextAttemptAt` (null: given up). */
export type Outcome = { delivered: true } | { delivered: false; error: string; nextAttemptAt: Date | null };

interface Row {
  id: string;
  endpoint_id: string;
  change_id: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
  change_seq: string | number;
}

const COLUMNS = 'id, endpoint_id, change_id, status, attempts, last_error, next_attempt_at, last_attempt_at, delivered_at, created_at, change_seq';

/** Claims up to `limit` deliveries due at `now` for `leaseMs`, oldest due first. */
export async function claimDue(db: Queryable, options: { claim: string; now: Date; leaseMs: number; limit: number }): Promise<ClaimedDelivery[]> {
  const { claim, now, leaseMs, limit } = options;
  const rows = await db.query<{ id: string; endpoint_id: string; change_id: string; body: string; attempts: number }>(
    `update webhook_deliveries set claim = $1, lease_until = $2
      where id in (
        select id from webhook_deliveries
         where status = 'pending' and next_attempt_at <= $3 and (lease_until is null or lease_until <= $3)
         order by next_attempt_at, change_seq
         limit $4
         for update skip locked)
      returning id, endpoint_id, change_id, body, attempts`,
    [claim, new Date(now.getTime() + leaseMs), now, limit],
  );
  return rows.map((row) => ({ id: row.id, endpointId: row.endpoint_id, changeId: row.change_id, body: row.body, attempts: row.attempts, claim }));
}

/** Records a send's outcome, under the claim it was sent with (a lapsed claim records nothing). */
export async function settle(db: Queryable, delivery: ClaimedDelivery, outcome: Outcome, now: Date): Promise<void> {
  await db.query(
    `update webhook_deliveries
        set status = $3, attempts = attempts + 1, last_attempt_at = $4, last_error = $5, next_attempt_at = $6,
            delivered_at = coalesce($7, delivered_at), claim = null, lease_until = null
      where id = $1 and claim = $2`,
    outcome.delivered
      ? [delivery.id, delivery.claim, 'delivered', now, null, null, now]
      : [delivery.id, delivery.claim, outcome.nextAttemptAt ? 'pending' : 'failed', now, outcome.error, outcome.nextAttemptAt, null],
  );
}

/** Gives a claim back without counting a send (the send was interrupted by a shutdown): due again at once. */
export async function release(db: Queryable, delivery: ClaimedDelivery): Promise<void> {
  await db.query('update webhook_deliveries set claim = null, lease_until = null where id = $1 and claim = $2', [delivery.id, delivery.claim]);
}

/** Gives every claim back: a PGlite process at start, the only one that can hold its claims, holds none yet. */
export async function releaseAll(db: Queryable): Promise<number> {
  return (await db.query('update webhook_deliveries set claim = null, lease_until = null where claim is not null returning id')).length;
}

/** An endpoint's deliveries, newest change first, `limit` at a time; `before` continues a listing. */
export async function listDeliveries(
  db: Queryable,
  endpointId: string,
  options: { status?: DeliveryStatus; limit: number; before?: number },
): Promise<{ deliveries: Delivery[]; next: number | null }> {
  const params: unknown[] = [endpointId];
  const clauses = ['endpoint_id = $1'];
  if (options.status !== undefined) clauses.push(`status = $${params.push(options.status)}`);
  if (options.before !== undefined) clauses.push(`change_seq < $${params.push(options.before)}`);
  params.push(options.limit + 1);
  const rows = await db.query<Row>(`select ${COLUMNS} from webhook_deliveries where ${clauses.join(' and ')} order by change_seq desc limit $${params.length}`, params);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return { deliveries: page.map(toDelivery), next: rows.length > options.limit && last ? Number(last.change_seq) : null };
}

/**
 * Makes a delivery due now, whatever its status (a failed or delivered one is sent once more), and
 * returns it; null when the endpoint has no such delivery. One being sent right now is left to that send.
 */
export async function makeDue(db: Queryable, endpointId: string, deliveryId: string, now: Date): Promise<Delivery | null> {
  const [updated] = await db.query<Row>(
    `update webhook_deliveries set status = 'pending', next_attempt_at = $3
      where id = $1 and endpoint_id = $2 and (lease_until is null or lease_until <= $3)
      returning ${COLUMNS}`,
    [deliveryId, endpointId, now],
  );
  if (updated) return toDelivery(updated);
  const [inFlight] = await db.query<Row>(`select ${COLUMNS} from webhook_deliveries where id = $1 and endpoint_id = $2`, [deliveryId, endpointId]);
  return inFlight ? toDelivery(inFlight) : null;
}

/** Deletes delivered and failed deliveries last touched before `before`; pending ones are kept. */
export async function sweepDeliveries(db: Queryable, before: Date): Promise<number> {
  const rows = await db.query(
    `delete from webhook_deliveries where status <> 'pending' and coalesce(last_attempt_at, created_at) < $1 returning id`,
    [before],
  );
  return rows.length;
}

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

function toDelivery(row: Row): Delivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    changeId: row.change_id,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: iso(row.next_attempt_at),
    lastAttemptAt: iso(row.last_attempt_at),
    deliveredAt: iso(row.delivered_at),
    createdAt: row.created_at.toISOString(),
  };
}
