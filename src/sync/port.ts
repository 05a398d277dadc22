import type { ChangeFeed } from './feed.js';
import type { Observation } from './observe.js';

/** What a GraphQL request sees of the change log: reading it, and recording its own writes. */
export interface SyncPort {
  readonly feed: ChangeFeed;
  /**
   * Records what a write changed, before its mutation answers. Never rejects: the write is done in
   * Freshchat whatever happens here, and a change that cannot be recorded now is found by the next
   * poll (or the webhook Freshchat sends for it).
   */
  recordWrite(observations: readonly Observation[]): Promise<void>;
}
