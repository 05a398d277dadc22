/**
 * The generic Freshchat reader every resource module goes through: one list page, one object by id,
 * or any other GET. Lists come back as normalised pages (./page.ts), so no caller sees an envelope;
 * the quirks of a single endpoint (docs/freshchat-api.md#quirks-the-code-handles) live in that endpoint's resource module.
 */
import type { Account } from '../account.js';
import { FreshchatError } from '../errors.js';
import type { Decoder } from './decode.js';
import type { Page, PageDecoder, PageQuery } from './page.js';
import { createTransport } from './transport.js';
import type { ClientOptions, Query } from './transport.js';

export type { AttemptInfo, ClientOptions } from './transport.js';

export interface FreshchatClient {
  readonly account: Account;
  /** One page of the list at `path`, filtered by `query`. */
  list<T>(path: string, decode: PageDecoder<T>, query: Query, page: PageQuery): Promise<Page<T>>;
  /** `<collection>/<id>`: null when Freshchat has no such object (404), never an error. */
  find<T>(collection: string, id: string, decode: Decoder<T>): Promise<T | null>;
  /** Any other read. */
  read<T>(path: string, decode: Decoder<T>, query?: Query): Promise<T>;
  /**
   * A write, sent at most once (`idempotent: false`): the quota, concurrency limit and breakers may
   * delay or refuse it before sending, nothing ever repeats it (Freshchat has no idempotency key).
   */
  write<T>(method: WriteMethod, path: string, body: unknown, decode: Decoder<T>): Promise<T>;
}

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function createFreshchatClient(options: ClientOptions): FreshchatClient {
  const send = createTransport(options);
  // Every read is a GET, so every read is idempotent and may be retried; writes never are.
  const read = <T>(path: string, decode: Decoder<T>, query?: Query): Promise<T> =>
    send({ method: 'GET', path, query, idempotent: true, decode });
  return {
    account: options.account,
    read,
    write: (method, path, body, decode) => send({ method, path, body, idempotent: false, decode }),
    list: (path, decode, query, page) => read(path, (body) => decode(body, page), { ...query, ...page }),
    async find(collection, id, decode) {
      const segment = toPathSegment(id);
      if (segment === undefined) return null;
      try {
        return await read(`${collection}/${segment}`, decode);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
  };
}

/**
 * Ids are opaque (webhook ids are not UUIDs), so they are percent-encoded. '', '.' and '..' cannot
 * be sent as a segment at all: URL parsing would turn them into another path (even as %2E%2E),
 * so no object can have them.
 */
export function toPathSegment(id: string): string | undefined {
  if (id === '' || id === '.' || id === '..') return undefined;
  return encodeURIComponent(id);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof FreshchatError && error.kind === 'NOT_FOUND';
}

/** Whether a list query filters at all (unset values do not count). */
export function hasFilter(query: object): boolean {
  return Object.values(query).some((value) => value !== undefined);
}
