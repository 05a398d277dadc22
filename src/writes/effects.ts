/**
 * Read-after-write (docs/design.md#writes-and-idempotency): after a write, this request's loaders know the written object, and
 * nothing cached across requests still shows the old state. Contacts are never cached across
 * requests, agent pages only when AGENT_PAGE_CACHE_TTL_MS opts in; list totals are remembered as
 * hints, and the groups catalog
 * (in Redis when configured) may embed agents (the Swagger group model has `agents`), so an agent
 * write drops it.
 */
import type { Loaders } from '../resources/index.js';
import type { UserModel } from '../models.js';

/** A contact was created or updated: this request reads it as Freshchat returned it. */
export function contactWritten(loaders: Loaders, user: UserModel, created: boolean): void {
  loaders.contacts.prime(user.remoteId, user);
  loaders.contacts.forgetPages();
  if (created) loaders.resources.totals.forget(loaders.account.key, 'users');
}

/** A contact was deleted (DONE) or its deletion accepted (PENDING: read it again to see). */
export function contactDeleted(loaders: Loaders, remoteId: string, done: boolean): void {
  loaders.contacts.prime(remoteId, done ? null : undefined);
  loaders.contacts.forgetPages();
  loaders.resources.totals.forget(loaders.account.key, 'users');
}

/** An agent changed or is being deleted: read it again, and drop the catalogs that may embed it. */
export async function agentWritten(loaders: Loaders, remoteId: string, deleted: boolean): Promise<void> {
  loaders.agents.prime(remoteId, undefined);
  loaders.agents.forgetPages();
  if (deleted) loaders.resources.totals.forget(loaders.account.key, 'agents');
  // The opt-in agent page cache (AGENT_PAGE_CACHE_TTL_MS) would serve the old agent for its TTL.
  loaders.resources.pages?.invalidate(loaders.account.key, 'agents');
  await loaders.resources.catalogs.invalidate(loaders.account.key, 'groups');
}
