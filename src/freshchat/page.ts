import { z } from 'zod';
import { decoderOf, withId } from './decode.js';
import type { Query } from './request.js';

/** A page request: `page` is 1-based; Freshchat may clamp `items_per_page`. */
export interface PageQuery {
  page: number;
  items_per_page: number;
}

/**
 * One upstream page as loaders see it, whatever envelope Freshchat wrapped it in: most lists send
 * `{ <key>: [...], pagination, links }`, the messages list `{ messages: [...], link }` with no total
 * (docs/freshchat-api.md#messages). Loaders never see either envelope.
 */
export interface Page<T> {
  items: T[];
  /** Items in the whole list, when upstream reports it; null for lists that never say. */
  total: number | null;
  /** The page and size upstream says it served, which may differ from what was asked (clamping). */
  page: number;
  perPage: number;
  /** The query of the next page when upstream says there is one; null on the last page. */
  next: Query | null;
}

/** Decodes a list response into a Page, knowing what was asked for (a `link` envelope does not say). */
export type PageDecoder<T> = (body: unknown, asked: PageQuery) => Page<T>;

const pagination = z.looseObject({
  total_items: z.number(),
  total_pages: z.number(),
  current_page: z.number(),
  items_per_page: z.number(),
});
const link = z.looseObject({ href: z.string() });

type Envelope<T> = { pagination?: z.infer<typeof pagination>; link?: { href: string } | null } & Record<string, unknown> & {
  items: T[];
};

/**
 * The decoder of a list whose items sit under `key`, each with at least a string id. A
 * page-numbered list without its `pagination` is not the list we know (BAD_RESPONSE); a
 * `link`-paged one has none.
 */
export function pageDecoder<T>(key: string, what: string, paging: 'numbered' | 'link' = 'numbered'): PageDecoder<T> {
  const envelope = paging === 'numbered' ? { pagination } : { link: link.nullish() };
  const decode = decoderOf<Record<string, unknown>>(z.looseObject({ [key]: z.array(withId), ...envelope }), what);
  return (body, asked) => {
    // zod walked every item of every page (a fifth of a fan-out query's decoding); a well-formed
    // page passes this plain check, and anything else still goes through zod for its exact error.
    const envelope = isWellFormed(body, key, paging) ? body : decode(body);
    return toPage({ ...envelope, items: envelope[key] as T[] }, asked);
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The zod schema's rule, by hand: items with string ids, and a numeric pagination or a nullish string link. */
function isWellFormed(body: unknown, key: string, paging: 'numbered' | 'link'): body is Record<string, unknown> {
  if (!isObject(body)) return false;
  const items = body[key];
  if (!Array.isArray(items) || !items.every((item) => isObject(item) && typeof item.id === 'string')) return false;
  if (paging === 'link') {
    const l = body.link;
    return l == null || (isObject(l) && typeof l.href === 'string');
  }
  const p = body.pagination;
  return isObject(p) && [p.total_items, p.total_pages, p.current_page, p.items_per_page].every((n) => typeof n === 'number' && Number.isFinite(n));
}

function toPage<T>(envelope: Envelope<T>, asked: PageQuery): Page<T> {
  const { items, pagination: p } = envelope;
  if (p) {
    const next = p.current_page < p.total_pages ? { page: p.current_page + 1, items_per_page: p.items_per_page } : null;
    return { items, total: p.total_items, page: p.current_page, perPage: p.items_per_page, next };
  }
  return { items, total: null, page: asked.page, perPage: asked.items_per_page, next: nextQuery(envelope.link?.href) };
}

/**
 * Only the query of a `link.href` is kept: the next page is asked of the same path on the account's
 * own base URL, so an href naming another host or path can never redirect a call.
 */
function nextQuery(href: string | undefined): Query | null {
  if (href === undefined || !URL.canParse(href, 'https://freshchat.invalid')) return null;
  const params = new URL(href, 'https://freshchat.invalid').searchParams;
  return Object.fromEntries(params.entries());
}
